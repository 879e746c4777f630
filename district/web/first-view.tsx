// The server's first view of the board (docs/dashboard.md), built by scripts/dashboard-web-build.mjs
// as a node module (first-view.mjs) that routes/first-view.ts loads from the web folder: the very
// Shell and Board the app renders, to a string, from the data the server computed. React then
// hydrates this markup in the browser (main.tsx), so it must be what the app's first render gives.
import { renderToString } from 'react-dom/server';
import type { FirstViewInput } from '../dash-first-view';
import { provide, takeArrived } from './api';
import { Shell } from './App';
import { LanguageContext, TimeZoneContext } from './language';

const BOARD_PATH = '/api/dash/board';
const ignore = (): void => undefined;

export function renderFirstView(input: FirstViewInput): string {
  // The board page takes its data as the app's does, prefetched (use-api.ts); rendering is
  // synchronous, so no other request's render sees it.
  provide(BOARD_PATH, input.board);
  try {
    return renderToString(
      <LanguageContext.Provider value={input.language}>
        <TimeZoneContext.Provider value={input.timeZone}>
          <Shell session={input.session} onLogout={ignore} onLanguage={ignore} />
        </TimeZoneContext.Provider>
      </LanguageContext.Provider>,
    );
  } finally {
    takeArrived(BOARD_PATH);
  }
}
