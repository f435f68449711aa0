/**
 * Holding up under a member who floods the room: each room keeps only its newest `historyMax`
 * messages in IndexedDB (our unacknowledged ones always stay), and each author may add only so
 * many new messages (the rest is dropped and counted).
 */
import { expect } from '@open-wc/testing';
import type { ChatEvents } from '../../../src/protocol/chat-events.js';
import type { ParleyDb } from '../../../src/store/db.js';
import { MemoryHub } from '../../../src/transport/memory.js';
import type { Transport } from '../../../src/transport/types.js';
import { author, signedBy } from '../../support/envelopes.js';
import { freshRoom } from '../../transport/contract.js';
import { stranger, suiteMembers, until, type Member } from '../room-harness.js';

type T = Transport<ChatEvents>;
type Author = Awaited<ReturnType<typeof author>>;

/** Everything `m` stored for `room`, oldest first. */
async function stored(m: Member, room: string) {
  const db: ParleyDb = (await m.session.db)!;
  const owner = m.session.profile!.id;
  const range = IDBKeyRange.bound([owner, room, -Infinity, ''], [owner, room, Infinity, '\uffff']);
  return db.getAllFromIndex('messages', 'by-room-time', range);
}

describe('history retention and author budgets (controllers)', function () {
  this.timeout(30000);
  const member = suiteMembers();
  const raws: T[] = [];
  afterEach(() => raws.splice(0).forEach((t) => t.close()));

  /** `who` joined to `room` with a raw transport: sends whatever the test says, live. */
  async function raw(hub: MemoryHub, room: string, who: Author, joined: Member) {
    const t = await stranger(hub, room, who, who.name);
    raws.push(t);
    await until(() => joined.presence.roster.some((p) => p.userId === who.id), `${who.name} seen`);
    return async (n: number, from = 0) => {
      for (let i = 0; i < n; i++)
        t.emit('chat:message', await signedBy(who, { room, text: `${who.name} ${from + i}` }));
    };
  }

  it('keeps the newest historyMax of the room, and our unacknowledged ones', async () => {
    const hub = new MemoryHub();
    const room = freshRoom();
    const ann = await member(hub, 'Ann', room, { historyMax: () => 20 });
    // Alone: nobody acknowledges these, so they stay in the outbox.
    expect(ann.room.send('mine 1')).to.equal(true);
    expect(ann.room.send('mine 2')).to.equal(true);
    await until(() => ann.room.saving === 0, 'ours stored');
    const mallory = await author('Mallory');
    await (
      await raw(hub, room, mallory, ann)
    )(50);
    await until(() => ann.room.messages.length === 52, 'all 52 arrived');
    const wanted = [
      'mine 1',
      'mine 2',
      ...Array.from({ length: 20 }, (_, i) => `Mallory ${30 + i}`),
    ];
    let texts: string[] = [];
    const textOf = (m: { body: object }) => ('text' in m.body ? String(m.body.text) : '');
    // Storage runs behind the screen: wait for the last one stored and the oldest pruned.
    await until(
      () => {
        void stored(ann, room).then((all) => (texts = all.map(textOf)));
        return texts.join('|') === wanted.join('|');
      },
      'pruned to the newest 20 and ours',
      10000,
    ).catch(() => expect(texts).to.deep.equal(wanted));
    expect(ann.room.messages, 'the list on screen is left alone').to.have.lengthOf(52);
  });

  it('drops and counts what an author sends beyond its budget, and no one else’s', async () => {
    const hub = new MemoryHub();
    const room = freshRoom();
    const ann = await member(hub, 'Ann', room, { authorBudget: { burst: 10, rate: 0.01 } });
    const [mallory, alice] = [await author('Mallory'), await author('Alice')];
    const fromMallory = await raw(hub, room, mallory, ann);
    const fromAlice = await raw(hub, room, alice, ann);
    await fromMallory(30);
    await fromAlice(5);
    await until(() => ann.room.refused.overBudget === 20, 'over budget counted');
    await until(() => ann.room.messages.length === 15, 'the rest shown');
    let all: Awaited<ReturnType<typeof stored>> = [];
    await until(() => {
      void stored(ann, room).then((got) => (all = got));
      return all.length === 15;
    }, 'the rest stored');
    expect(all.filter((m) => m.from.id === mallory.id)).to.have.lengthOf(10);
    expect(all.filter((m) => m.from.id === alice.id)).to.have.lengthOf(5);
    expect(ann.room.dropped).to.equal(20);
  });
});
