import { expect } from '@open-wc/testing';
import type { Envelope } from '../../src/protocol/chat-events.js';
import type { ParleyDb } from '../../src/store/db.js';
import { addMessages } from '../../src/store/history.js';
import { pruneRoom } from '../../src/store/prune.js';
import { removeRoom } from '../../src/store/rooms.js';
import { applyIn, type IndexItem } from '../../src/store/search-index.js';
import { searchMessages } from '../../src/store/search-query.js';
import { freshDb } from '../support/db.js';
import { SIGNATURE_SHAPED, TEST_AUTHOR } from '../support/identity.js';

const ANN = { id: 'ann', name: 'Ann' };
const original = {
  kind: 'message',
  id: 'm1',
  room: 'lobby',
  ts: 10,
  from: ANN,
  text: 'apple pie',
} as const;
const edit1 = {
  kind: 'edit',
  id: 'e1',
  room: 'lobby',
  ts: 20,
  target: 'm1',
  text: 'banana bread',
} as const;
const edit2 = {
  kind: 'edit',
  id: 'e2',
  room: 'lobby',
  ts: 30,
  target: 'm1',
  text: 'cherry tart',
} as const;
const del = { kind: 'delete', id: 'd1', room: 'lobby', target: 'm1' } as const;

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

/** Every order of `items`. */
function orders<T>(items: readonly T[]): T[][] {
  if (items.length <= 1) return [[...items]];
  return items.flatMap((x, i) =>
    orders([...items.slice(0, i), ...items.slice(i + 1)]).map((rest) => [x, ...rest]),
  );
}

/** What the index says of m1: its text, or undefined when no word finds it. */
async function textOfM1(db: ParleyDb): Promise<string | undefined> {
  for (const word of ['apple', 'banana', 'cherry']) {
    const { hits } = await searchMessages(db, 'me', word);
    if (hits[0]) return hits[0].text;
  }
  return undefined;
}

describe('the search index under edits and deletions (applyIn)', () => {
  let db: ParleyDb;
  let drop: () => Promise<void>;
  beforeEach(async () => ({ db, drop } = await freshDb()));
  afterEach(() => drop());

  it('keeps the newest edit, whatever the order, one at a time or all at once', async () => {
    for (const order of orders([original, edit1, edit2])) {
      for (const item of order) await apply(db, 'me', [item]);
      expect(await textOfM1(db), order.map((i) => i.id).join()).to.equal('cherry tart');
      // The words of older texts are gone.
      expect((await searchMessages(db, 'me', 'apple')).hits).to.deep.equal([]);
      expect((await searchMessages(db, 'me', 'banana')).hits).to.deep.equal([]);
      await db.clear('searchDocs');
      await db.clear('searchPending');
      await apply(db, 'me', order);
      expect(await textOfM1(db), `one batch: ${order.map((i) => i.id).join()}`).to.equal(
        'cherry tart',
      );
      await db.clear('searchDocs');
      await db.clear('searchPending');
    }
  });

  it('lets a deletion win over edits and over the message, in any order', async () => {
    for (const order of orders([original, edit1, edit2, del])) {
      for (const item of order) await apply(db, 'me', [item]);
      expect(await textOfM1(db), order.map((i) => i.id).join()).to.equal(undefined);
      // The message arriving again (catch-up, a reindex) does not bring it back.
      await apply(db, 'me', [original]);
      expect(await textOfM1(db)).to.equal(undefined);
      expect(await db.count('searchDocs')).to.equal(0);
      await db.clear('searchPending');
    }
  });

  it('is idempotent: a message again is no new doc, an older edit changes nothing', async () => {
    expect(await apply(db, 'me', [original])).to.equal(1);
    expect(await apply(db, 'me', [original])).to.equal(0);
    await apply(db, 'me', [edit2]);
    await apply(db, 'me', [edit1]);
    expect(await textOfM1(db)).to.equal('cherry tart');
    // The same time: the greater id wins.
    await apply(db, 'me', [{ ...edit2, id: 'e9', text: 'damson jam' }]);
    expect((await searchMessages(db, 'me', 'damson')).hits.map((h) => h.id)).to.deep.equal(['m1']);
    // Accounts are apart: another owner's edit does not touch ours.
    await apply(db, 'other', [{ ...edit2, id: 'e99', text: 'elder wine' }]);
    expect((await searchMessages(db, 'me', 'elder')).hits).to.deep.equal([]);
  });
});

const env = (room: string, ts: number, text = `word${ts} common`): Envelope => ({
  id: `${room}-${String(ts).padStart(4, '0')}`,
  room,
  from: { id: 'u1', name: 'Ann', key: TEST_AUTHOR.key },
  ts,
  seq: 0,
  sig: SIGNATURE_SHAPED,
  body: { text },
});

describe('pruning removes what the index holds of the deleted messages', () => {
  let db: ParleyDb;
  let drop: () => Promise<void>;
  beforeEach(async () => ({ db, drop } = await freshDb()));
  afterEach(() => drop());

  /** Stores `n` messages of `room` and indexes them as the indexer would. */
  async function seed(owner: string, room: string, n: number): Promise<void> {
    const envs = Array.from({ length: n }, (_, i) => env(room, 1000 + i));
    await addMessages(db, owner, envs, () => 'received');
    await apply(
      db,
      owner,
      envs.map((e) => ({
        kind: 'message',
        id: e.id,
        room,
        ts: e.ts,
        from: ANN,
        text: (e.body as { text: string }).text,
      })),
    );
  }

  it('retention drops the docs of the pruned messages, and no one else', async () => {
    await seed('me', 'lobby', 30);
    await seed('me', 'ops', 5);
    await seed('other', 'lobby', 5);
    // An edit waiting for a message never seen, made by a message that is pruned.
    const early = env('lobby', 500, 'x');
    await addMessages(db, 'me', [early], () => 'received');
    await apply(db, 'me', [
      { kind: 'edit', id: early.id, room: 'lobby', ts: 500, target: 'gone', text: 'secret words' },
    ]);
    expect(await pruneRoom(db, 'me', 'lobby', 10, 7)).to.equal(10);
    const left = await searchMessages(db, 'me', 'common', { room: 'lobby', limit: 100 });
    expect(left.hits.map((h) => h.ts)).to.deep.equal(
      Array.from({ length: 10 }, (_, i) => 1029 - i),
    );
    expect((await searchMessages(db, 'me', 'word1000', { room: 'lobby' })).hits).to.deep.equal([]);
    expect((await searchMessages(db, 'me', 'common', { room: 'ops' })).hits).to.have.length(5);
    expect((await searchMessages(db, 'other', 'common')).hits).to.have.length(5);
    expect(await db.get('searchPending', ['me', 'gone'])).to.equal(undefined);
  });

  it('"Delete its messages" (removeRoom) leaves nothing of the room in the index', async () => {
    await seed('me', 'lobby', 12);
    await seed('me', 'ops', 3);
    await apply(db, 'me', [
      { kind: 'delete', id: 'lobby-1003', room: 'lobby', target: 'lobby-1002' },
    ]);
    expect(await db.get('searchPending', ['me', 'lobby-1002'])).to.not.equal(undefined);
    await removeRoom(db, 'me', 'lobby', true);
    expect((await searchMessages(db, 'me', 'common', { room: 'lobby' })).hits).to.deep.equal([]);
    expect(await db.count('searchPending')).to.equal(0);
    expect((await searchMessages(db, 'me', 'common')).hits).to.have.length(3);
  });
});
