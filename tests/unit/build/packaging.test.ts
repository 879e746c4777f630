// electron-builder cannot run here: this checks electron-builder.yml statically, and that what it
// names exists and matches the build (scripts/build.mjs output names).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const yaml = require('js-yaml') as { load: (text: string) => unknown };

interface BuilderConfig {
  appId: string;
  files: string[];
  extraMetadata: { main: string };
  npmRebuild: boolean;
  asar: boolean;
  asarUnpack: string[];
  win: { target: { target: string; arch: string[] }[] };
  nsis: { perMachine: boolean; oneClick: boolean; include: string };
  linux: { target: string[] };
  deb: { afterInstall: string; afterRemove: string };
  electronFuses: Record<string, boolean>;
}

const config = yaml.load(readFileSync('electron-builder.yml', 'utf8')) as BuilderConfig;

test('Windows: NSIS, per machine, x64, with autostart for every user', () => {
  assert.deepEqual(
    config.win.target.map((target) => target.target),
    ['nsis'],
  );
  assert.ok(config.win.target[0]!.arch.includes('x64'));
  assert.equal(config.nsis.perMachine, true);
  assert.equal(config.nsis.oneClick, false);
  const script = readFileSync(config.nsis.include, 'utf8');
  assert.match(script, /WriteRegStr HKLM "Software\\Microsoft\\Windows\\CurrentVersion\\Run" "Siaga"/);
  assert.match(script, /DeleteRegValue HKLM/);
});

test('Windows: the installer narrows the data folder ACL (SYSTEM, Administrators, the installing account)', () => {
  const script = readFileSync(config.nsis.include, 'utf8');
  const install = script.slice(script.indexOf('!macro customInstall'), script.indexOf('!macroend'));
  const icacls = install.split('\n').filter((line) => /^\s*nsExec::ExecToLog 'icacls /.test(line));
  assert.equal(icacls.length, 2, install);
  const [narrow, reset] = icacls as [string, string];
  assert.ok(install.indexOf('CreateDirectory "$COMMONAPPDATA\\Siaga"') < install.indexOf(narrow), 'after the folder exists');
  assert.match(narrow, /icacls "\$COMMONAPPDATA\\Siaga" \/inheritance:r \/grant:r /);
  assert.match(narrow, /\*S-1-5-18:\(OI\)\(CI\)F/, 'SYSTEM by SID');
  assert.match(narrow, /\*S-1-5-32-544:\(OI\)\(CI\)F/, 'Administrators by SID');
  assert.match(narrow, /"\$1\\\$0:\(OI\)\(CI\)F"/, 'the installing account');
  assert.match(install, /ReadEnvStr \$0 USERNAME/);
  assert.match(install, /ReadEnvStr \$1 USERDOMAIN/);
  assert.doesNotMatch(narrow, /Users|Everyone|S-1-1-0|S-1-5-32-545/, 'no one else');
  assert.match(reset, /icacls "\$COMMONAPPDATA\\Siaga\\\*" \/reset \/T/);
});

test('Linux: AppImage and deb, with an XDG autostart entry', () => {
  assert.deepEqual([...config.linux.target].sort(), ['AppImage', 'deb']);
  assert.match(readFileSync(config.deb.afterInstall, 'utf8'), /\/etc\/xdg\/autostart\/siaga\.desktop/);
  assert.ok(existsSync(config.deb.afterRemove));
});

test('native modules are rebuilt for Electron and unpacked from the asar', () => {
  assert.equal(config.npmRebuild, true);
  assert.equal(config.asar, true);
  assert.ok(config.asarUnpack.includes('**/*.node'));
  for (const module of ['better-sqlite3', 'usb', '@serialport']) {
    assert.ok(
      config.asarUnpack.some((pattern) => pattern.includes(`node_modules/${module}`)),
      `${module} unpacked`,
    );
  }
  const packageJson = JSON.parse(readFileSync('package.json', 'utf8')) as {
    dependencies: Record<string, string>;
  };
  for (const module of ['better-sqlite3', 'usb', 'serialport']) {
    assert.ok(packageJson.dependencies[module], `${module} is a runtime dependency, so npmRebuild sees it`);
  }
});

test('the packaged entry point is what scripts/build.mjs writes, and the renderer ships', () => {
  assert.equal(config.extraMetadata.main, 'dist/electron/main.cjs');
  assert.match(readFileSync('scripts/build.mjs', 'utf8'), /dist\/electron\/main\.cjs/);
  assert.match(readFileSync('scripts/build.mjs', 'utf8'), /dist\/electron\/preload\.cjs/);
  assert.match(readFileSync('electron/main.ts', 'utf8'), /preload\.cjs/);
  assert.ok(config.files.includes('dist/renderer/**'));
  assert.ok(config.files.includes('resources/catalog.json'));
});

test('fuses: the packaged app cannot be run as plain Node or inspected', () => {
  assert.equal(config.electronFuses.runAsNode, false);
  assert.equal(config.electronFuses.enableNodeCliInspectArguments, false);
  assert.equal(config.electronFuses.onlyLoadAppFromAsar, true);
});

test('main.ts keeps the window locked down', () => {
  const main = readFileSync('electron/main.ts', 'utf8');
  for (const needle of [
    'contextIsolation: true',
    'sandbox: true',
    'nodeIntegration: false',
    'devTools: !kiosk',
    'requestSingleInstanceLock',
    'setWindowOpenHandler',
    "'will-navigate'",
    'setPermissionRequestHandler',
    'render-process-gone',
    'openAtLogin: true',
    'parseIpcArguments',
  ]) {
    assert.ok(main.includes(needle), `main.ts: ${needle}`);
  }
  assert.match(
    readFileSync('renderer/index.html', 'utf8'),
    /Content-Security-Policy" ?\s*content="default-src 'self'; script-src 'self'/,
  );
});
