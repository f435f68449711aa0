/**
 * Receipts and typing notices in someone else's name: a member can only speak for the
 * identity whose key signs (protocol 1.4), and an unsigned receipt only in the name its
 * connection joined as. A forged receipt would end our resends to a member who
 * never got the message; a forged typing notice would show anyone "typing".
 */
import { expect } from '@open-wc/testing';
import type { ChatEvents } from '../../../src/protocol/chat-events.js';
import { MemoryHub } from '../../../src/transport/memory.js';
import type { Transport } from '../../../src/transport/types.js';
import { freshRoom } from '../../transport/contract.js';
import { stranger, suiteMembers, typingOf, until } from '../room-harness.js';
import { createIdentity, signerOf, type Identity } from '../../../src/protocol/identity.js';
import { signAck } from '../../../src/protocol/signed-notices.js';

describe('receipts and typing notices bound to their sender', function () {
  this.timeout(20000);
  const member = suiteMembers();
  const raws: Transport<ChatEvents>[] = [];
  afterEach(() => raws.splice(0).forEach((t) => t.close()));

  /** Ann (real controllers) and two raw 1.4 members, Bob and Eve, in one room. */
  async function room() {
    const hub = new MemoryHub();
    const name = freshRoom();
    const ann = await member(hub, 'Ann', name);
    const [bobId, eveId] = [await createIdentity(), await createIdentity()];
    const raw = async (who: Identity, called: string) => {
      const t = await stranger(hub, name, who, called);
      raws.push(t);
      return t;
    };
    const [bob, eve] = [await raw(bobId, 'Bob'), await raw(eveId, 'Eve')];
    await until(() => ann.presence.roster.length === 3, 'everyone listed');
    const annId = [...eve.peers.values()].find((h) => h.name === 'Ann')!.id;
    return { name, ann, bob, eve, annId, bobId, eveId };
  }

  it("ignores a receipt in another member's name, takes the member's own", async () => {
    const { name, ann, bob, eve, annId, bobId, eveId } = await room();
    expect(ann.room.send('for Bob')).to.equal(true);
    await until(() => ann.room.messages[0]?.status === 'sent', 'sent');
    const id = ann.room.messages[0]!.id;
    const [asEve, asBob] = [signerOf(eveId), signerOf(bobId)];
    const mine = await signAck(asEve, { room: name, ids: [id] });
    // Unsigned in Bob's name; Eve's signature under Bob's id and key; Eve's key under Bob's id.
    eve.emitTo(annId, 'chat:ack', { room: name, by: bobId.id, ids: [id] });
    eve.emitTo(annId, 'chat:ack', { ...mine, by: bobId.id, key: bobId.publicKey });
    eve.emitTo(annId, 'chat:ack', { ...mine, by: bobId.id });
    await until(() => ann.room.refused.forged === 2, 'two forged receipts');
    expect(ann.room.refused.malformed, 'one in another name').to.equal(1);
    // Eve's own receipt comes after her forgeries.
    eve.emitTo(annId, 'chat:ack', mine);
    await until(() => (ann.room.messages[0]?.ackedBy ?? []).includes(eveId.id), "Eve's receipt");
    expect(ann.room.messages[0]!.ackedBy).to.deep.equal([eveId.id]);
    bob.emitTo(annId, 'chat:ack', await signAck(asBob, { room: name, ids: [id] }));
    await until(() => (ann.room.messages[0]?.ackedBy ?? []).includes(bobId.id), "Bob's receipt");
  });

  it('shows typing only under the name the sender said it is here as, never for another member', async () => {
    const { name, ann, eve, bobId, eveId } = await room();
    const bobsWords = await typingOf(eveId, name, 'Bob', true);
    eve.emit('chat:typing', { ...bobsWords, userId: bobId.id });
    eve.emit('chat:typing', await typingOf(eveId, name, 'The Boss', true));
    await until(() => ann.presence.typing.length > 0, 'a typing line');
    expect(ann.presence.typing).to.deep.equal(['Eve']);
  });
});
