// electron-builder cannot run here: this checks electron-builder.yml statically, and that what it
// names exists and matches the build (scripts/build.mjs output names).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
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
  extraResources: { from: string; to: string }[];
  electronFuses: Record<string, boolean>;
}

/** Keys whose value electron-builder reads as a file or folder of the project. */
const PATH_KEYS = new Set([
  'buildResources',
  'from',
  'icon',
  'installerIcon',
  'uninstallerIcon',
  'installerHeaderIcon',
  'installerSidebar',
  'uninstallerSidebar',
  'include',
  'script',
  'license',
  'afterInstall',
  'afterRemove',
]);

/** Every path-valued setting anywhere in the config, and the literal (non-glob) `files` entries. */
function namedPaths(value: unknown, key = ''): string[] {
  if (Array.isArray(value)) {
    return value.flatMap((item) =>
      key === 'files' && typeof item === 'string' ? (/[*!{]/.test(item) ? [] : [item]) : namedPaths(item),
    );
  }
  if (typeof value === 'object' && value !== null) {
    return Object.entries(value).flatMap(([name, item]) => namedPaths(item, name));
  }
  return typeof value === 'string' && PATH_KEYS.has(key) ? [value] : [];
}

/** Width and height from a PNG's IHDR chunk (which must come first). */
function pngSize(bytes: Buffer, name: string): { width: number; height: number } {
  assert.ok(
    bytes.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])),
    `${name} is a PNG`,
  );
  assert.equal(bytes.toString('latin1', 12, 16), 'IHDR', `${name}: IHDR first`);
  return { width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20) };
}

/** The images of a Windows .ico: directory entries checked against the image data they point to. */
function icoSizes(bytes: Buffer, name: string): number[] {
  assert.equal(bytes.readUInt16LE(0), 0, `${name}: reserved word`);
  assert.equal(bytes.readUInt16LE(2), 1, `${name}: type 1 (icon), not a cursor or something else`);
  const count = bytes.readUInt16LE(4);
  return Array.from({ length: count }, (_, index) => {
    const entry = 6 + index * 16;
    // A width byte of 0 means 256.
    const width = bytes[entry]! || 256;
    const height = bytes[entry + 1]! || 256;
    assert.equal(width, height, `${name}: image ${index} is square`);
    const length = bytes.readUInt32LE(entry + 8);
    const offset = bytes.readUInt32LE(entry + 12);
    assert.ok(
      offset >= 6 + count * 16 && offset + length <= bytes.length,
      `${name}: image ${index} inside the file`,
    );
    const image = bytes.subarray(offset, offset + length);
    // Each image is a PNG or a BMP without its file header (BITMAPINFOHEADER, height doubled for the mask).
    if (image[0] === 0x89) {
      assert.deepEqual(pngSize(image, `${name} image ${index}`), { width, height });
    } else {
      assert.equal(image.readUInt32LE(0), 40, `${name}: image ${index} is a PNG or a BITMAPINFOHEADER`);
      assert.equal(image.readInt32LE(4), width, `${name}: image ${index} width`);
      assert.equal(image.readInt32LE(8), height * 2, `${name}: image ${index} height (with its mask)`);
    }
    return width;
  });
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
    'dispatchIpcCall',
  ]) {
    assert.ok(main.includes(needle), `main.ts: ${needle}`);
  }
  assert.match(
    readFileSync('renderer/index.html', 'utf8'),
    /Content-Security-Policy" ?\s*content="default-src 'self'; script-src 'self'/,
  );
});

test('every file electron-builder.yml names exists (icons, extraResources, NSIS include, deb scripts)', () => {
  const paths = namedPaths(config);
  // The walk must see the settings it is meant to check, or this test passes on nothing.
  for (const expected of [
    'resources/build',
    'resources/icons',
    'resources/icons/icon.ico',
    'resources/icons/linux',
    'resources/build/installer.nsh',
    'resources/build/linux-after-install.sh',
    'resources/catalog.json',
  ]) {
    assert.ok(paths.includes(expected), `the walk finds ${expected}`);
  }
  const missing = paths.filter((file) => !existsSync(file));
  assert.deepEqual(missing, [], `electron-builder.yml names missing files: ${missing.join(', ')}`);
});

test('the icons main.ts loads exist where the packaged app and a checkout look for them', () => {
  const main = readFileSync('electron/main.ts', 'utf8');
  const icons = [...main.matchAll(/iconPath\('([^']+)'\)/g)].map((match) => match[1]!);
  assert.deepEqual([...icons].sort(), ['icon.png', 'tray.png']);
  // Packaged: <resources>/icons/<name>, which extraResources fills from resources/icons.
  assert.match(main, /path\.join\(process\.resourcesPath \?\? '', 'icons', name\)/);
  assert.ok(config.extraResources.some((entry) => entry.from === 'resources/icons' && entry.to === 'icons'));
  for (const icon of icons) {
    assert.ok(existsSync(path.join('resources/icons', icon)), `resources/icons/${icon}`);
  }
});

test('icons have the sizes their users need', () => {
  const size = (file: string) => pngSize(readFileSync(file), file);
  assert.deepEqual(size('resources/icons/tray.png'), { width: 16, height: 16 });
  // Electron loads name@2x.png beside the tray icon on HiDPI screens.
  assert.deepEqual(size('resources/icons/tray@2x.png'), { width: 32, height: 32 });
  assert.deepEqual(size('resources/icons/icon.png'), { width: 256, height: 256 });
  const linux = readdirSync('resources/icons/linux');
  assert.ok(linux.includes('512x512.png'), 'Linux set has 512x512');
  for (const file of linux) {
    const named = /^(\d+)x(\d+)\.png$/.exec(file);
    assert.ok(named, `${file}: electron-builder reads the size from the name NxN.png`);
    assert.deepEqual(size(path.join('resources/icons/linux', file)), {
      width: Number(named[1]),
      height: Number(named[2]),
    });
  }
  const ico = icoSizes(readFileSync('resources/icons/icon.ico'), 'icon.ico');
  for (const needed of [16, 32, 48, 256]) {
    assert.ok(ico.includes(needed), `icon.ico has ${needed}x${needed} (has ${ico.join(', ')})`);
  }
});
