/**
 * Attack: throwaway identities, each on a connection of its own, flood a room with signed
 * sealed bodies no key opens (about 33 KB each, the size a relay lets through). Bob holds
 * them aside by id and header only (never their bodies, in memory or in the list's rows), and
 * only within byte budgets: per author, per room, and far less in a room where he holds no
 * key. What is past a budget is neither stored nor acknowledged, and an honest message sealed
 * under the room's key still comes, opens, and is stored.
 */
import { expect } from '@open-wc/testing';
import { SEALED } from '../../../src/protocol/room-key.js';
import type { RoomController } from '../../../src/controllers/room/room-controller.js';
import type { RoomSealing } from '../../../src/controllers/room/room-sealing.js';
import { HELD_BUDGET } from '../../../src/controllers/room/sealed-held.js';
import { readBody } from '../../../src/protocol/message-body.js';
import { MemoryHub, type MemoryTransport } from '../../../src/transport/memory.js';
import type { EventsMap } from '../../../src/transport/types.js';
import { author, signedBy } from '../../support/envelopes.js';
import { freshRoom } from '../../transport/contract.js';
import { suiteMembers, until, type Member } from '../room-harness.js';

const JUNK_BYTES = 33_000;
const sealingOf = (m: Member) => (m.room as unknown as { sealing: RoomSealing }).sealing;
const refusedOf = (room: RoomController) => room.refused.overBudget ?? 0;

/** `count` junk sealed messages from each of `authors` throwaway identities, each on its own link. */
async function flood(hub: MemoryHub, room: string, authors: number, count: number) {
  const links: MemoryTransport<EventsMap>[] = [];
  for (let a = 0; a < authors; a++) {
    const who = await author(`Junk ${a}`);
    const link = hub.transport<EventsMap>({ signer: who });
    await link.connect(room, { userId: who.id, name: who.name, key: who.publicKey });
    links.push(link);
    for (let i = 0; i < count; i++) {
      // Random bytes under a key nobody holds: the relay and Bob see a well-formed sealed body.
      const ct = 'A'.repeat(JUNK_BYTES);
      const body = { enc: SEALED, kid: 'nobodysKeyId0000', iv: 'AAAAAAAAAAAAAAAA', ct };
      link.emit('chat:message', await signedBy(who, { room, body }));
    }
  }
  return links;
}

/** How many sealed messages Bob's database holds for the room. */
async function storedSealed(bob: Member, room: string): Promise<number> {
  const db = (await bob.session.db)!;
  const all = await db.getAll('messages');
  return all.filter((m) => m.room === room && readBody(m.body)?.kind === 'sealed').length;
}

/** Waits (bounded) until what Bob shows sealed is stored: a live message is written a task later. */
async function settled(bob: Member, room: string): Promise<void> {
  for (let i = 0; i < 100 && (await storedSealed(bob, room)) < bob.room.locked; i++)
    await new Promise((r) => setTimeout(r, 20));
}

/** Every byte Bob's room keeps of the messages it shows (its rows), as JSON characters. */
const rowBytes = (bob: Member) =>
  bob.room.messages.reduce((n, m) => n + JSON.stringify(m.body ?? null).length, 0);

describe('Attack: junk sealed messages are held without bodies, within budgets', function () {
  this.timeout(120_000);
  const member = suiteMembers();

  it('a room with no key takes few: 5,000 junk bodies from 40 identities, at most the keyless budget held', async () => {
    const hub = new MemoryHub();
    const room = freshRoom();
    const bob = await member(hub, 'Bob', room);
    const links = await flood(hub, room, 40, 125);
    await until(
      () => refusedOf(bob.room) + bob.room.locked >= 5000,
      'every junk message taken or refused',
      90_000,
    );
    const sealing = sealingOf(bob);
    expect(bob.room.locked, 'held').to.be.at.most(HELD_BUDGET.keylessCount);
    expect(sealing.lockedBytes, 'held bytes').to.be.at.most(HELD_BUDGET.keylessBytes);
    expect(refusedOf(bob.room), 'refused past the budget').to.be.at.least(
      5000 - HELD_BUDGET.keylessCount,
    );
    // Rows and the held ledger keep no body: a few hundred bytes a row at most.
    expect(rowBytes(bob), 'bytes of bodies in the rows').to.be.below(
      bob.room.messages.length * 200,
    );
    await settled(bob, room);
    expect(await storedSealed(bob, room), 'stored').to.be.at.most(HELD_BUDGET.keylessCount);
    links.forEach((l) => l.close());
  });

  it('a room with a key: one author is held to its bytes, many authors to the room’s, honest words still come', async () => {
    const hub = new MemoryHub();
    const room = freshRoom();
    const [ann, bob] = [await member(hub, 'Ann', room), await member(hub, 'Bob', room)];
    await ann.room.setPassphrase('Tangerine-42');
    await bob.room.setPassphrase('Tangerine-42');
    // One author: 20 bodies of 33 KB, past its 256 KB.
    await flood(hub, room, 1, 20);
    const perAuthor = Math.floor(HELD_BUDGET.authorBytes / (JUNK_BYTES + 100));
    await until(() => refusedOf(bob.room) + bob.room.locked >= 20, 'one author’s junk', 20_000);
    expect(bob.room.locked, 'one author held to its budget').to.equal(perAuthor);
    // 200 authors of one body each: held up to the room's 4 MB.
    await flood(hub, room, 200, 1);
    await until(() => refusedOf(bob.room) + bob.room.locked >= 220, 'many authors’ junk', 60_000);
    expect(sealingOf(bob).lockedBytes).to.be.at.most(HELD_BUDGET.roomBytes);
    expect(bob.room.locked).to.be.below(220);
    expect(rowBytes(bob)).to.be.below(bob.room.messages.length * 200 + 10_000);
    // Ann's words, sealed under the room's key, still arrive and open.
    ann.room.send('still here');
    await until(() => bob.room.messages.some((m) => m.text === 'still here'), 'Ann at Bob', 10_000);
  });

  it('a held message opens when its key comes, its body read back from storage', async () => {
    const hub = new MemoryHub();
    const room = freshRoom();
    const [ann, bob] = [await member(hub, 'Ann', room), await member(hub, 'Bob', room)];
    await ann.room.setPassphrase('Tangerine-42');
    ann.room.send('sealed for later');
    await until(() => bob.room.locked === 1, 'held at Bob');
    const row = bob.room.messages[0]!;
    expect(row.unreadable).to.equal(true);
    expect((row.body as { ct?: string }).ct, 'the row holds no body').to.equal('');
    await settled(bob, room);
    expect(await bob.room.setPassphrase('Tangerine-42')).to.equal(true);
    expect(bob.room.messages.map((m) => m.text)).to.include('sealed for later');
    expect(bob.room.locked).to.equal(0);
  });
});
