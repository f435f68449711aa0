import { expect } from '@open-wc/testing';
import type { ParleyDb } from '../../src/store/db.js';
import {
  applyIn,
  docKey,
  type IndexItem,
  type IndexedMessage,
} from '../../src/store/search-index.js';
import { POSTINGS_PROBE, SCAN_BUDGET, searchMessages } from '../../src/store/search-query.js';
import { freshDb } from '../support/db.js';

const ANN = { id: 'ann', name: 'Ann' };

/** Message `n` of `room` at time `n`. */
const msg = (n: number, text: string, room = 'lobby', extra: Partial<IndexedMessage> = {}) =>
  ({ kind: 'message', id: `m${n}`, room, ts: n, from: ANN, text, ...extra }) as const;

async function apply(db: ParleyDb, owner: string, items: readonly IndexItem[]): Promise<number> {
  const tx = db.transaction(['searchDocs', 'searchPending'], 'readwrite');
  const added = await applyIn(
    tx.objectStore('searchDocs'),
    tx.objectStore('searchPending'),
    owner,
    items,
  );
  await tx.done;
  return added;
}

const ids = async (db: ParleyDb, q: string, opts: { room?: string; limit?: number } = {}) =>
  (await searchMessages(db, 'me', q, opts)).hits.map((h) => h.id);

