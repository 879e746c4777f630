// Exposes one typed object, window.siaga, implementing StationApi over IPC. Nothing else crosses:
// no ipcRenderer, no Node. main.ts validates every argument again.
import { contextBridge, ipcRenderer } from 'electron';
import type { IpcRendererEvent } from 'electron';
import { createIpcClient, EVENT_CHANNEL } from './station-api-client';
import type { StationEvent } from './station-api';

const api = createIpcClient(
  (channel, ...args) => ipcRenderer.invoke(channel, ...args),
  (listener) => {
    const handler = (_event: IpcRendererEvent, payload: StationEvent) => listener(payload);
    ipcRenderer.on(EVENT_CHANNEL, handler);
    return () => {
      ipcRenderer.removeListener(EVENT_CHANNEL, handler);
    };
  },
);

contextBridge.exposeInMainWorld('siaga', api);
