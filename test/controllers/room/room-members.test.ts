/**
 * Members and roles of a private room (RoomMembers), with real identities, real signed and
 * sealed messages and real key agreement: the creator is known from the charter alone; a
 * removal gives every remaining member a new key the removed one cannot open; nobody but the
 * creator and the admins can make admins or change the key — not a plain member, not a forged
 * charter, not a removed admin writing under the old key with an early date; two admins
 * changing the key at once leave everyone with one key; everything held is bounded.
 */
import { expect } from '@open-wc/testing';
import { MAX_MEMBERS } from '../../../src/controllers/room/room-members.js';
import {
  MAX_REKEY_KEYS,
  MAX_REKEY_REMOVED,
  readRoomRole,
} from '../../../src/protocol/room-roles.js';
import { DEFAULT_MAX_PAYLOAD, jsonSize } from '../../../src/protocol/limits.js';
import { newRawRoomKey, wrapRoomKey } from '../../../src/protocol/key-agreement.js';
import { newPrivateRoom } from '../../../src/protocol/room-id.js';
import { PrivateRoom, type Person } from '../../support/private-room.js';

const text = (words: string) => ({ text: words });
const notes = (p: Person) => p.taken.map((t) => t?.note).filter((n) => n !== undefined);
const names = (p: Person) => p.members.members.map((m) => m.name);

/** A started room: Alice made it; Bob, Carol and Dave announced themselves. */
async function designTeam() {
  const { room, creator: alice } = await PrivateRoom.create('Alice');
  const [bob, carol, dave] = await Promise.all(['Bob', 'Carol', 'Dave'].map((n) => room.person(n)));
  const all = [alice, bob!, carol!, dave!];
  await room.start(alice, all.slice(1));
  return { room, alice, bob: bob!, carol: carol!, dave: dave!, all };
}

