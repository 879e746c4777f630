// The head script of index.html (a classic, parser-blocking script, built on its own by
// scripts/dashboard-web-build.mjs): before the body is parsed it marks <html> when the server's first
// view fits this browser, so CSS shows it; otherwise it stays hidden and React renders over it.
import { markFirstView } from './first-view-state';

markFirstView();
