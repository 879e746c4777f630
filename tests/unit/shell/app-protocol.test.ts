// The shell's decisions about its own origin (electron/shell/app-protocol.ts), and a static check
// that electron/main.ts wires them: the Electron binary is not available here, so main.ts is read,
// not run.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  APP_CSP,
  APP_INDEX_URL,
  contentType,
  devToolsAllowed,
  navigationAllowed,
  permissionAllowed,
  resolveAppFile,
  resolveAppPath,
  windowMayClose,
} from '../../../electron/shell/app-protocol';

const root = mkdtempSync(path.join(os.tmpdir(), 'siaga-renderer-'));

test('app:// paths map to files inside the renderer folder', () => {
  assert.equal(resolveAppFile(root, 'app://siaga/'), path.join(root, 'index.html'));
  assert.equal(resolveAppFile(root, APP_INDEX_URL), path.join(root, 'index.html'));
  assert.equal(resolveAppFile(root, 'app://siaga/app.js?v=1#/faults'), path.join(root, 'app.js'));
  assert.equal(resolveAppFile(root, 'app://siaga/assets/a%20b.png'), path.join(root, 'assets', 'a b.png'));
});

test('path traversal and foreign requests map to nothing', () => {
  for (const url of [
    'app://siaga/../secret',
    'app://siaga/%2e%2e/secret',
    'app://siaga/assets/..%2f..%2fsecret',
    'app://siaga/assets%2F..%2F..%2Fsecret',
    'app://siaga/..%5c..%5csecret',
    'app://siaga/a/%00.js',
    'app://siaga/%E0%A4%A',
    'app://siaga/C:%5cWindows%5cwin.ini',
    'app://other/index.html',
    'app://siaga.evil/index.html',
    'app://user@siaga/index.html',
    'file:///etc/passwd',
    'https://siaga/index.html',
    'not a url',
  ]) {
    const file = resolveAppFile(root, url);
    assert.ok(file === null || file.startsWith(root + path.sep), `${url} -> ${file}`);
  }
  // The plain cases must be refused outright, not clamped to some other file.
  assert.equal(resolveAppFile(root, 'app://siaga/assets%2F..%2F..%2Fsecret'), null);
  assert.equal(resolveAppFile(root, 'app://siaga/..%5c..%5csecret'), null);
  assert.equal(resolveAppFile(root, 'app://siaga/a/%00.js'), null);
  assert.equal(resolveAppFile(root, 'app://other/index.html'), null);
  assert.equal(resolveAppFile(root, 'file:///etc/passwd'), null);
});

test('a raw path leaving the folder is refused, not clamped', () => {
  for (const raw of [
    '/../secret',
    '/a/../../secret',
    '/%2e%2e/secret',
    '/a/%2E%2E/%2e%2e/secret',
    '/./x',
    '/a%2fb',
    '/a%5cb',
    '/%00',
  ]) {
    assert.equal(resolveAppPath(root, raw), null, raw);
  }
  assert.equal(resolveAppPath(root, '/'), path.join(root, 'index.html'));
  assert.equal(resolveAppPath(root, '/a/b.js'), path.join(root, 'a', 'b.js'));
});

test('the CSP header is the one of the page', () => {
  const html = readFileSync('renderer/index.html', 'utf8');
  assert.equal(/http-equiv="Content-Security-Policy"\s+content="([^"]+)"/.exec(html)?.[1], APP_CSP);
});

test('content types of what the renderer build ships', () => {
  assert.match(contentType('/x/index.html'), /^text\/html/);
  assert.match(contentType('/x/app.js'), /^text\/javascript/);
  assert.match(contentType('/x/app.css'), /^text\/css/);
  assert.equal(contentType('/x/blob.bin'), 'application/octet-stream');
});

test('navigation stays within app://siaga', () => {
  assert.equal(navigationAllowed('app://siaga/index.html#/faults'), true);
  for (const url of [
    'https://evil.example/',
    'file:///C:/Windows/',
    'app://other/',
    'javascript:alert(1)',
    'about:blank',
  ]) {
    assert.equal(navigationAllowed(url), false, url);
  }
});

test('the camera only for the exact app origin, video only; nothing else', () => {
  assert.equal(
    permissionAllowed({ permission: 'media', origin: 'app://siaga', mediaTypes: ['video'] }),
    true,
  );
  assert.equal(permissionAllowed({ permission: 'media', origin: 'app://siaga/' }), true);
  assert.equal(
    permissionAllowed({ permission: 'media', origin: 'app://siaga/index.html', mediaTypes: ['video'] }),
    true,
  );
  assert.equal(
    permissionAllowed({ permission: 'media', origin: 'app://siaga', mediaTypes: ['video', 'audio'] }),
    false,
  );
  for (const origin of [
    'file://',
    'file:///C:/app/index.html',
    'https://evil.example',
    'app://siaga.evil',
    'app://other',
    'null',
    '',
  ]) {
    assert.equal(permissionAllowed({ permission: 'media', origin, mediaTypes: ['video'] }), false, origin);
  }
  for (const permission of ['geolocation', 'notifications', 'clipboard-read', 'openExternal']) {
    assert.equal(permissionAllowed({ permission, origin: 'app://siaga' }), false, permission);
  }
});

test('DevTools only in a technician session; the kiosk window closes only when quitting', () => {
  assert.equal(devToolsAllowed(false), false);
  assert.equal(devToolsAllowed(true), true);
  assert.equal(windowMayClose({ kiosk: true, quitting: false }), false);
  assert.equal(windowMayClose({ kiosk: true, quitting: true }), true);
  assert.equal(windowMayClose({ kiosk: false, quitting: false }), true);
});

test('main.ts wires the protocol, the navigation guard, the permissions and the kiosk window', () => {
  const main = readFileSync('electron/main.ts', 'utf8');
  assert.doesNotMatch(main, /loadFile\(|pathToFileURL|file:\/\//, 'no file:// page');
  assert.match(main, /loadURL\(APP_INDEX_URL\)/);
  const registered = main.indexOf('protocol.registerSchemesAsPrivileged');
  assert.ok(
    registered >= 0 && registered < main.indexOf('app\n    .whenReady()'),
    'scheme registered before ready',
  );
  assert.match(main, /standard: true, secure: true/);
  assert.match(main, /protocol\.handle\(APP_SCHEME/);
  assert.match(main, /resolveAppFile\(rendererRoot, request\.url\)/);
  assert.match(main, /'content-security-policy': APP_CSP/);
  assert.match(main, /'will-frame-navigate'[\s\S]{0,120}navigationAllowed\(navigation\.url\)/);
  assert.match(main, /setPermissionRequestHandler[\s\S]{0,200}permissionAllowed\(/);
  assert.match(main, /setPermissionCheckHandler[\s\S]{0,120}permissionAllowed\(/);
  assert.match(main, /'devtools-opened'[\s\S]{0,160}devToolsAllowed\([\s\S]{0,80}closeDevTools\(\)/);
  assert.match(
    main,
    /on\('close'[\s\S]{0,120}windowMayClose\(\{ kiosk, quitting \}\)[\s\S]{0,40}preventDefault\(\)/,
  );
  assert.match(main, /on\('closed'[\s\S]{0,160}windowMayClose[\s\S]{0,60}showWindow\(\)/);
});
