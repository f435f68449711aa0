import { expect } from '@open-wc/testing';
import type { Envelope } from '../../src/protocol/chat-events.js';
import type { ParleyDb } from '../../src/store/db.js';
import { addMessages } from '../../src/store/history.js';
import { pruneRoom } from '../../src/store/prune.js';
import { markDelivered, queueOutgoing } from '../../src/store/outbox.js';
import { freshDb } from '../support/db.js';
import { SIGNATURE_SHAPED, TEST_AUTHOR } from '../support/identity.js';

const env = (room: string, ts: number, from = 'u1'): Envelope => ({
  id: `${room}-${String(ts).padStart(4, '0')}`,
  room,
  from: { id: from, name: 'Ann', key: TEST_AUTHOR.key },
  ts,
  seq: 0,
  sig: SIGNATURE_SHAPED,
  body: { text: `${room}@${ts}` },
});

/** Ids of `owner`'s messages in `room`, oldest first. */
async function idsIn(db: ParleyDb, owner: string, room: string): Promise<string[]> {
  const range = IDBKeyRange.bound([owner, room, -Infinity, ''], [owner, room, Infinity, '\uffff']);
  return (await db.getAllFromIndex('messages', 'by-room-time', range)).map((m) => m.id);
}

const seed = (db: ParleyDb, owner: string, room: string, n: number) =>
  addMessages(
    db,
    owner,
    Array.from({ length: n }, (_, i) => env(room, 1000 + i)),
    () => 'received',
  );

describe('history retention (pruneRoom)', () => {
  let db: ParleyDb;
  let drop: () => Promise<void>;
  beforeEach(async () => ({ db, drop } = await freshDb()));
  afterEach(() => drop());

  it('keeps the newest N of a room, in small transactions, and no other room or account', async () => {
    await seed(db, 'me', 'lobby', 120);
    await seed(db, 'me', 'other', 30);
    await seed(db, 'you', 'lobby', 40);
    // Batches of 7: many transactions, each bounded, still end at exactly 25 — each after a
    // turn (`between`: a background prune lets the page, and a catch-up answer, go first).
    const before: number[] = [];
    const between = async () => void before.push((await idsIn(db, 'me', 'lobby')).length);
    expect(await pruneRoom(db, 'me', 'lobby', 25, 7, { between })).to.equal(25);
    expect(before).to.deep.equal([120, 113, 106, 99, 92, 85, 78, 71, 64, 57, 50, 43, 36, 29]);
    const kept = await idsIn(db, 'me', 'lobby');
    expect(kept).to.deep.equal(
      Array.from({ length: 25 }, (_, i) => env('lobby', 1000 + 95 + i).id),
    );
    expect(await idsIn(db, 'me', 'other')).to.have.lengthOf(30);
    expect(await idsIn(db, 'you', 'lobby')).to.have.lengthOf(40);
    expect(await pruneRoom(db, 'me', 'lobby', 25), 'nothing more to do').to.equal(25);
    expect(await pruneRoom(db, 'me', 'lobby', 100), 'under the limit').to.equal(25);
  });

  it('never removes a message still in the outbox, and removes it once delivered', async () => {
    const mine = [
      { ...env('lobby', 500, 'me-id'), id: 'mine-a' },
      { ...env('lobby', 1003, 'me-id'), id: 'mine-b' },
    ];
    for (const m of mine) await queueOutgoing(db, 'me', m);
    await seed(db, 'me', 'lobby', 20);
    expect(await pruneRoom(db, 'me', 'lobby', 5, 3)).to.equal(7);
    const kept = await idsIn(db, 'me', 'lobby');
    expect(kept.slice(0, 2), 'our unacknowledged ones stay').to.deep.equal(mine.map((m) => m.id));
    expect(kept.slice(2)).to.deep.equal(
      Array.from({ length: 5 }, (_, i) => env('lobby', 1015 + i).id),
    );
    await markDelivered(db, 'me', 'me-id', [mine[0]!.id], 'bob');
    expect(await pruneRoom(db, 'me', 'lobby', 5)).to.equal(6);
    expect(await idsIn(db, 'me', 'lobby')).not.to.include(mine[0]!.id);
  });
});
