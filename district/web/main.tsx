import './prefetch-board';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import { prefetchesSettled } from './api';

// The first render waits for the session and the page's data asked for at load (a fraction of a
// second on a district's network, never more than PREFETCH_WAIT_MS): the shell and the board then
// appear in one commit, instead of the shell, a "loading" line, and the board each in turn.
const PREFETCH_WAIT_MS = 500;
void prefetchesSettled(PREFETCH_WAIT_MS).then(() =>
  createRoot(document.getElementById('root')!).render(<App />),
);
