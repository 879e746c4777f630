// Every camera code the renderer can report becomes a verdict with its own texts (both languages,
// an operator's next step), never the code itself as a message.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CAMERA_CODES } from '../../../electron/station-api';
import { describe as describeCode } from '../../../electron/agent/messages';

test('every camera code has its own message and next step in Bahasa Indonesia and English', () => {
  for (const code of [...CAMERA_CODES, 'CAMERA_VERDICT_STALE']) {
    const text = describeCode(code, 'camera');
    assert.notEqual(text.message.id, code, code);
    assert.ok(text.message.en && text.nextStep.id && text.nextStep.en, code);
  }
  for (const code of ['CAMERA_PARTLY_BLACK', 'CAMERA_NOISE', 'CAMERA_COLOUR_CAST', 'CAMERA_VERDICT_STALE']) {
    // The new picture faults tell the operator what to try before calling the technician.
    assert.doesNotMatch(describeCode(code, 'camera').nextStep.id, /^Hubungi teknisi kabupaten\.$/u, code);
  }
});
