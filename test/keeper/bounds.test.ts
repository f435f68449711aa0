/**
 * The keeper's bounds. Its store (keeper/store.ts) on real files: a room past its count drops
 * its oldest first and says so; an author past its share of a room loses its own oldest, not
 * others'; messages past their age go; past the byte bound the largest room's oldest go.
 * The keeper as a process: a flood from one author is cut at the author budget (the rest never
 * stored nor acknowledged), another author's messages are all kept, and the room's retention
 * drops its oldest and logs it.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { ParleyServer } from '../../signaling/server.js';
import type { Envelope, ParleyClient } from '../../src/node/index.js';
import { KeeperStore, type Drop, type StoreBounds } from '../../keeper/store.js';
import { bot, tempDir, waitFor } from '../node/helpers.js';
import { acknowledgedBy, allOf, startKeeper, startKeptServer } from './helpers.js';

const DAY = 86_400_000;
const NOW = Date.UTC(2026, 11, 7, 12);

/** An envelope-shaped record (the store does not verify: the keeper's Intake did). */
function env(room: string, author: string, n: number, ts = NOW - 1000 + n): Envelope {
  return {
    id: `${author}-${String(n).padStart(4, '0')}`,
    room,
    from: { id: author, name: author, key: 'k' },
    ts,
    seq: n,
    body: { text: `x`.repeat(100) },
    sig: 's',
  } as unknown as Envelope;
}

function bounds(over: Partial<StoreBounds> = {}): StoreBounds {
  return { roomMessages: 1000, authorMessages: 1000, maxAgeMs: 30 * DAY, maxBytes: 1e9, ...over };
}

describe('keeper store bounds', () => {
  let dir: string;
  let remove: () => Promise<void>;
  let n = 0;
  before(async () => ({ dir, remove } = await tempDir()));
  after(() => remove());
  const fresh = (b: StoreBounds, drops: Drop[]) =>
    new KeeperStore(`${dir}/${n++}`, b, (d) => drops.push(d));

  it("drops a room's oldest past its count, and says so", () => {
    const drops: Drop[] = [];
    const store = fresh(bounds({ roomMessages: 5 }), drops);
    const all = Array.from({ length: 8 }, (_, i) => env('r', 'a', i));
    for (const e of all) store.put('r', [e], NOW);
    assert.deepEqual(
      store.ids('r'),
      all.slice(3).map((e) => e.id),
    );
    assert.deepEqual(
      drops,
      [1, 1, 1].map((count) => ({ room: 'r', count, why: 'room' })),
    );
    store.close();
  });

  it("drops an author's own oldest past its share, keeping the others", () => {
    const store = fresh(bounds({ authorMessages: 3 }), []);
    const other = [env('r', 'b', 0), env('r', 'b', 1)];
    store.put('r', other, NOW);
    const flood = Array.from({ length: 10 }, (_, i) => env('r', 'a', 10 + i));
    store.put('r', flood, NOW);
    const ids = store.ids('r');
    assert.deepEqual(
      ids,
      [...other, ...flood.slice(7)].map((e) => e.id),
    );
    store.close();
  });

  it('keeps nothing older than its age, and expires what ages', () => {
    const drops: Drop[] = [];
    const store = fresh(bounds({ maxAgeMs: DAY }), drops);
    store.put('r', [env('r', 'a', 0, NOW - 2 * DAY), env('r', 'a', 1, NOW - DAY / 2)], NOW);
    assert.deepEqual(store.ids('r'), ['a-0001']);
    store.expire(NOW + DAY);
    assert.deepEqual(store.ids('r'), []);
    assert.deepEqual(drops, [{ room: 'r', count: 1, why: 'age' }]);
    store.close();
  });

  it('past its bytes drops the oldest of the largest room first', () => {
    const one = Buffer.byteLength(JSON.stringify(env('big', 'a', 0)));
    const store = fresh(bounds({ maxBytes: one * 10 }), []);
    const small = [0, 1, 2].map((i) => env('small', 'b', i));
    store.put('small', small, NOW);
    const big = Array.from({ length: 9 }, (_, i) => env('big', 'a', 10 + i));
    store.put('big', big, NOW);
    assert.ok(store.size <= one * 10);
    assert.deepEqual(
      store.ids('small'),
      small.map((e) => e.id),
    );
    // The oldest of the largest room went, no more than needed to fit.
    const left = store.ids('big');
    assert.ok(left.length >= 6 && left.length < 9);
    assert.deepEqual(
      left,
      big.slice(9 - left.length).map((e) => e.id),
    );
    assert.ok(store.size > one * 9);
    store.close();
  });

  it('keeps what it wrote across a reopen (counts too)', () => {
    const path = `${dir}/reopen`;
    const a = new KeeperStore(path, bounds({ roomMessages: 4 }));
    a.put(
      'r',
      [0, 1, 2].map((i) => env('r', 'a', i)),
      NOW,
    );
    a.close();
    const b = new KeeperStore(path, bounds({ roomMessages: 4 }));
    assert.equal(b.countOf('r'), 3);
    b.put(
      'r',
      [3, 4].map((i) => env('r', 'a', i)),
      NOW,
    );
    assert.deepEqual(b.ids('r'), ['a-0001', 'a-0002', 'a-0003', 'a-0004']);
    assert.equal(b.load('r').length, 4);
    b.close();
  });
});

