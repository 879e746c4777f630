// The Electron shell: kiosk window, tray, single instance, autostart, IPC wiring and lockdown.
// Thin on purpose: every decision lives in the station Agent (checks, faults, store, delivery to the
// district) and the StationService over it (what the kiosk shows); this file only connects Electron
// to them. Electron cannot run in CI, so keep logic out of here.
import { app, BrowserWindow, ipcMain, Menu, session, Tray } from 'electron';
import type { IpcMainInvokeEvent } from 'electron';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { dispatchIpcCall, EVENT_CHANNEL, IPC_CHANNELS } from './station-api-ipc';
import type { Agent } from './agent/agent';
import { StationService } from './station/service';
import { enroll } from './agent/enroll';
import type { UsbWatch } from './agent/runtime/usb-watch';
import { createStationAgent, setUpStation } from './agent/composition-root';

const argument = (name: string) =>
  process.argv.find((value) => value.startsWith(`--${name}=`))?.split('=')[1];
/** Kiosk unless started with --no-kiosk (technicians at their desk, development). */
const kiosk = !process.argv.includes('--no-kiosk');

const rendererIndex = path.join(__dirname, '..', 'renderer', 'index.html');
const rendererUrl = pathToFileURL(rendererIndex).href;
const isOwnPage = (url: string | undefined) => url !== undefined && url.split('#')[0] === rendererUrl;

/**
 * resources/icons/<name> (scripts/make-icons.sh): packaged, electron-builder.yml's extraResources
 * copies the folder to <resources>/icons; from a checkout it sits two levels above dist/electron.
 */
function iconPath(name: string): string {
  const packaged = path.join(process.resourcesPath ?? '', 'icons', name);
  return existsSync(packaged) ? packaged : path.join(__dirname, '..', '..', 'resources', 'icons', name);
}

let window: BrowserWindow | null = null;
// Held so the tray icon is not garbage-collected.
let tray: Tray | null = null;
let service: StationService | null = null;
let agent: Agent | null = null;
let usbWatch: UsbWatch | undefined;
let stopped = false;

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  app.on('second-instance', () => showWindow());
  app.on('window-all-closed', () => {
    // The agent keeps checking and reporting with no window open.
  });
  app
    .whenReady()
    .then(start)
    .catch((error: unknown) => {
      process.stderr.write(`siaga: cannot start: ${String(error)}\n`);
      app.exit(1);
    });
  // The agent commits what it is doing and closes its store before the process ends.
  app.on('before-quit', (event) => {
    if (stopped) {
      return;
    }
    event.preventDefault();
    stopped = true;
    service?.stop();
    usbWatch?.stop();
    void (agent?.stop() ?? Promise.resolve()).finally(() => app.quit());
  });
}

async function createStation(): Promise<{ agent: Agent; service: StationService }> {
  const setup = setUpStation({ simulate: argument('simulate'), profile: argument('profile') });
  const version = app.getVersion();
  const created = await createStationAgent(setup, { appVersion: version });
  usbWatch = created.usbWatch;
  const station = created.agent;
  const pinFile = path.join(setup.dataDir, 'initial-pin');
  const facade = new StationService({
    agent: station,
    kiosk,
    // Written by the installer (docs/packaging.md); used until a technician sets a PIN.
    initialPin: existsSync(pinFile) ? readFileSync(pinFile, 'utf8').trim() : undefined,
    enroll: async (districtUrl, code) => {
      const identity = await enroll({
        dataDir: setup.dataDir,
        districtUrl,
        code,
        appVersion: version,
        stationName: setup.profile.station?.name,
      });
      return { stationId: identity.stationId };
    },
  });
  return { agent: station, service: facade };
}

function wireIpc(api: StationService): void {
  for (const channel of IPC_CHANNELS) {
    ipcMain.handle(channel, (event: IpcMainInvokeEvent, ...args: unknown[]) => {
      if (!isOwnPage(event.senderFrame?.url)) {
        throw new Error('refused: not the kiosk page');
      }
      // Validates every argument before it reaches the agent.
      return dispatchIpcCall(api, channel, args);
    });
  }
  api.subscribe((event) => {
    if (window && !window.isDestroyed()) {
      window.webContents.send(EVENT_CHANNEL, event);
    }
  });
}

function lockDownSession(): void {
  const own = session.defaultSession;
  // Only our page may use the camera ('media', video only); everything else is refused.
  own.setPermissionRequestHandler((contents, permission, callback, details) => {
    const videoOnly =
      permission === 'media' &&
      (details as { mediaTypes?: string[] }).mediaTypes?.every((type) => type === 'video') !== false;
    callback(videoOnly && isOwnPage(contents.getURL()));
  });
  own.setPermissionCheckHandler(
    (_contents, permission, origin) => permission === 'media' && origin.startsWith('file://'),
  );
  app.on('web-contents-created', (_event, contents) => {
    contents.on('will-navigate', (navigation) => navigation.preventDefault());
    contents.on('will-redirect', (navigation) => navigation.preventDefault());
    contents.setWindowOpenHandler(() => ({ action: 'deny' }));
    contents.on('will-attach-webview', (attach) => attach.preventDefault());
  });
}

function createWindow(): void {
  window = new BrowserWindow({
    width: 1280,
    height: 800,
    show: false,
    kiosk,
    fullscreen: kiosk,
    autoHideMenuBar: true,
    backgroundColor: '#f2f4f7',
    icon: iconPath('icon.png'),
    webPreferences: {
      preload: path.join(__dirname, 'preload.cjs'),
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
      devTools: !kiosk,
      spellcheck: false,
    },
  });
  window.once('ready-to-show', () => window?.show());
  // A crashed or hung renderer is restarted; the agent in this process never stopped.
  window.webContents.on('render-process-gone', () => window?.webContents.reload());
  window.on('unresponsive', () => window?.webContents.forcefullyCrashRenderer());
  window.on('closed', () => {
    window = null;
  });
  void window.loadFile(rendererIndex);
}

function showWindow(): void {
  if (!window || window.isDestroyed()) {
    createWindow();
    return;
  }
  if (window.isMinimized()) {
    window.restore();
  }
  window.focus();
}

async function start(): Promise<void> {
  Menu.setApplicationMenu(null);
  app.setLoginItemSettings({ openAtLogin: true, args: kiosk ? [] : ['--no-kiosk'] });
  lockDownSession();
  ({ agent, service } = await createStation());
  wireIpc(service);
  createWindow();
  if (!kiosk) {
    // Electron takes tray@2x.png beside it on HiDPI screens.
    tray = new Tray(iconPath('tray.png'));
    tray.setToolTip('Siaga');
    tray.setContextMenu(
      Menu.buildFromTemplate([
        { label: 'Buka Siaga / Open Siaga', click: () => showWindow() },
        { label: 'Periksa sekarang / Check now', click: () => void service?.runCheck({ mode: 'active' }) },
        { type: 'separator' },
        { label: 'Keluar / Quit', click: () => app.quit() },
      ]),
    );
  }
  // Opens the store, runs the (active) startup check, then the schedule, heartbeat and delivery.
  await agent.start();
}
