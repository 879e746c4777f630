import './prefetch-board';
import { useEffect } from 'react';
import type { ReactNode } from 'react';
import { createRoot, hydrateRoot } from 'react-dom/client';
import { FIRST_VIEW_LOADING, FIRST_VIEW_ROOT, FIRST_VIEW_SHOWN } from '../dash-first-view';
import { App } from './App';
import { prefetchesSettled } from './api';
import { firstViewFits, firstViewShown } from './first-view-state';

/** Marks <html data-app-mounted> once React has committed (the board is interactive): tests and the bench wait for it. */
function Mounted({ children }: { children: ReactNode }) {
  useEffect(() => {
    document.documentElement.setAttribute('data-app-mounted', '');
  }, []);
  return children;
}

const root = document.getElementById('root')!;
/** The loading line a first view keeps beside the root (routes/first-view.ts): gone once React has the page. */
const dropLoadingLine = () => document.querySelector(`[${FIRST_VIEW_LOADING}]`)?.remove();
const app = (
  <Mounted>
    <App />
  </Mounted>
);
// Checked again: hydrating a first view that no longer fits (the hash changed since the head script
// ran) would leave React's attributes of the other page unpatched.
if (firstViewShown() && firstViewFits()) {
  // The server's first view is on screen (first-view-state.ts) with the data it carries: React takes
  // it over as it is. A text that differs makes React render the page afresh (a console error the
  // e2e test catches); attributes are not patched, hence the check of route, language and zone.
  // Hydrating 1,000 rows keeps the main thread for a few hundred milliseconds: it starts after the
  // browser has painted the server's board (a frame, then a task), so the board is seen before the
  // app has taken it over, as a static page would be.
  requestAnimationFrame(() => {
    setTimeout(() => {
      dropLoadingLine();
      hydrateRoot(root, app);
    }, 0);
  });
} else {
  // The first render waits for the session and the page's data asked for at load (a fraction of a
  // second on a district's network, never more than PREFETCH_WAIT_MS): the shell and the board then
  // appear in one commit, instead of the shell, a "loading" line, and the board each in turn. A
  // first view that did not fit (another page, language or zone) is hidden by CSS and rendered over.
  const PREFETCH_WAIT_MS = 500;
  document.documentElement.removeAttribute(FIRST_VIEW_SHOWN);
  void prefetchesSettled(PREFETCH_WAIT_MS).then(() => {
    dropLoadingLine();
    root.removeAttribute(FIRST_VIEW_ROOT);
    createRoot(root).render(app);
  });
}
