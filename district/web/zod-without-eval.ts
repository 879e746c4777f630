// Imported first by every page module that imports dash-api.ts's values (and so builds its zod
// schemas): EscalationLetter.tsx, LetterSettings.tsx. zod's fast path compiles each object schema
// with `new Function`, and merely probing for it is a script-src 'unsafe-eval' violation under the
// dashboard's Content-Security-Policy (reported on every page load). The browser only builds the
// shared schemas of dash-api.ts; it needs no fast path. Not imported by main.tsx: zod stays out of
// the board's app.js (scripts/dashboard-web-build.mjs), in the chunk of the pages that use it.
import { config } from 'zod';

config({ jitless: true });