describe('searching the index (searchMessages)', () => {
  let db: ParleyDb;
  let drop: () => Promise<void>;
  beforeEach(async () => ({ db, drop } = await freshDb()));
  afterEach(() => drop());

  it('finds messages having every word of the query as a prefix, any case or accent', async () => {
    expect(
      await apply(db, 'me', [
        msg(1, 'Lunch at the Café?'),
        msg(2, 'coffee after lunch'),
        msg(3, 'The CAFE is closed'),
        msg(4, 'nothing to see'),
      ]),
    ).to.equal(4);
    expect(await ids(db, 'café')).to.deep.equal(['m3', 'm1']);
    expect(await ids(db, 'CAF')).to.deep.equal(['m3', 'm1']);
    expect(await ids(db, 'lunch caf')).to.deep.equal(['m1']);
    expect(await ids(db, 'lun co')).to.deep.equal(['m2']);
    expect(await ids(db, 'lunch zebra')).to.deep.equal([]);
    expect(await ids(db, '  ')).to.deep.equal([]);
    // A word only matches from its beginning.
    expect(await ids(db, 'afe')).to.deep.equal([]);
  });

  it('returns the current text with the words found marked', async () => {
    await apply(db, 'me', [msg(1, 'Lunch at the Café?')]);
    const { hits, more } = await searchMessages(db, 'me', 'cafe LUN');
    expect(more).to.equal(false);
    expect(hits).to.deep.equal([
      {
        id: 'm1',
        room: 'lobby',
        ts: 1,
        from: ANN,
        text: 'Lunch at the Café?',
        marks: [
          [0, 5],
          [13, 17],
        ],
      },
    ]);
  });

  it('finds a file by its name or caption, and shows both', async () => {
    await apply(db, 'me', [msg(1, 'the plan', 'lobby', { name: 'Budget-2025.xlsx' })]);
    expect(await ids(db, 'budget')).to.deep.equal(['m1']);
    expect(await ids(db, 'xlsx plan')).to.deep.equal(['m1']);
    const [hit] = (await searchMessages(db, 'me', 'budget')).hits;
    expect(hit!.text).to.equal('Budget-2025.xlsx — the plan');
    expect(hit!.marks).to.deep.equal([[0, 6]]);
  });

  it('searches one room when asked, and never another account', async () => {
    await apply(db, 'me', [msg(1, 'deploy now', 'ops'), msg(2, 'deploy later', 'lobby')]);
    await apply(db, 'other', [msg(3, 'deploy elsewhere', 'ops')]);
    expect(await ids(db, 'deploy')).to.deep.equal(['m2', 'm1']);
    expect(await ids(db, 'deploy', { room: 'ops' })).to.deep.equal(['m1']);
    expect(await ids(db, 'deploy', { room: 'nowhere' })).to.deep.equal([]);
    expect((await searchMessages(db, 'other', 'deploy')).hits.map((h) => h.id)).to.deep.equal([
      'm3',
    ]);
  });

  it('gives the newest first, at most `limit`, and says when there are more', async () => {
    // Written out of time order: the order comes from the time, not from arrival.
    const order = [5, 1, 9, 3, 7, 2, 8, 4, 6, 10];
    await apply(
      db,
      'me',
      order.map((n) => msg(n, `report number ${n}`)),
    );
    expect(await ids(db, 'report', { limit: 3 })).to.deep.equal(['m10', 'm9', 'm8']);
    expect((await searchMessages(db, 'me', 'report', { limit: 3 })).more).to.equal(true);
    const all = await searchMessages(db, 'me', 'report', { limit: 10 });
    expect(all.hits.map((h) => h.ts)).to.deep.equal([10, 9, 8, 7, 6, 5, 4, 3, 2, 1]);
    expect(all.more).to.equal(false);
    expect((await searchMessages(db, 'me', 'report')).hits).to.have.length(10);
  });

  it('finds messages when words are common (the newest docs are read) or rare', async function () {
    this.timeout(30_000);
    const n = 1500;
    const items = Array.from({ length: n }, (_, i) =>
      msg(i, i % 2 ? `the quick fox ${i}` : `the slow dog ${i}`, i % 3 ? 'lobby' : 'ops'),
    );
    for (let i = 0; i < n; i += 1000) await apply(db, 'me', items.slice(i, i + 1000));
    const newest = n - 1;
    // A word in every message: the newest docs are read until enough match.
    const r = await searchMessages(db, 'me', 'the', { limit: 5 });
    expect(r.hits.map((h) => h.ts)).to.deep.equal([0, 1, 2, 3, 4].map((k) => newest - k));
    expect(r.more).to.equal(true);
    // A common prefix, in one room: the room's newest docs are read.
    const fox = await searchMessages(db, 'me', 'th', { limit: 4, room: 'ops' });
    expect(fox.hits.map((h) => h.ts).every((ts) => ts % 3 === 0)).to.equal(true);
    expect(fox.hits.map((h) => h.ts)).to.deep.equal(
      Array.from({ length: n }, (_, i) => newest - i)
        .filter((ts) => ts % 3 === 0)
        .slice(0, 4),
    );
    // A common word narrowed by a rare one: the rare one's postings are read.
    expect(await ids(db, 'the 1050')).to.deep.equal(['m1050']);
    // Two common words: the newest docs again, checked for both.
    expect(await ids(db, 'the quick', { limit: 2 })).to.deep.equal(
      [newest, newest - 1, newest - 2]
        .filter((i) => i % 2)
        .slice(0, 2)
        .map((i) => `m${i}`),
    );
  });

  it('finds two common words together in old messages past what a scan reads', async function () {
    this.timeout(60_000);
    // Both words are in more than a probe's postings, together only in the oldest message.
    const n = 2 * POSTINGS_PROBE + SCAN_BUDGET;
    const items = Array.from({ length: n }, (_, i) =>
      msg(i + 1, i === 0 ? 'alpha beta first' : i % 2 ? `alpha ${i}` : `beta ${i}`),
    );
    for (let i = 0; i < n; i += 1000) await apply(db, 'me', items.slice(i, i + 1000));
    expect(await ids(db, 'alpha beta')).to.deep.equal(['m1']);
    expect(await ids(db, 'alp bet')).to.deep.equal(['m1']);
    expect((await searchMessages(db, 'me', 'alpha', { limit: 3 })).more).to.equal(true);
  });

  it('keeps messages apart whose keys collide, and accounts holding the same message', async () => {
    // Two ids whose first key is the same (the same millisecond, the same slot).
    const seen = new Map<number, string>();
    let pair: [string, string] | undefined;
    for (let i = 0; !pair; i++) {
      const id = `c${i}`;
      const other = seen.get(docKey(7, id));
      if (other) pair = [other, id];
      else seen.set(docKey(7, id), id);
    }
    const [a, b] = pair;
    const at = (id: string, text: string) => ({ ...msg(7, text), id });
    expect(await apply(db, 'me', [at(a, 'twin one'), at(b, 'twin two')])).to.equal(2);
    // Again: nothing new (each is found, whichever key it took).
    expect(await apply(db, 'me', [at(b, 'twin two'), at(a, 'twin one')])).to.equal(0);
    expect(await db.count('searchDocs')).to.equal(2);
    expect((await ids(db, 'twin')).sort()).to.deep.equal([a, b].sort());
    // Another account holding the same messages: its own docs, found only by it.
    expect(await apply(db, 'you', [at(a, 'twin one')])).to.equal(1);
    expect(await db.count('searchDocs')).to.equal(3);
    const yours = await searchMessages(db, 'you', 'twin');
    expect(yours.hits.map((h) => h.id)).to.deep.equal([a]);
    // Deleting one leaves its twin, and the other account's copy.
    await apply(db, 'me', [{ kind: 'delete', id: 'd1', room: 'lobby', target: a }]);
    expect(await ids(db, 'twin')).to.deep.equal([b]);
    expect((await searchMessages(db, 'you', 'one')).hits.map((h) => h.id)).to.deep.equal([a]);
    // An edit reaches the doc that took the second key.
    const edit = { kind: 'edit', id: 'e1', room: 'lobby', ts: 9, target: b, text: 'renamed' };
    await apply(db, 'me', [edit as IndexItem]);
    expect(await ids(db, 'renamed')).to.deep.equal([b]);
    expect(await ids(db, 'twin')).to.deep.equal([]);
  });
});
