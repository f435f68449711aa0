/**
 * Importing a JSON export into another account in another browser (a fresh database): the
 * same envelopes and the same rows come out; a tampered line is refused and counted while the
 * rest is taken; repeats are known; a file that is not an export, or too large, or of another
 * room, says so in words — and nothing of it is stored.
 */
import { expect } from '@open-wc/testing';
import type { Envelope } from '../../../src/protocol/chat-events.js';
import { exportJson } from '../../../src/controllers/room/history-export.js';
import {
  describeImport,
  importHistory,
  MAX_IMPORT_BYTES,
} from '../../../src/controllers/room/history-import.js';
import { collectRows } from '../../../src/controllers/room/history-rows.js';
import { envelopeOf, pageMessages } from '../../../src/store/history.js';
import type { ParleyDb } from '../../../src/store/db.js';
import { freshDb } from '../../support/db.js';
import { linesOf, roomKey, storeHistory } from './history-fixtures.js';

const A = 'account-a';
const B = 'account-b';

/** What `owner` holds of `room`, oldest first, as envelopes. */
async function held(db: ParleyDb, owner: string, room: string): Promise<Envelope[]> {
  return (await pageMessages(db, owner, room, undefined, 1000)).messages.reverse().map(envelopeOf);
}

/** `rows` without what differs between two accounts (the owner, the delivery state). */
const comparable = (rows: readonly object[]) =>
  rows.map((r) => {
    const { owner: _o, status: _s, ...rest } = r as { owner: string; status: string };
    return rest;
  });

const json = (text: string) => new Blob([text], { type: 'application/json' });

