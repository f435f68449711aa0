/**
 * Doctored history files against "Import history" (history-import.ts): a file past the size
 * cap, a million tiny lines, JSON nested a million deep, a validly signed envelope of another
 * room, one dated far in the future. Each must be refused in words, in bounded time, without
 * touching the database: the database handed in here throws on any use, so a line that got
 * as far as being stored fails the test.
 */
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import {
  EXPORT_FORMAT,
  EXPORT_VERSION,
  MAX_EXPORT,
} from '../../src/controllers/room/history-export.js';
import {
  describeImport,
  importHistory,
  MAX_IMPORT_BYTES,
} from '../../src/controllers/room/history-import.js';
import type { Envelope } from '../../src/protocol/chat-events.js';
import type { ParleyDb } from '../../src/store/db.js';
import { author, signedBy } from '../support/envelopes.js';

/** A database no import of a refused file may reach. */
const untouchable = new Proxy({} as ParleyDb, {
  get(_t, key) {
    throw new Error(`the import used the database (${String(key)})`);
  },
});

/** An export of `room` in the export's own layout: a header line, then one line per entry. */
function exportOf(room: string, lines: readonly string[], count = lines.length): Blob {
  const header = {
    format: EXPORT_FORMAT,
    version: EXPORT_VERSION,
    room,
    exported: Date.now(),
    count,
  };
  const head = JSON.stringify(header).slice(0, -1) + ',"messages":[';
  return new Blob([`${head}\n${lines.join(',\n')}\n]}\n`]);
}

describe('attack: doctored history files', () => {
  let other: Envelope;
  let future: Envelope;
  before(async () => {
    const eve = await author('Eve');
    // Validly signed by their author: only the room and the time are wrong.
    other = await signedBy(eve, { room: 'elsewhere', text: 'from another room' });
    future = await signedBy(eve, { room: 'general', ts: Date.now() + 365 * 86_400_000 });
  });

  it('a file one byte past the cap is refused before it is read', async () => {
    const big = new Blob([new Uint8Array(MAX_IMPORT_BYTES + 1)]);
    const started = performance.now();
    const report = await importHistory(untouchable, 'me', big);
    assert.equal(report.room, '');
    assert.equal(report.added, 0);
    assert.match(describeImport(report), /too large to import \(64\.0 MiB; at most 64\.0 MiB\)/);
    assert.ok(performance.now() - started < 1_000);
  });

  it('a validly signed line of another room, or dated a year ahead, is refused and said', async () => {
    const report = await importHistory(
      untouchable,
      'me',
      exportOf('general', [JSON.stringify(other), JSON.stringify(future)]),
      { room: 'general' },
    );
    assert.deepEqual(
      { room: report.room, added: report.added, known: report.known, refused: report.refused },
      { room: 'general', added: 0, known: 0, refused: 2 },
    );
    assert.deepEqual(report.reasons, [
      'a message is of another room than #general',
      'a message is dated in the future',
    ]);
    assert.match(describeImport(report), /^Imported 0 messages into #general \(2 refused: /);
  });

  it('a million tiny lines: only the newest MAX_EXPORT are looked at, and it says so', async () => {
    const tiny = Array.from({ length: 1_000_000 }, () => '1');
    const file = exportOf('general', tiny, 3);
    const started = performance.now();
    const report = await importHistory(untouchable, 'me', file);
    const took = performance.now() - started;
    assert.equal(report.refused, 1_000_000);
    assert.equal(report.added, 0);
    assert.deepEqual(report.reasons.slice(0, 3), [
      `only the newest ${MAX_EXPORT.toLocaleString('en')} messages are taken`,
      'the file says it holds 3 messages but holds 1000000',
      'a line is not a message',
    ]);
    // Measured about 1 s on a loaded 2-CPU machine.
    assert.ok(took < 20_000, `${took.toFixed(0)} ms`);
  });

  it('JSON nested a million deep, in a line or as the whole file, is refused in words', async () => {
    const deep = '['.repeat(1_000_000) + ']'.repeat(1_000_000);
    const inLine = await importHistory(untouchable, 'me', exportOf('general', [deep, '{"a":1}']));
    assert.equal(inLine.refused, 2);
    assert.equal(inLine.added, 0);
    assert.ok(inLine.reasons.every((r) => /^a line is not (JSON|a message)$/.test(r)));
    const whole = await importHistory(untouchable, 'me', new Blob([deep]));
    assert.equal(describeImport(whole), 'This file is not a Parley history export.');
  });

  it('a header with prototype keys names its own room and pollutes nothing', async () => {
    const head = (count: number) =>
      `{"__proto__":{"room":"x"},"format":"${EXPORT_FORMAT}","version":${EXPORT_VERSION},` +
      `"room":"general","exported":1,"count":${count},"messages":[\n]}`;
    const report = await importHistory(untouchable, 'me', new Blob([head(0)]));
    assert.equal(describeImport(report), 'Imported 0 messages into #general.');
    assert.equal(({} as { room?: string }).room, undefined);
    const lying = await importHistory(untouchable, 'me', new Blob([head(-1)]));
    assert.equal(describeImport(lying), 'This history file has a damaged header.');
  });
});