describe('room members', function () {
  this.timeout(60000);

  it('knows who made the room from the charter, and says who joined', async () => {
    const { alice, bob, all } = await designTeam();
    for (const p of all) {
      expect(p.members.title).to.equal('Design Team');
      expect(p.members.creatorId).to.equal(alice.signer.id);
      expect(names(p)).to.deep.equal(['Alice', 'Bob', 'Carol', 'Dave']);
    }
    expect(notes(bob)).to.deep.equal([
      'Alice made this private room',
      'Bob joined the room',
      'Carol joined the room',
      'Dave joined the room',
    ]);
    const [a, b] = [alice.members.members[0]!, bob.members.members.find((m) => m.self)!];
    expect([a.creator, a.admin, a.canRemove]).to.deep.equal([true, true, false]);
    expect(alice.members.canManage).to.equal(true);
    expect(bob.members.canManage).to.equal(false);
    expect(b.name).to.equal('Bob');
    expect(alice.members.members.filter((m) => m.canRemove).map((m) => m.name)).to.deep.equal([
      'Bob',
      'Carol',
      'Dave',
    ]);
    expect(bob.members.memberBody().body, 'announced once').to.equal(undefined);
  });

  it('gives a new key to everyone but the removed member, who cannot open it', async () => {
    const { room, alice, bob, carol, dave, all } = await designTeam();
    const removal = await alice.members.removeBody(carol.signer.id);
    expect(removal.key?.epoch).to.equal(1);
    await room.act(alice, removal, all);
    for (const p of [alice, bob, dave]) {
      expect(p.current, `${p.name} seals with the new key`).to.equal(removal.key!.kid);
      expect(p.members.epoch).to.equal(1);
      expect(names(p)).to.deep.equal(['Alice', 'Bob', 'Dave']);
      expect(p.members.isRemoved(carol.signer.id)).to.equal(true);
      expect(p.members.removedSince(carol.signer.id)).to.equal(1);
    }
    expect(notes(bob).at(-1)).to.equal("Alice changed the room's key — Carol was removed");
    expect(notes(carol).at(-1)).to.equal("Alice changed the room's key — you were removed");
    expect(carol.taken.at(-1)?.key, 'no key for Carol').to.equal(undefined);
    expect(carol.keys.has(removal.key!.kid)).to.equal(false);
    expect(carol.members.sealWith).to.equal(undefined);

    const next = await room.post(bob, text('after Carol left'));
    expect(next.kid).to.equal(removal.key!.kid);
    expect(await room.deliver(next, all)).to.deep.equal([
      text('after Carol left'),
      text('after Carol left'),
      'unreadable',
      text('after Carol left'),
    ]);
    // Carol's copy of the rekey has wrapped keys for the others only: none opens with hers.
    const body = readRoomRole(removal.body)!;
    expect(body.kind === 'rekey' && body.keys.map((k) => k.to)).to.not.include(carol.signer.id);
  });

  it('changes the key on request, for every member, and says so', async () => {
    const { room, alice, bob, all } = await designTeam();
    const change = await alice.members.changeKeyBody();
    await room.act(alice, change, all);
    for (const p of all) expect(p.current).to.equal(change.key!.kid);
    expect(notes(bob).at(-1)).to.equal("Alice changed the room's key");
  });

  it('refuses an admin grant or a new key from a plain member, and changes nothing', async () => {
    const { room, bob, carol, dave, all } = await designTeam();
    const self = { kind: 'admin', member: bob.signer.id };
    expect(bob.members.adminBody(bob.signer.id).reason).to.match(/Only the room's creator/);
    await room.say(bob, self, all);
    const other = { kind: 'admin', member: carol.signer.id };
    await room.say(bob, other, all);
    for (const p of all) {
      expect(p.members.members.filter((m) => m.admin).map((m) => m.name)).to.deep.equal(['Alice']);
      expect(p.members.refused, `${p.name} refused both`).to.equal(2);
      expect(p.taken.at(-1)).to.deep.equal({ note: undefined });
    }
    expect(bob.members.canManage).to.equal(false);

    // A rekey Bob builds by hand (his client would not) removing Carol.
    const forged = await rekeyBy([bob, dave], room.room, [carol]);
    const before = all.map((p) => p.current);
    await room.say(bob, forged, all);
    expect(all.map((p) => p.current)).to.deep.equal(before);
    for (const p of all) {
      expect(p.members.epoch).to.equal(0);
      expect(p.members.isRemoved(carol.signer.id)).to.equal(false);
      expect(p.members.refused).to.equal(3);
    }
  });

  it('refuses a new key whose copy for us does not open, or is not the key it names', async () => {
    const { room, alice, bob, carol, dave, all } = await designTeam();
    const doctored = await rekeyBy([alice, bob, carol, dave], room.room);
    const mine = doctored.keys.find((k) => k.to === bob.signer.id)!;
    mine.ct = (mine.ct[0] === 'A' ? 'B' : 'A') + mine.ct.slice(1);
    const misnamed = await rekeyBy([alice, bob, carol, dave], room.room);
    misnamed.kid = doctored.kid;
    await room.say(alice, misnamed, all);
    expect(all.map((p) => p.members.refused)).to.deep.equal([1, 1, 1, 1]);
    await room.say(alice, doctored, all);
    expect(bob.members.refused).to.equal(2);
    expect(bob.current, 'Bob stays on the key he has').to.not.equal(doctored.kid);
    expect(dave.current, 'Dave, whose copy opens, follows it').to.equal(doctored.kid);
    // An older key passed on must be the key its id names, and the key before.
    const first = [...alice.raws.keys()].find((k) => k !== doctored.kid)!;
    const real = (await alice.members.priorBody(alice.raws.get(first)!)).body!;
    const junk = await newRawRoomKey();
    const other = (await alice.members.priorBody(junk.raw)).body!;
    await room.say(alice, { ...real, kid: junk.kid }, [alice, dave]);
    await room.say(alice, other, [alice, dave]);
    expect(dave.members.refused).to.equal(3);
    expect(dave.keys.has(junk.kid)).to.equal(false);
    await room.say(alice, real, [alice, dave]);
    expect(dave.taken.at(-1)?.key?.kid).to.equal(first);
  });

  it('lets an admin the creator made manage the room, and only from then on', async () => {
    const { room, alice, bob, carol, dave, all } = await designTeam();
    await room.act(alice, alice.members.adminBody(bob.signer.id), all);
    expect(notes(dave).at(-1)).to.equal('Alice made Bob an admin');
    expect(bob.members.canManage).to.equal(true);
    await room.act(bob, await bob.members.removeBody(dave.signer.id), all);
    expect(notes(carol).at(-1)).to.equal("Bob changed the room's key — Dave was removed");
    for (const p of [alice, bob, carol]) {
      expect(names(p)).to.deep.equal(['Alice', 'Bob', 'Carol']);
      expect(p.members.members[1]!.admin, 'Bob stays admin').to.equal(true);
    }
    expect((await bob.members.removeBody(alice.signer.id)).reason).to.equal(
      "The room's creator can't be removed.",
    );
  });

  it('refuses a charter whose key and nonce do not make the room’s id', async () => {
    const { room, creator: alice } = await PrivateRoom.create('Alice');
    const eve = await room.person('Eve');
    // Eve's charter with Alice's own nonce, and with a nonce of her own.
    await room.say(eve, { kind: 'room', nonce: room.nonce, title: 'Eve’s room' }, [alice, eve]);
    await room.say(
      eve,
      {
        kind: 'room',
        nonce: (await newPrivateRoom(eve.signer.publicKey)).nonce,
        title: 'Eve’s room',
      },
      [alice, eve],
    );
    expect(alice.members.refused).to.equal(2);
    expect(alice.members.creatorId).to.equal(undefined);
    expect((await eve.members.charterBody(room.nonce, 'x')).reason).to.match(/not made/);
    // Without a charter nobody manages the room: Eve's grant to herself waits, and fails.
    await room.say(eve, { kind: 'admin', member: eve.signer.id }, [alice, eve]);
    await room.start(alice, [eve]);
    expect(alice.members.creatorId).to.equal(alice.signer.id);
    expect(alice.members.members.find((m) => m.name === 'Eve')?.admin).to.equal(false);
    expect(notes(alice)[0]).to.equal('Alice made this private room');
  });

  it('keeps a removed admin out: an early-dated grant or a new key under the old key', async () => {
    const { room, alice, bob, carol, dave, all } = await designTeam();
    await room.act(alice, alice.members.adminBody(carol.signer.id), all);
    const removal = await alice.members.removeBody(carol.signer.id);
    const removalPost = await room.post(alice, removal.body!, { kid: removal.sealWith });
    // Carol, still holding the old key, writes dated before her removal: Dave made admin,
    // and a new key of her own for everyone but Alice's... both sealed under the old key.
    const early = removalPost.env.ts - 500;
    const carolsGrant = await room.post(
      carol,
      { kind: 'admin', member: dave.signer.id },
      { ts: early },
    );
    const carolsKey = await carol.members.changeKeyBody();
    const carolsRekey = await room.post(carol, carolsKey.body!, { ts: early + 1 });
    // Some members see Carol's first, some Alice's first.
    await room.deliver(carolsGrant, all);
    await room.deliver(carolsRekey, [bob, carol]);
    expect(bob.current, 'Bob follows Carol’s key until he hears of the removal').to.equal(
      carolsKey.key!.kid,
    );
    await room.deliver(removalPost, all);
    await room.deliver(carolsRekey, [alice, dave]);
    for (const p of [alice, bob, dave]) {
      expect(p.current, `${p.name} on Alice’s key`).to.equal(removal.key!.kid);
      expect(p.members.isRemoved(carol.signer.id)).to.equal(true);
      expect(p.members.members.filter((m) => m.admin).map((m) => m.name)).to.deep.equal(['Alice']);
    }
    // Carol's own chain, built on her key, goes nowhere.
    carol.current = carolsKey.key!.kid;
    const further = await room.post(carol, (await carol.members.changeKeyBody()).body!);
    await room.deliver(further, [bob]);
    expect(bob.current).to.equal(removal.key!.kid);
    // Nor does a key of hers under the old key that claims to be newer than Alice's.
    const leap = await rekeyBy([bob, carol, dave], room.room, [], 2);
    await room.deliver(await room.post(carol, leap, { kid: removal.sealWith }), [bob, dave]);
    expect([bob.current, dave.current]).to.deep.equal([removal.key!.kid, removal.key!.kid]);
    expect(bob.members.epoch).to.equal(1);
    const last = await room.post(dave, text('for the three of us'));
    expect(await room.deliver(last, all)).to.deep.equal([
      text('for the three of us'),
      text('for the three of us'),
      'unreadable',
      text('for the three of us'),
    ]);
  });

  it('settles two admins’ simultaneous new keys on one key, whatever the order', async () => {
    const { room, alice, bob, carol, dave, all } = await designTeam();
    await room.act(alice, alice.members.adminBody(bob.signer.id), all);
    const [a, b] = [await alice.members.changeKeyBody(), await bob.members.changeKeyBody()];
    const [pa, pb] = [
      await room.post(alice, a.body!, { kid: a.sealWith }),
      await room.post(bob, b.body!, { kid: b.sealWith }),
    ];
    await room.deliver(pa, [alice, carol]);
    await room.deliver(pb, [bob, dave]);
    await room.deliver(pb, [alice, carol]);
    await room.deliver(pa, [bob, dave]);
    const winner = [a.key!.kid, b.key!.kid].sort()[0];
    for (const p of all) {
      expect(p.current, p.name).to.equal(winner);
      expect(p.keys.has(a.key!.kid) && p.keys.has(b.key!.kid), 'both kept to open with').to.equal(
        true,
      );
    }
    const loserTaken = carol.taken.at(-1)!;
    expect(!!loserTaken.key?.behind).to.equal(loserTaken.key?.kid !== winner);
    const msg = await room.post(dave, text('one key'));
    expect(await room.deliver(msg, all)).to.deep.equal(all.map(() => text('one key')));
  });

  it('voids two admins removing each other, and an admin removing the creator’s way', async () => {
    const { room, alice, bob, carol, dave, all } = await designTeam();
    await room.act(alice, alice.members.adminBody(bob.signer.id), all);
    await room.act(alice, alice.members.adminBody(carol.signer.id), all);
    const [b, c] = [
      await bob.members.removeBody(carol.signer.id),
      await carol.members.removeBody(bob.signer.id),
    ];
    await room.deliver(await room.post(bob, b.body!, { kid: b.sealWith }), all);
    expect(dave.current, 'Bob’s, until Carol’s arrives').to.equal(b.key!.kid);
    await room.deliver(await room.post(carol, c.body!, { kid: c.sealWith }), all);
    for (const p of all) {
      expect(p.members.epoch, `${p.name}: neither`).to.equal(0);
      expect(p.members.isRemoved(bob.signer.id) || p.members.isRemoved(carol.signer.id)).to.equal(
        false,
      );
    }
    // The creator settles it: removing Carol stands (the creator's always does); Bob's, which
    // Carol's disputed, stays void — one dispute voids both, whoever is removed later.
    const a = await alice.members.removeBody(carol.signer.id);
    await room.deliver(await room.post(alice, a.body!, { kid: a.sealWith }), all);
    for (const p of [alice, bob, dave]) {
      expect(p.members.isRemoved(carol.signer.id)).to.equal(true);
      expect(p.current).to.equal(a.key!.kid);
    }
  });

  it('builds the same state from the history as it did live', async () => {
    const { room, alice, bob, carol, dave, all } = await designTeam();
    await room.act(alice, alice.members.adminBody(bob.signer.id), all);
    await room.act(bob, await bob.members.removeBody(carol.signer.id), all);
    await room.act(alice, await alice.members.changeKeyBody(), [alice, bob, dave]);
    const state = (p: Person) => ({
      members: p.members.members,
      epoch: p.members.epoch,
      sealWith: p.members.sealWith,
      manage: p.members.canManage,
      notes: notes(p),
    });
    for (const p of all) {
      const again = await room.replay(p);
      expect(state(again), p.name).to.deep.equal(state(p));
      expect(again.current).to.equal(p.current);
    }
    expect(dave.members.members.map((m) => [m.name, m.admin])).to.deep.equal([
      ['Alice', true],
      ['Bob', true],
      ['Dave', false],
    ]);
  });

  it('lets a member invited after two key changes read the room and know its roles', async () => {
    const { room, alice, bob, carol, dave, all } = await designTeam();
    await room.act(alice, alice.members.adminBody(bob.signer.id), all);
    await room.say(carol, text('before'), all);
    await room.act(bob, await bob.members.removeBody(carol.signer.id), all);
    await room.act(alice, await alice.members.changeKeyBody(), [alice, bob, dave]);
    // Erin's link, from Dave, carries only the key in force.
    const erin = await room.person('Erin', undefined, undefined, dave);
    expect(erin.keys.size).to.equal(1);
    await room.catchUp(erin);
    expect(erin.keys.size, 'every key, back to the first').to.equal(3);
    expect(erin.members.creatorId).to.equal(alice.signer.id);
    expect(erin.members.epoch).to.equal(2);
    expect(erin.members.members).to.deep.equal(
      dave.members.members.map((m) => ({ ...m, self: false })),
    );
    expect(erin.current).to.equal(dave.current);
    expect(notes(erin)).to.include("Bob changed the room's key — Carol was removed");
    await room.act(erin, erin.members.memberBody(), [alice, bob, carol, dave, erin]);
    expect(names(alice)).to.include('Erin');
    expect(notes(carol).includes('Erin joined the room'), 'Carol hears nothing').to.equal(false);
  });

  it('takes one key of unknown place per member before the chain is known', async () => {
    const { room, alice, bob, all } = await designTeam();
    await room.act(alice, await alice.members.changeKeyBody(), all);
    const erin = await room.person('Erin', undefined, undefined, bob);
    const junk = [];
    for (let i = 0; i < 5; i++) {
      const { raw } = await newRawRoomKey();
      junk.push(await room.post(bob, (await bob.members.priorBody(raw)).body!));
    }
    for (const post of junk) await room.deliver(post, [erin, alice]);
    expect(erin.keys.size, 'one of Bob’s taken').to.equal(2);
    expect(erin.members.refused).to.equal(4);
    expect(alice.members.refused, 'who knows the chain takes none').to.equal(5);
    await room.catchUp(erin);
    expect(erin.members.creatorId, 'the real one still opens the history').to.equal(
      alice.signer.id,
    );
  });

  it('hands over a key to us once what proves its rekey arrives after it', async () => {
    const { room, alice, bob, carol, dave, all } = await designTeam();
    const grant = await room.post(alice, alice.members.adminBody(bob.signer.id).body!);
    await room.deliver(grant, [alice, bob, carol]);
    const removal = await bob.members.removeBody(carol.signer.id);
    const rekey = await room.post(bob, removal.body!, { kid: removal.sealWith });
    await room.deliver(rekey, [alice, bob, carol, dave]);
    expect(dave.taken.at(-1), 'not valid yet for Dave').to.deep.equal({ note: undefined });
    expect(dave.current).to.not.equal(removal.key!.kid);
    await room.deliver(grant, [dave]);
    expect(dave.taken.at(-1)?.earlier?.map((k) => k.kid)).to.deep.equal([removal.key!.kid]);
    expect(dave.current).to.equal(removal.key!.kid);
    expect(all.map((p) => p.members.epoch)).to.deep.equal([1, 1, 1, 1]);
  });

  it('bounds what a room holds and what a rekey may carry', async () => {
    const { room, alice, bob } = await designTeam();
    // Announcements as the room controller passes them, by authors past the cap.
    const fake = (i: number, body: unknown = { kind: 'member', kx: alice.kx.publicKey }) => ({
      id: `fake-${i}`,
      room: room.room,
      ts: 1,
      from: { id: `id${String(i).padStart(20, '0')}`, name: `M${i}`, key: 'k' },
      body,
      kid: alice.current,
    });
    for (let i = 0; i < MAX_MEMBERS; i++) await alice.members.take(fake(i));
    expect(alice.members.members.length).to.equal(MAX_MEMBERS);
    expect(alice.members.refused, 'the 4 past the cap').to.equal(4);
    // More members than one rekey may carry: the key cannot change in one message.
    expect((await alice.members.changeKeyBody()).reason).to.match(/at most 256 members/);
    const removed = Array.from(
      { length: MAX_REKEY_REMOVED + 1 },
      (_, i) => `x${String(i).padStart(21, '0')}`,
    );
    const over = { ...(await rekeyBy([bob], room.room)), removed };
    expect(await alice.members.take(fake(-1, over))).to.deep.equal({ note: undefined });
    const oddField = { ...(await rekeyBy([bob], room.room)), extra: 1 };
    expect(await alice.members.take(fake(-2, oddField))).to.deep.equal({ note: undefined });
    expect(alice.members.refused).to.equal(6);
    expect((await alice.members.charterBody(room.nonce, 'x'.repeat(65))).reason).to.match(
      /1 to 64/,
    );
    // Not a control message at all: not ours to judge.
    expect(await alice.members.take(fake(-3, { text: 'hi' }))).to.equal(undefined);
  });

  it('fits a rekey for the most members it may carry in one message', async () => {
    const { room, alice } = await designTeam();
    const { raw, kid } = await newRawRoomKey();
    const ids = Array.from(
      { length: MAX_REKEY_KEYS },
      (_, i) => `id${String(i).padStart(20, '0')}`,
    );
    const recipients = ids.map((to) => ({ to, kx: alice.kx.publicKey }));
    const { eph, keys } = await wrapRoomKey(raw, { room: room.room, epoch: 1 }, recipients);
    const admins = ids.slice(1);
    const body = { kind: 'rekey', epoch: 1, kid, removed: [], admins, eph, keys };
    expect(readRoomRole(body), 'well-formed').to.not.equal(undefined);
    // Sealed and signed as it goes out, the longest name and all: within the payload cap.
    const long = { ...alice, name: 'A'.repeat(32) };
    const post = await room.post(long, body);
    expect(jsonSize([post.env])).to.be.lessThan(DEFAULT_MAX_PAYLOAD);
  });
});

/** A rekey body built by hand (for someone who may not be allowed to), for `to`, removing `out`. */
async function rekeyBy(to: readonly Person[], room: string, out: Person[] = [], epoch = 1) {
  const { raw, kid } = await newRawRoomKey();
  const recipients = to.map((p) => ({ to: p.signer.id, kx: p.kx.publicKey }));
  const { eph, keys } = await wrapRoomKey(raw, { room, epoch }, recipients);
  const removed = out.map((p) => p.signer.id);
  return { kind: 'rekey', epoch, kid, removed, admins: [], eph, keys };
}
