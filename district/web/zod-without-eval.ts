// Imported first by main.tsx, before any schema is built: zod's fast path compiles each object
// schema with `new Function`, and merely probing for it is a script-src 'unsafe-eval' violation
// under the dashboard's Content-Security-Policy (reported on every page load). The browser only
// builds the shared schemas of dash-api.ts; it needs no fast path.
import { config } from 'zod';

config({ jitless: true });
