// The Electron shell: kiosk window, tray, single instance, autostart, IPC wiring and lockdown.
// Thin on purpose: every decision lives in the station Agent (checks, faults, store, delivery to the
// district) and the StationService over it (what the kiosk shows); this file only connects Electron
// to them. Electron cannot run in CI, so keep logic out of here.
import { app, BrowserWindow, ipcMain, Menu, protocol, session, Tray } from 'electron';
import type { IpcMainInvokeEvent } from 'electron';
import { existsSync, readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { dispatchIpcCall, EVENT_CHANNEL, IPC_CHANNELS } from './station-api-ipc';
import type { Agent } from './agent/agent';
import { StationService } from './station/service';
import { enroll } from './agent/enroll';
import type { UsbWatch } from './agent/runtime/usb-watch';
import { createStationAgent, setUpStation } from './agent/composition-root';
import {
  APP_CSP,
  APP_INDEX_URL,
  APP_SCHEME,
  contentType,
  devToolsAllowed,
  isAppUrl,
  navigationAllowed,
  permissionAllowed,
  resolveAppFile,
  windowMayClose,
} from './shell/app-protocol';

const argument = (name: string) =>
  process.argv.find((value) => value.startsWith(`--${name}=`))?.split('=')[1];
/** Kiosk unless started with --no-kiosk (technicians at their desk, development). */
const kiosk = !process.argv.includes('--no-kiosk');

const rendererRoot = path.join(__dirname, '..', 'renderer');
const isOwnPage = isAppUrl;
/** Set once the app is quitting: only then may the kiosk window close. */
let quitting = false;

// The UI is served from app://siaga/ (a secure, standard origin of its own), not from a file URL.
protocol.registerSchemesAsPrivileged([
  { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } },
]);

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
    quitting = true;
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
  own.protocol.handle(APP_SCHEME, async (request) => {
    const file = resolveAppFile(rendererRoot, request.url);
    if (file === null) {
      return new Response('not found', { status: 404 });
    }
    try {
      return new Response(await readFile(file), {
        headers: { 'content-type': contentType(file), 'content-security-policy': APP_CSP },
      });
    } catch {
      return new Response('not found', { status: 404 });
    }
  });
  // Only our page may use the camera ('media', video only); everything else is refused.
  own.setPermissionRequestHandler((contents, permission, callback, details) => {
    callback(
      permissionAllowed({
        permission,
        origin: details.requestingUrl ?? contents.getURL(),
        mediaTypes: (details as { mediaTypes?: string[] }).mediaTypes ?? ['video', 'audio'],
      }),
    );
  });
  own.setPermissionCheckHandler((_contents, permission, origin) => permissionAllowed({ permission, origin }));
  app.on('web-contents-created', (_event, contents) => {
    contents.on('will-frame-navigate', (navigation) => {
      if (!navigationAllowed(navigation.url)) {
        navigation.preventDefault();
      }
    });
    contents.on('will-navigate', (navigation) => {
      if (!navigationAllowed(navigation.url)) {
        navigation.preventDefault();
      }
    });
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
      // Never in kiosk mode; at a technician's desk (--no-kiosk) only in a technician session
      // (see 'devtools-opened' below).
      devTools: !kiosk,
      spellcheck: false,
    },
  });
  window.once('ready-to-show', () => window?.show());
  // A crashed or hung renderer is restarted; the agent in this process never stopped.
  window.webContents.on('render-process-gone', () => window?.webContents.reload());
  window.on('unresponsive', () => window?.webContents.forcefullyCrashRenderer());
  window.webContents.on('devtools-opened', () => {
    if (!devToolsAllowed(service?.technicianActive() ?? false)) {
      window?.webContents.closeDevTools();
    }
  });
  window.webContents.on('before-input-event', (event, input) => {
    if (
      input.type === 'keyDown' &&
      input.key === 'F12' &&
      devToolsAllowed(service?.technicianActive() ?? false)
    ) {
      event.preventDefault();
      window?.webContents.toggleDevTools();
    }
  });
  // The kiosk never leaves the station without the app: closing is refused, and a window that
  // went anyway (crash) comes back.
  window.on('close', (event) => {
    if (!windowMayClose({ kiosk, quitting })) {
      event.preventDefault();
    }
  });
  window.on('closed', () => {
    window = null;
    if (!windowMayClose({ kiosk, quitting })) {
      setTimeout(() => showWindow(), 1000);
    }
  });
  void window.loadURL(APP_INDEX_URL);
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