describe('keeper bounds in a room', () => {
  let server: ParleyServer;
  let dir: string;
  let remove: () => Promise<void>;
  const clients: ParleyClient[] = [];

  before(async () => {
    ({ dir, remove } = await tempDir());
    server = await startKeptServer();
  });
  after(async () => {
    clients.forEach((c) => c.close());
    await server.close();
    await remove();
  });

  it("cuts one author's flood at its budget and keeps the others, dropping the oldest", async () => {
    const keeper = startKeeper(server.url, dir, {
      PARLEY_KEEPER_AUTHOR_BURST: '10',
      PARLEY_KEEPER_AUTHOR_RATE: '0.001',
      PARLEY_KEEPER_ROOM_MESSAGES: '12',
    });
    try {
      const keeperId = await keeper.id();
      const flooder = await bot(server.url, 'flooder');
      const honest = await bot(server.url, 'honest');
      clients.push(flooder, honest);
      const f = await flooder.join('flood-room');
      await keeper.keeping('flood-room');
      const fKept = acknowledgedBy(f, () => keeperId);
      const flood: string[] = [];
      for (let i = 0; i < 30; i++) flood.push(await f.send(`flood ${i}`));
      // Which ten depends on how they came (live, or in the answer to the keeper's catch-up).
      await waitFor(
        (fn: (x: undefined) => void) => f.on('delivered', () => fn(undefined)),
        () => fKept.size >= 10,
        30_000,
        'the budget of the flood acknowledged',
      );

      const h = await honest.join('flood-room');
      const hKept = acknowledgedBy(h, () => keeperId);
      const words: string[] = [];
      for (let i = 0; i < 5; i++) words.push(await h.send(`honest ${i}`));
      await allOf(hKept, words, (fn) => h.on('delivered', fn), 'the honest words');
      assert.equal(fKept.size, 10, 'the keeper acknowledged only the budget of the flood');

      const dropped = await keeper.line(
        (l) => l.msg === 'dropped' && l.room === 'flood-room' && l.why === 'room',
        'the retention drop in the log',
      );
      assert.equal(typeof dropped.count, 'number');
      await keeper.stop();
      const store = new KeeperStore(dir, {
        roomMessages: 12,
        authorMessages: 5000,
        maxAgeMs: DAY,
        maxBytes: 1e9,
      });
      const ids = store.ids('flood-room');
      store.close();
      assert.equal(ids.length, 12);
      for (const id of words) assert.ok(ids.includes(id), 'an honest message was dropped');
      // The oldest three (of the flood: it came first) went first: the room holds the newest
      // twelve.
      const keptFlood = flood.filter((id) => fKept.has(id));
      assert.deepEqual(
        ids.filter((id) => flood.includes(id)),
        keptFlood.slice(3),
      );
    } finally {
      await keeper.stop();
    }
  });
});
