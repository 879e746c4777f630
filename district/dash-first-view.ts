// The server-rendered first view of the board (docs/dashboard.md): the names the server
// (routes/first-view.ts) and the web app (first-view-state.ts, first-view.tsx) share, and the module
// the dashboard build writes for the server. Apart from dash-api.ts so the tiny head script that
// decides whether the first view is shown bundles no zod.
import type { Board, SessionInfo } from './dash-api';
import type { Language } from '../protocol/i18n';

/** `<meta name=…>` in the head: the language and time zone the first view was rendered in. */
export const FIRST_VIEW_META = 'siaga-first-view';
/** `<script type="application/json" id=…>`: the session and the board the first view shows. */
export const FIRST_VIEW_DATA = 'siaga-first-view-data';
/** The attribute the head script sets on <html> when the first view fits this browser (shown). */
export const FIRST_VIEW_SHOWN = 'data-first-view';
/** The attribute of `<div id="root">` holding a first view (CSS hides it unless FIRST_VIEW_SHOWN). */
export const FIRST_VIEW_ROOT = 'data-server-rendered';
/** The attribute of the loading line kept before the root, shown while the first view is hidden. */
export const FIRST_VIEW_LOADING = 'data-first-view-loading';
/** The node module the dashboard build writes next to index.html, with `renderFirstView`. */
export const FIRST_VIEW_MODULE = 'first-view.mjs';

/** What the page carries for the app, so it asks for neither again. */
export interface FirstViewData {
  session: SessionInfo;
  board: Board;
}

export interface FirstViewInput extends FirstViewData {
  language: Language;
  /** IANA zone the times are written in (the district's); the head script compares the browser's. */
  timeZone: string;
}

/** The built module's export: the markup of `#root` as React renders the board page. */
export type RenderFirstView = (input: FirstViewInput) => string;
