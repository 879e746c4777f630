// The board is the page most often opened: its data is asked for at once, with the session. main.tsx
// imports this module first, so the request leaves before React and the pages are evaluated.
import { prefetch } from './api';

if (!window.location.pathname.startsWith('/publik') && /^(#\/?)?$/.test(window.location.hash)) {
  prefetch('/api/dash/board');
}
// Likewise the province and national views opened by their link (bookmarked by province staff).
const rollupLink = /^#\/(nasional|provinsi\/([^/]+))$/.exec(window.location.hash);
if (rollupLink !== null) {
  prefetch(rollupLink[2] === undefined ? '/api/dash/rollup' : `/api/dash/rollup?province=${rollupLink[2]}`);
}