describe('history import', function () {
  this.timeout(30000);
  const drops: Array<() => Promise<void>> = [];
  afterEach(async () => {
    await Promise.all(drops.splice(0).map((d) => d()));
  });
  async function db(): Promise<ParleyDb> {
    const fresh = await freshDb();
    drops.push(fresh.drop);
    return fresh.db;
  }

  for (const sealed of [false, true]) {
    it(`gives another account the same envelopes and rows (${sealed ? 'encrypted' : 'clear'} room)`, async () => {
      const [one, two] = [await db(), await db()];
      const key = sealed ? await roomKey() : undefined;
      const h = await storeHistory(one, A, 'general', key);
      const file = await exportJson(one, A, 'general');

      const report = await importHistory(two, B, file, { self: h.alice.id });
      expect(report).to.deep.include({ room: 'general', added: 5, known: 0, refused: 0 });
      expect(report.reasons).to.deep.equal([]);
      expect(report.fresh.map((e) => e.id)).to.deep.equal(h.envs.map((e) => e.id));
      expect(await held(two, B, 'general')).to.deep.equal(h.envs);
      // Alice's are ours in the other browser too (same identity): delivered, not received.
      const stored = (await pageMessages(two, B, 'general')).messages;
      for (const m of stored)
        expect(m.status).to.equal(m.from.id === h.alice.id ? 'delivered' : 'received');

      const keys = key ? [key] : [];
      const before = await collectRows(one, A, 'general', keys, h.alice.id);
      const after = await collectRows(two, B, 'general', keys, h.alice.id);
      expect(comparable(after)).to.deep.equal(comparable(before));
      expect(after.map((r) => r.text)).to.include('Hi Alice');
      // The events folded into the message they name: edited, and Bob's reaction on it.
      const hello = after.find((r) => r.id === h.hello.id)!;
      expect(hello.text).to.equal('Hello, edited world');
      expect(hello.edited).to.be.a('number');
      expect(hello.reactions?.map((r) => [r.emoji, r.by.map((b) => b.name)])).to.deep.equal([
        ['👍', ['Bob']],
      ]);
      expect(after.filter((r) => r.event)).to.deep.equal([]);
      expect(after.find((r) => r.id === h.reply.id)?.replyTo?.id).to.equal(h.hello.id);
      expect(describeImport(report)).to.equal('Imported 5 messages into #general.');
    });
  }

  it('counts what is already here as known, and repeats in the file too', async () => {
    const [one, two] = [await db(), await db()];
    const h = await storeHistory(one, A, 'general');
    const text = await (await exportJson(one, A, 'general')).text();
    const first = await importHistory(two, B, json(text));
    expect(first.added).to.equal(5);
    const again = await importHistory(two, B, json(text));
    expect(again).to.deep.include({ added: 0, known: 5, refused: 0, fresh: [] });
    expect(describeImport(again)).to.equal('Imported 0 messages into #general (5 already here).');
    // A line twice in a fresh account: stored once, the second counted as known.
    const lines = linesOf(text);
    const doubled = [lines[0], `${lines[1]}`, ...lines.slice(1)].join('\n');
    const three = await db();
    const r = await importHistory(three, B, json(doubled));
    expect(r).to.deep.include({ added: 5, known: 1, refused: 0 });
    expect(await held(three, B, 'general')).to.deep.equal(h.envs);
  });

  const tampering: Array<[string, (env: Envelope) => Envelope]> = [
    ['its text', (e) => ({ ...e, body: { ...e.body, text: 'Hello, forged world' } })],
    [
      'its signature',
      (e) => ({ ...e, sig: e.sig.slice(0, -2) + (e.sig.endsWith('AA') ? 'BA' : 'AA') }),
    ],
    ['its author name', (e) => ({ ...e, from: { ...e.from, name: 'Mallory' } })],
    ['its time', (e) => ({ ...e, ts: e.ts + 1 })],
  ];
  for (const [what, tamper] of tampering) {
    it(`refuses a line whose ${what.replace('its ', '')} was changed, and takes the rest`, async () => {
      const [one, two] = [await db(), await db()];
      const h = await storeHistory(one, A, 'general');
      const lines = linesOf(await (await exportJson(one, A, 'general')).text());
      // The first message (Alice's hello) is doctored: its own line, comma kept.
      lines[1] = JSON.stringify(tamper(JSON.parse(lines[1]!.slice(0, -1)) as Envelope)) + ',';
      const report = await importHistory(two, B, json(lines.join('\n')));
      expect(report).to.deep.include({ added: 4, known: 0, refused: 1 });
      expect(report.reasons).to.deep.equal(['its signature does not match']);
      expect((await held(two, B, 'general')).map((e) => e.id)).to.deep.equal(
        h.envs.slice(1).map((e) => e.id),
      );
      expect(describeImport(report)).to.equal(
        'Imported 4 messages into #general (1 refused: its signature does not match).',
      );
    });
  }

  it('takes the genuine line when a forged copy of its id comes first in the file', async () => {
    const [one, two] = [await db(), await db()];
    const h = await storeHistory(one, A, 'general');
    const lines = linesOf(await (await exportJson(one, A, 'general')).text());
    const genuine = JSON.parse(lines[1]!.slice(0, -1)) as Envelope;
    const forged = JSON.stringify({ ...genuine, body: { text: 'not what she said' } }) + ',';
    const withForgery = [lines[0], forged, ...lines.slice(1)].join('\n');
    const report = await importHistory(two, B, json(withForgery));
    expect(report).to.deep.include({ added: 5, known: 0, refused: 1 });
    expect(await held(two, B, 'general')).to.deep.equal(h.envs);
  });

  it('refuses a doctored copy of a message already here, rather than call it known', async () => {
    const one = await db();
    await storeHistory(one, A, 'general');
    const lines = linesOf(await (await exportJson(one, A, 'general')).text());
    const doctored = JSON.parse(lines[1]!.slice(0, -1)) as Envelope;
    lines[1] = JSON.stringify({ ...doctored, body: { text: 'not what she said' } }) + ',';
    const report = await importHistory(one, A, json(lines.join('\n')));
    expect(report).to.deep.include({ added: 0, known: 4, refused: 1 });
  });

  it('refuses a line of another room, and one that is not a message or not JSON', async () => {
    const [one, two] = [await db(), await db()];
    await storeHistory(one, A, 'general');
    const lines = linesOf(await (await exportJson(one, A, 'general')).text());
    const moved = { ...(JSON.parse(lines[1]!.slice(0, -1)) as Envelope), room: 'random' };
    lines[1] = JSON.stringify(moved) + ',';
    lines[2] = '{"id":"x"},';
    lines[3] = '{"id": this is not json,';
    const report = await importHistory(two, B, json(lines.join('\n')));
    expect(report).to.deep.include({ added: 2, refused: 3 });
    expect(report.reasons).to.deep.equal([
      'a message is of another room than #general',
      'a line is not a message',
      'a line is not JSON',
    ]);
    expect(await held(two, B, 'random')).to.deep.equal([]);
  });

  it('says in words when a file is not an export, too large, cut short, newer, or of another room', async () => {
    const [one, two] = [await db(), await db()];
    await storeHistory(one, A, 'general');
    const text = await (await exportJson(one, A, 'general')).text();
    const cases: Array<[Blob, string, { room?: string }?]> = [
      [json('hello'), 'This file is not a Parley history export.'],
      [json('{"messages":[]}'), 'This file is not a Parley history export.'],
      [
        new Blob([new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0, 1, 2])]),
        'This file is not a Parley history export.',
      ],
      [json(text.slice(0, text.length - 5)), 'This history file is cut short: its end is missing.'],
      [
        json(text.replace('"version":1', '"version":2')),
        'This history file was made by another version of Parley (format 2); this one reads format 1.',
      ],
      [
        json(text.replace('"room":"general"', '"room":"<b>"')),
        'This history file has a damaged header.',
      ],
      [json(text), 'This history is of #general, not of #random.', { room: 'random' }],
      [
        new Blob([new Uint8Array(MAX_IMPORT_BYTES + 1024 * 1024)]),
        'This file is too large to import (65.0 MiB; at most 64.0 MiB).',
      ],
    ];
    for (const [file, reason, opts] of cases) {
      const report = await importHistory(two, B, file, opts);
      expect(report).to.deep.equal({
        room: '',
        added: 0,
        known: 0,
        refused: 0,
        reasons: [reason],
        fresh: [],
      });
      expect(describeImport(report)).to.equal(reason);
    }
    expect(await held(two, B, 'general')).to.deep.equal([]);
    // The same export, pretty-printed by someone: still read (whole), still verified.
    const pretty = JSON.stringify(JSON.parse(text), null, 2);
    expect((await importHistory(two, B, json(pretty))).added).to.equal(5);
  });

  it('notes a file that holds other than it says', async () => {
    const [one, two] = [await db(), await db()];
    await storeHistory(one, A, 'general');
    const lines = linesOf(await (await exportJson(one, A, 'general')).text());
    lines.splice(2, 1); // a line taken out
    const report = await importHistory(two, B, json(lines.join('\n')));
    expect(report).to.deep.include({ added: 4, refused: 0 });
    expect(describeImport(report)).to.equal(
      'Imported 4 messages into #general (the file says it holds 5 messages but holds 4).',
    );
  });
});
