/**
 * Private rooms between real controllers (real IndexedDB, real WebCrypto): one is made with an
 * unguessable id and a key of its own, its link brings members in, and its creator removes a
 * member — the others get a new key, the removed one reads nothing written after. A member who
 * posts a grant making themself admin changes nothing (a doctored client: the controller's own
 * checks bypassed).
 */
import { expect } from '@open-wc/testing';
import { isPrivateRoom } from '../../../src/protocol/room-id.js';
import { MemoryHub } from '../../../src/transport/memory.js';
import { suiteMembers, until, type Member } from '../room-harness.js';

/** Members follow the page address (one address for all of them in this page). */
const fromAddress = { fixedRoom: () => undefined };

describe('a private room', function () {
  this.timeout(60000);
  const member = suiteMembers();
  afterEach(() => history.replaceState(null, '', location.pathname + location.search));

  /** Ann makes "Design Team"; Bob and Carol follow its invite link; everyone has announced. */
  async function designTeam(hub: MemoryHub): Promise<[Member, Member, Member]> {
    history.replaceState(null, '', '#room=lobby-' + Math.random().toString(36).slice(2));
    const ann = await member(hub, 'Ann', 'unused', fromAddress);
    const id = await ann.room.createRoom('Design Team', { public: false });
    expect(isPrivateRoom(id!)).to.equal(true);
    await until(() => ann.room.room === id && ann.room.encrypted, 'Ann in her new room');
    await until(() => ann.room.members.length === 1, 'Ann’s charter and announcement', 10000);
    const link = (await ann.room.inviteLink())!;
    const hash = new URL(link).hash;
    expect(new URLSearchParams(hash.slice(1)).get('title')).to.equal('Design Team');
    expect([...new URLSearchParams(hash.slice(1)).keys()]).to.deep.equal(['room', 'key', 'title']);
    location.hash = hash;
    const bob = await member(hub, 'Bob', 'unused', fromAddress);
    location.hash = hash;
    const carol = await member(hub, 'Carol', 'unused', fromAddress);
    for (const m of [ann, bob, carol]) {
      await until(() => m.room.room === id, 'in the room');
      await until(() => m.room.members.length === 3, `${m.room.members.length} members`, 15000);
    }
    return [ann, bob, carol];
  }

  it('is made with an unguessable id and its own key; its link brings id, key and title', async () => {
    const [ann, bob] = await designTeam(new MemoryHub());
    expect(ann.room.roomKind).to.equal('private');
    expect(ann.room.messages.map((m) => m.note).filter(Boolean)).to.include(
      'Ann made this private room',
    );
    ann.room.send('welcome aboard');
    await until(() => bob.room.messages.some((m) => m.text === 'welcome aboard'), 'Bob reads');
    expect(bob.room.members.find((m) => m.creator)?.name).to.equal('Ann');
    expect(bob.room.canManage).to.equal(false);
  });

  it('removes a member: the others read on under a new key, the removed one reads nothing after', async () => {
    const hub = new MemoryHub();
    const [ann, bob, carol] = await designTeam(hub);
    const carolId = carol.room.members.find((m) => m.self)!.id;
    expect(ann.room.canManage).to.equal(true);
    expect(await ann.room.removeMember(carolId)).to.equal(true);
    await until(() => bob.room.members.length === 2, 'Bob sees Carol removed', 10000);
    ann.room.send('plans after Carol left');
    await until(() => bob.room.messages.some((m) => m.text === 'plans after Carol left'), 'Bob');
    const after = ann.room.messages.find((m) => m.text === 'plans after Carol left')!;
    await until(() => carol.room.messages.some((m) => m.id === after.id), 'Carol holds it');
    expect(carol.room.messages.find((m) => m.id === after.id)).to.include({
      text: '',
      unreadable: true,
    });
    expect(carol.room.messages.map((m) => m.note).filter(Boolean)).to.include(
      "Ann changed the room's key — you were removed",
    );
    bob.room.send('and Bob too');
    await until(() => ann.room.messages.some((m) => m.text === 'and Bob too'), 'Ann reads Bob');
    // Dave comes later with the newest link: the key before it was passed on, so he reads
    // what was written before the change too, and checks the room's roles like the others.
    const before = ann.room.messages.find((m) => m.note === 'Ann made this private room')!;
    ann.room.send('written before Dave came');
    location.hash = new URL((await ann.room.inviteLink())!).hash;
    const dave = await member(hub, 'Dave', 'unused', fromAddress);
    await until(() => dave.room.messages.some((m) => m.text === 'plans after Carol left'), 'new');
    await until(() => dave.room.messages.some((m) => m.id === before.id && m.note), 'charter');
    expect(dave.room.messages.filter((m) => m.unreadable)).to.deep.equal([]);
    expect(dave.room.members.find((m) => m.creator)?.name).to.equal('Ann');
  });

  it('refuses a grant a member signs for themself', async () => {
    const [ann, bob, carol] = await designTeam(new MemoryHub());
    const carolId = carol.room.members.find((m) => m.self)!.id;
    // A doctored client: Carol posts the grant her own controller would refuse to make.
    const outgoing = (carol.room as unknown as { outgoing: { post: (...a: unknown[]) => unknown } })
      .outgoing;
    const active = (carol.room as unknown as { active: unknown }).active;
    outgoing.post(active, { kind: 'admin', member: carolId }, '');
    // Sent after the grant, over the same link: once it is here, the grant was taken or refused.
    carol.room.send('after my grant');
    for (const m of [ann, bob]) {
      await until(() => m.room.messages.some((x) => x.text === 'after my grant'), 'it arrived');
    }
    for (const m of [ann, bob]) {
      expect(m.room.members.find((x) => x.id === carolId)?.admin).to.equal(false);
    }
    expect(await carol.room.removeMember(ann.room.members.find((m) => m.self)!.id)).to.equal(false);
  });
});
