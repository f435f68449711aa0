/**
 * What the presence controllers give the conversation's lines (real IndexedDB, in-page
 * transports): authors who took a name met before with another key — seen in the roster or only
 * through their messages — and the joins and leaves seen while we were in the room, never the
 * members already there when we arrived.
 */
import { expect } from '@open-wc/testing';
import { createIdentity, type Identity } from '../../../src/protocol/identity.js';
import '../../support/confusables.js';
import { MemoryHub } from '../../../src/transport/memory.js';
import { stranger, suiteMembers, until } from '../room-harness.js';

/** A message by `who` as far as its author goes (what the contacts look at). */
const by = (who: Identity, name: string) => ({
  from: { id: who.id, name, key: who.publicKey },
});

describe('presence for the conversation', function () {
  this.timeout(20000);
  const member = suiteMembers();
  let alice: Identity;
  let impostor: Identity;
  before(async () => {
    [alice, impostor] = await Promise.all([createIdentity(), createIdentity()]);
  });

  it('names the authors who took a name met before with another key', async () => {
    const hub = new MemoryHub();
    const ann = await member(hub, 'Ann', 'chat');
    const contacts = await ann.presence.contactsReady;
    // Ann met Alice before (in the room's member list, which records her key).
    const first = await stranger(hub, 'chat', alice, 'Alice');
    await until(
      () => ann.presence.roster.find((l) => l.userId === alice.id)?.trust !== undefined,
      'Alice met',
    );
    first.close();
    await new Promise((r) => setTimeout(r, 1100)); // over MET_TOGETHER_MS later than meeting Alice
    // The impostor writes as "Alice" and is seen only through messages, never in the roster.
    const messages = [by(alice, 'Alice'), by(impostor, 'Alice'), by(alice, 'Alice')];
    let found = contacts.authorMarks(messages);
    await until(() => (found = contacts.authorMarks(messages)).size > 0, 'the impostor found');
    expect([...found.keys()]).to.deep.equal([impostor.id]);
    expect(found.get(impostor.id)!.namesakes.map((n) => n.userId)).to.deep.equal([alice.id]);
    // The same map while nothing changes: a view draws its lines again only when it does.
    expect(contacts.authorMarks(messages)).to.equal(found);
    expect(contacts.authorMarks([...messages])).to.equal(found);
    // Our own messages never make us an impostor.
    const own = ann.session.profile!.identity!;
    expect(
      contacts.authorMarks([{ from: { id: own.id, name: 'Ann', key: own.publicKey } }]).size,
    ).to.equal(0);
  });

  it('sees who joins and leaves while we are here, not who was here when we came', async () => {
    const hub = new MemoryHub();
    const early = await stranger(hub, 'hall', alice, 'Alice');
    const ann = await member(hub, 'Ann', 'hall');
    await ann.presence.contactsReady;
    await until(() => ann.presence.roster.length === 2, 'Alice listed');
    const lines = () => (ann.presence.comings?.lines ?? []).map((l) => l.text);
    expect(lines(), 'Alice was here already').to.deep.equal([]);
    const bob = await stranger(hub, 'hall', impostor, 'Bob');
    await until(() => lines().length === 1, 'a join');
    early.close();
    await until(() => lines().length === 2, 'a leave');
    bob.close();
    await until(() => lines().length === 3, 'another leave');
    expect(lines()).to.deep.equal(['Bob joined', 'Alice left', 'Bob left']);
    const keys = ann.presence.comings!.lines.map((l) => l.key);
    expect(new Set(keys).size, 'each line its own key').to.equal(3);
  });
});
