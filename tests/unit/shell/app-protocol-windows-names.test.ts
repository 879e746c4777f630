// The kiosk's app:// path mapper against names Windows (where the stations run) does not treat as
// files: a DOS device name in any folder (`C:\...\renderer\COM1` opens the serial port the UPS is
// on, `CON` the console), an NTFS stream (`index.html::$DATA`, `a:b`), a drive (`C:`), and names
// Windows trims (a trailing dot or space). The renderer build ships none of these, so each is
// refused on every platform, never handed to the file system; look-alikes stay files.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import os from 'node:os';
import path from 'node:path';
import { resolveAppFile, resolveAppPath } from '../../../electron/shell/app-protocol';

const root = path.join(os.tmpdir(), 'siaga-renderer-windows');

test('DOS device names, with or without an extension, in any folder and any case, map to nothing', () => {
  for (const raw of [
    '/CON',
    '/con.html',
    '/PRN',
    '/AUX.png',
    '/NUL',
    '/assets/nul.js',
    '/COM1',
    '/assets/com9.js',
    '/LPT3',
    '/lpt1.txt.js',
    '/COM%C2%B9',
    '/LPT%C2%B2.css',
    '/CONIN$',
    '/conout$.js',
    '/COM0',
    '/con ',
  ]) {
    assert.equal(resolveAppPath(root, raw), null, raw);
  }
  assert.equal(resolveAppFile(root, 'app://siaga/COM1'), null);
});

test('NTFS streams, drives and names Windows trims map to nothing', () => {
  for (const raw of [
    '/index.html::$DATA',
    '/index.html:secret',
    '/C:/Windows/win.ini',
    '/assets/D:x.js',
    '/index.html.',
    '/index.html%20',
    '/assets./app.js',
  ]) {
    assert.equal(resolveAppPath(root, raw), null, raw);
  }
});

test('ordinary names that only look like device names are still files', () => {
  for (const name of [
    'comics.js',
    'console.js',
    'null-state.js',
    'auxiliary.css',
    'com10.js',
    'lpt.js',
    'a.b.js',
  ]) {
    assert.equal(resolveAppPath(root, `/assets/${name}`), path.join(root, 'assets', name), name);
  }
});
