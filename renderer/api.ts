// The one way the renderer reaches the agent: window.siaga, put there by the preload (Electron) or
// by the test shim (Chromium tests). Both implement StationApi.
import type { StationApi } from '../electron/station-api';

declare global {
  interface Window {
    siaga?: StationApi;
  }
}

export function stationApi(): StationApi {
  if (!window.siaga) {
    throw new Error('window.siaga is missing: the preload did not run');
  }
  return window.siaga;
}
