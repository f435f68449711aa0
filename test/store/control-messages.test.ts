/**
 * A private room's control messages (its charter, announcements, grants, key changes) are its
 * membership: retention never prunes them and catch-up passes them on beyond its limit, so a
 * member who comes later still learns who made the room and which key is in force. Leaving a
 * room with "delete its messages" takes them too.
 */
import { expect } from '@open-wc/testing';
import type { ParleyDb } from '../../src/store/db.js';
import { addMessages, messagesSince } from '../../src/store/history.js';
import { pruneRoom } from '../../src/store/prune.js';
import { markControl, messagesWithControl } from '../../src/store/control-messages.js';
import { removeRoom, putRoom } from '../../src/store/rooms.js';
import type { Envelope } from '../../src/protocol/chat-events.js';
import { freshDb } from '../support/db.js';
import { SIGNATURE_SHAPED, TEST_AUTHOR } from '../support/identity.js';

const ROOM = 'p.aaaaaaaaaaaaaaaaaaaaaaaaaa';
const env = (ts: number, id: string): Envelope => ({
  id,
  room: ROOM,
  from: { id: 'u1', name: 'Ann', key: TEST_AUTHOR.key },
  ts,
  seq: 0,
  sig: SIGNATURE_SHAPED,
  body: { enc: 'aes-256-gcm/1', iv: 'A'.repeat(16), ct: 'B'.repeat(40) },
});

describe('control messages in storage', () => {
  let db: ParleyDb;
  let drop: () => Promise<void>;
  beforeEach(async () => ({ db, drop } = await freshDb()));
  afterEach(() => drop());

  beforeEach(async () => {
    const envs = Array.from({ length: 50 }, (_, i) =>
      env(1000 + i, `m${String(i).padStart(2, '0')}`),
    );
    await addMessages(db, 'me', envs, () => 'received');
    // The charter and an announcement, the oldest two.
    await markControl(db, 'me', ROOM, ['m00', 'm01']);
  });

  it('keeps them when retention prunes the room', async () => {
    expect(await pruneRoom(db, 'me', ROOM, 10)).to.equal(12);
    const left = (await messagesSince(db, 'me', ROOM, 0, 100)).map((m) => m.id);
    expect(left.slice(0, 2)).to.deep.equal(['m00', 'm01']);
    expect(left).to.have.lengthOf(12);
  });

  it('passes them on in catch-up beyond the limit, in time order', async () => {
    const served = (await messagesWithControl(db, 'me', ROOM, 0, 5)).map((m) => m.id);
    expect(served).to.deep.equal(['m00', 'm01', 'm45', 'm46', 'm47', 'm48', 'm49']);
    // From a later time on, older control messages are not the asker's gap.
    expect((await messagesWithControl(db, 'me', ROOM, 1045, 5)).map((m) => m.id)).to.have.lengthOf(
      5,
    );
  });

  it('goes with the rest when the room is left with its messages deleted', async () => {
    await putRoom(db, 'me', ROOM);
    await removeRoom(db, 'me', ROOM, true);
    expect(await messagesSince(db, 'me', ROOM, 0, 100)).to.deep.equal([]);
  });
});
