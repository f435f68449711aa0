import { expect } from '@open-wc/testing';
import { SWITCH_OVERLAP_MS } from '../../../src/controllers/connection/transport-controller.js';
import type { ChatEvents } from '../../../src/protocol/chat-events.js';
import { MemoryHub } from '../../../src/transport/memory.js';
import { suiteMembers, until, type Member } from '../room-harness.js';

const lines = (m: Member) =>
  m.presence.roster.map(({ name, self, link }) => ({ name, self, link }));

describe('the roster, kept by the presence controller', function () {
  this.timeout(20000);
  const member = suiteMembers();

  it('lists us first and one line per person, follows joins and leaves, and empties on leaving', async () => {
    const hub = new MemoryHub();
    const ann = await member(hub, 'Ann', 'r');
    const bob = await member(hub, 'Bob', 'r');
    expect('roster' in ann.transport, 'the transport controller keeps no roster').to.equal(false);
    await until(() => ann.presence.roster.length === 2, 'Bob listed');
    expect(lines(ann)).to.deep.equal([
      { name: 'Ann', self: true, link: 'memory' },
      { name: 'Bob', self: false, link: 'memory' },
    ]);
    expect(ann.presence.roster[0]!.id).to.equal(ann.transport.selfId);
    expect(
      ann.presence.roster.map((l) => l.userId),
      'each line is an identity',
    ).to.deep.equal([ann.session.profile!.identity!.id, bob.session.profile!.identity!.id]);
    // Bob in a second tab is still one person: the same identity.
    const tab = hub.transport<ChatEvents>();
    await tab.connect('r', { userId: bob.session.profile!.identity!.id, name: 'Bob' });
    await until(() => ann.transport.reach()!.members.length === 2, 'the second tab is heard');
    expect(lines(ann).map((l) => l.name)).to.deep.equal(['Ann', 'Bob']);
    tab.close();
    ann.transport.leave();
    expect(ann.presence.roster).to.deep.equal([]);
  });

  it('lists our own other tabs (our identity) as us, not as somebody else', async () => {
    const hub = new MemoryHub();
    const ann = await member(hub, 'Ann', 'tabs');
    const tab = hub.transport<ChatEvents>();
    await tab.connect('tabs', { userId: ann.session.profile!.identity!.id, name: 'Ann' });
    await until(() => ann.transport.reach()!.members.length === 1, 'the other tab is heard');
    expect(lines(ann)).to.deep.equal([{ name: 'Ann', self: true, link: 'memory' }]);
    tab.close();
  });

  it('never lists our own connection that a switch is retiring', async () => {
    const hub = new MemoryHub();
    const ann = await member(hub, 'Ann', 'sw');
    const bob = await member(hub, 'Bob', 'sw');
    await until(() => ann.presence.roster.length === 2, 'Bob listed');
    const before = ann.transport.selfId;
    await ann.transport.switchTransport();
    expect(ann.transport.selfId, 'a new connection').not.to.equal(before);
    // Meanwhile the old connection still sits in the room: it is us, not somebody else.
    expect(ann.transport.reach()!.members.map((m) => m.hello.id)).not.to.include(before);
    expect(lines(ann).map((l) => l.name)).to.deep.equal(['Ann', 'Bob']);
    await new Promise((r) => setTimeout(r, SWITCH_OVERLAP_MS + 100));
    expect(lines(ann).map((l) => l.name)).to.deep.equal(['Ann', 'Bob']);
    await until(() => bob.presence.roster.length === 2, 'Bob lists Ann once');
  });
});
