/**
 * Receipts and typing notices in someone else's name: a member can only speak for the
 * account its connection joined as. A forged receipt would end our resends to a member who
 * never got the message; a forged typing notice would show anyone "typing".
 */
import { expect } from '@open-wc/testing';
import type { ChatEvents } from '../../../src/protocol/chat-events.js';
import { MemoryHub } from '../../../src/transport/memory.js';
import type { Transport } from '../../../src/transport/types.js';
import { freshRoom } from '../../transport/contract.js';
import { suiteMembers, until } from '../room-harness.js';

describe('receipts and typing notices bound to their sender', function () {
  this.timeout(20000);
  const member = suiteMembers();
  const raws: Transport<ChatEvents>[] = [];
  afterEach(() => raws.splice(0).forEach((t) => t.close()));

  /** Ann (real controllers) and two raw connections, Bob and Eve, in one room. */
  async function room() {
    const hub = new MemoryHub();
    const name = freshRoom();
    const ann = await member(hub, 'Ann', name);
    const raw = async (userId: string, who: string) => {
      const t = hub.transport<ChatEvents>();
      raws.push(t);
      await t.connect(name, { userId, name: who });
      return t;
    };
    const [bob, eve] = [await raw('bob-id', 'Bob'), await raw('eve-id', 'Eve')];
    await until(() => ann.presence.roster.length === 3, 'everyone listed');
    const annId = [...eve.peers.values()].find((h) => h.name === 'Ann')!.id;
    return { name, ann, bob, eve, annId };
  }

  it("ignores a receipt in another member's name, takes the member's own", async () => {
    const { name, ann, bob, eve, annId } = await room();
    expect(ann.room.send('for Bob')).to.equal(true);
    await until(() => ann.room.messages[0]?.status === 'sent', 'sent');
    const id = ann.room.messages[0]!.id;
    const dropped = ann.room.dropped;
    eve.emitTo(annId, 'chat:ack', { room: name, by: 'bob-id', ids: [id] });
    // Eve's own receipt comes after her forgery, so once it counts, the forgery was judged.
    eve.emitTo(annId, 'chat:ack', { room: name, by: 'eve-id', ids: [id] });
    await until(() => (ann.room.messages[0]?.ackedBy ?? []).includes('eve-id'), "Eve's receipt");
    expect(ann.room.messages[0]!.ackedBy).to.deep.equal(['eve-id']);
    expect(ann.room.dropped - dropped).to.equal(1);
    bob.emitTo(annId, 'chat:ack', { room: name, by: 'bob-id', ids: [id] });
    await until(() => (ann.room.messages[0]?.ackedBy ?? []).includes('bob-id'), "Bob's receipt");
  });

  it('shows typing only under the name the sender joined as, never for another member', async () => {
    const { name, ann, eve } = await room();
    eve.emit('chat:typing', { room: name, userId: 'bob-id', name: 'Bob', typing: true });
    eve.emit('chat:typing', { room: name, userId: 'eve-id', name: 'The Boss', typing: true });
    await until(() => ann.presence.typing.length > 0, 'a typing line');
    expect(ann.presence.typing).to.deep.equal(['Eve']);
  });
});
