// The board is the page most often opened: its data is asked for at once, with the session. main.tsx
// imports this module first, so the requests leave before React and the pages are evaluated, and
// the App finds the session already on its way (it needs it before showing any page).
import { prefetch } from './api';
import { loadRollup } from './rollup-chunk';

if (!window.location.pathname.startsWith('/publik')) {
  prefetch('/api/dash/session');
  if (/^(#\/?)?$/.test(window.location.hash)) {
    prefetch('/api/dash/board');
  }
}
// Likewise the province and national views opened by their link (bookmarked by province staff), with their page's code.
const rollupLink = /^#\/(nasional|provinsi\/([^/]+))$/.exec(window.location.hash);
if (rollupLink !== null) {
  prefetch(rollupLink[2] === undefined ? '/api/dash/rollup' : `/api/dash/rollup?province=${rollupLink[2]}`);
  void loadRollup();
}
