// The board is the page most often opened: its data is asked for at once, with the session. main.tsx
// imports this module first, so the requests leave before React and the pages are evaluated, and
// the App finds the session already on its way (it needs it before showing any page). A page the
// server rendered for a signed-in user carries both (first-view-state.ts): nothing is asked again.
import { prefetch, provide } from './api';
import { firstViewData, isBoardHash } from './first-view-state';
import { loadRollup } from './rollup-chunk';

if (!window.location.pathname.startsWith('/publik')) {
  const carried = firstViewData();
  if (carried !== null) {
    provide('/api/dash/session', carried.session);
    // Only the board's route shows it now; another page opened later asks afresh (no stale board).
    if (isBoardHash(window.location.hash)) {
      provide('/api/dash/board', carried.board);
    }
  } else {
    prefetch('/api/dash/session');
    if (isBoardHash(window.location.hash)) {
      prefetch('/api/dash/board');
    }
  }
}
// Likewise the province and national views opened by their link (bookmarked by province staff), with their page's code.
const rollupLink = /^#\/(nasional|provinsi\/([^/]+))$/.exec(window.location.hash);
if (rollupLink !== null) {
  prefetch(rollupLink[2] === undefined ? '/api/dash/rollup' : `/api/dash/rollup?province=${rollupLink[2]}`);
  void loadRollup();
}
