// Page sizes of the dashboard's lists, apart from dash-api.ts so the web app can use them without
// bundling zod and the API's schemas (about 100 KB of script before the board's first paint).
export const DEFAULT_PAGE_SIZE = 100;
export const MAX_PAGE_SIZE = 1000;
