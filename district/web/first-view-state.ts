// The server's first view of the board (docs/dashboard.md) as the browser sees it: whether it fits
// this browser (the head script, first-view-check.ts, decides before the body is parsed), and the
// session and board the page carries. Tiny on purpose: the head script bundles this, without React.
import { FIRST_VIEW_DATA, FIRST_VIEW_META, FIRST_VIEW_SHOWN } from '../dash-first-view';
import type { FirstViewData } from '../dash-first-view';
import { zoneLabel } from '../../protocol/local-time';
import { storedLanguage } from './language-store';

/** `#/` or no hash: the board of a district's own staff (App.tsx). */
export const isBoardHash = (hash: string): boolean => /^(#\/?)?$/.test(hash);

/**
 * The first view shows what React will show only on the board's route, in the language the user
 * chose and with times in the browser's own zone: otherwise CSS keeps it hidden (index.html) and
 * React renders over it, so another page or language never flashes the board.
 */
export function firstViewFits(): boolean {
  const meta = document.querySelector<HTMLMetaElement>(`meta[name="${FIRST_VIEW_META}"]`);
  if (meta === null) {
    return false;
  }
  try {
    const now = new Date();
    return (
      window.location.pathname === '/' &&
      isBoardHash(window.location.hash) &&
      storedLanguage() === meta.dataset.language &&
      zoneLabel(now) === zoneLabel(now, meta.dataset.timeZone)
    );
  } catch {
    // Storage refused (a locked-down browser) or an unknown zone: React renders, nothing is guessed.
    return false;
  }
}

/** Set by the head script: the first view is shown, and React hydrates it (main.tsx). */
export function firstViewShown(): boolean {
  return document.documentElement.hasAttribute(FIRST_VIEW_SHOWN);
}

export function markFirstView(): void {
  if (firstViewFits()) {
    document.documentElement.setAttribute(FIRST_VIEW_SHOWN, '');
  }
}

/** The session and board the page carries, or null (a plain page, or a block that does not parse). */
export function firstViewData(): FirstViewData | null {
  const block = document.getElementById(FIRST_VIEW_DATA);
  if (block === null) {
    return null;
  }
  try {
    return JSON.parse(block.textContent ?? '') as FirstViewData;
  } catch {
    return null;
  }
}
