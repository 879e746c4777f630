// The province and national views' chunk (lazy-pages.tsx), on its own so prefetch-board.ts can start
// loading it with the view's data without evaluating React or the texts first.
export const loadRollup = () => import('./pages/Rollup');
