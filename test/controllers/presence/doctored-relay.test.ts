/**
 * A relay operator holding no one's key (a doctored relay: test/support/doctored-relay.ts)
 * against two real members (session, transport, presence and room controllers, real IndexedDB,
 * Socket.IO): it cannot keep a member "here" after they left, show them typing, or make our
 * message *delivered* without their signed receipt (protocol 1.4). Each attack is checked to
 * have happened on the wire (the relay still lists the member, the frames were injected), so
 * what stops it is the member's own check.
 */
import { expect } from '@open-wc/testing';
import { executeServerCommand } from '@web/test-runner-commands';
import type { Ack, Typing } from '../../../src/protocol/chat-events.js';
import { createIdentity, signerOf } from '../../../src/protocol/identity.js';
import { signAck } from '../../../src/protocol/signed-notices.js';
import type { TransportFactory } from '../../../src/transport/index.js';
import { MemoryHub } from '../../../src/transport/memory.js';
import { SocketIoTransport } from '../../../src/transport/socketio.js';
import type { DoctorCommand, Doctoring } from '../../support/doctored-relay.js';
import { freshRoom } from '../../transport/contract.js';
import { member as join, until, type Member } from '../room-harness.js';

const doctor = <T>(c: DoctorCommand) => executeServerCommand<T, DoctorCommand>('doctored-relay', c);
const url = (await doctor<string>({ action: 'url' }))!;
const overDoctored = (async (_kind, options) =>
  new SocketIoTransport({ ...options, url })) as TransportFactory;

/** Hellos every 300 ms, each holding 1 s: the test sees a departed member go within seconds. */
const here = { every: 300, ttl: 1000 };

describe('a doctored relay cannot vouch for a member (signed presence, typing, receipts)', function () {
  this.timeout(30000);
  const made: Member[] = [];
  const member = async (name: string, room: string) => {
    const m = await join(new MemoryHub(), name, room, { here }, undefined, overDoctored);
    made.push(m);
    return m;
  };
  const stopped = new Set<Member>();
  const stop = async (m: Member) => {
    stopped.add(m);
    await m.stop();
  };
  afterEach(async () => {
    await doctor({ action: 'doctor', doctoring: {} });
    await Promise.all(
      made
        .splice(0)
        .filter((m) => !stopped.has(m))
        .map((m) => m.stop()),
    );
  });

  const others = (m: Member) => m.presence.roster.filter((l) => !l.self).map((l) => l.name);
  async function pair() {
    const room = freshRoom();
    const alice = await member('Alice', room);
    const bob = await member('Bob', room);
    await until(() => others(alice).includes('Bob') && others(bob).includes('Alice'), 'both here');
    return { room, alice, bob };
  }
  const setDoctoring = (doctoring: Doctoring) => doctor({ action: 'doctor', doctoring });

  it('drops a member who left although the relay keeps listing them and replays their hello', async () => {
    const { alice, bob } = await pair();
    const bobPeer = bob.transport.selfId;
    expect(alice.presence.roster.find((l) => l.name === 'Bob')!.unconfirmed).to.equal(undefined);
    await setDoctoring({ ghosts: true });
    await stop(bob);
    await until(() => !others(alice).includes('Bob'), 'Bob gone from the roster');
    // The relay still lists him and keeps replaying his last hello: only his silence told.
    expect(alice.transport.helloOf(bobPeer), 'the relay kept Bob').not.to.equal(undefined);
    const replayed = await doctor<unknown[]>({ action: 'heard', from: bobPeer, ev: 'chat:here' });
    expect(replayed, 'a hello of Bob to replay').to.have.length(1);
    await new Promise((r) => setTimeout(r, here.ttl)); // replays keep coming meanwhile
    expect(others(alice)).to.deep.equal([]);
  });

  it('shows no typing the member did not sign, nor an old notice of theirs replayed', async () => {
    const { room, alice, bob } = await pair();
    const bobPeer = bob.transport.selfId;
    const bobId = bob.session.profile!.identity!.id;
    const alicePeer = alice.transport.selfId;
    const inject = (ev: string, args: unknown[]) =>
      doctor({ action: 'inject', to: alicePeer, from: bobPeer, ev, args });
    /** Alice has handled what was injected before: her answer to a probe after it came back. */
    const handled = async (n: number) => {
      await inject('chat:ping', [{ room, n }]);
      for (let i = 0; i < 200; i++) {
        const pong = await doctor<[{ n: number }] | []>({
          action: 'heard',
          from: alicePeer,
          ev: 'chat:pong',
        });
        if (pong?.[0]?.n === n) return;
        await new Promise((r) => setTimeout(r, 20));
      }
      throw new Error(`probe ${n} not answered`);
    };
    // The relay's own words, in Bob's name, from Bob's connection: not signed.
    await inject('chat:typing', [{ room, userId: bobId, name: 'Bob', typing: true }]);
    await handled(1);
    expect(alice.presence.typing, 'an unsigned notice').to.deep.equal([]);
    // Bob really types, then stops; the relay replays his "typing" notice after his "stopped",
    // and makes a new one with his signature on a new time.
    bob.presence.setTyping(true);
    await until(() => alice.presence.typing.includes('Bob'), 'Bob typing');
    const typed = await doctor<[Typing]>({ action: 'heard', from: bobPeer, ev: 'chat:typing' });
    expect(typed![0].typing).to.equal(true);
    bob.presence.setTyping(false);
    await until(() => alice.presence.typing.length === 0, 'Bob stopped');
    await inject('chat:typing', typed!);
    await inject('chat:typing', [{ ...typed![0], at: Date.now() }]);
    await handled(2);
    await new Promise((r) => setTimeout(r, 200)); // a signature check takes a moment
    expect(alice.presence.typing, 'a replayed or re-dated notice').to.deep.equal([]);
  });

  it('never shows delivered on a message the relay swallowed, whatever receipts it forges', async () => {
    const { room, alice, bob } = await pair();
    const bobPeer = bob.transport.selfId;
    const alicePeer = alice.transport.selfId;
    const bobIdentity = bob.session.profile!.identity!;
    await setDoctoring({ swallow: true });
    alice.room.send('did you get this?');
    await until(() => alice.room.messages.some((m) => m.status === 'sent'), 'sent');
    const id = alice.room.messages.find((m) => m.text === 'did you get this?')!.id;
    const ack = (a: Ack) =>
      doctor({ action: 'inject', to: alicePeer, from: bobPeer, ev: 'chat:ack', args: [a] });
    const before = { ...alice.room.refused };
    // Unsigned, in Bob's name (what a 1.3 relay-trusting client believed).
    await ack({ room, by: bobIdentity.id, ids: [id] });
    // Signed by the relay's own key but naming Bob with Bob's key: the signature fails.
    const mallory = signerOf(await createIdentity());
    const byMallory = await signAck(mallory, { room, ids: [id] });
    await ack({ ...byMallory, by: bobIdentity.id, key: bobIdentity.publicKey });
    // Bob's key with Mallory's id, and Mallory's own honest receipt under Bob's name.
    await ack({ ...byMallory, key: bobIdentity.publicKey });
    await ack({ ...byMallory, by: bobIdentity.id });
    // The relay's own receipt, as signed: a key nobody in the room holds says nothing; nor do
    // receipts of throwaway keys made to inflate "delivered to N".
    await ack(byMallory);
    for (let i = 0; i < 3; i++) {
      await ack(await signAck(signerOf(await createIdentity()), { room, ids: [id] }));
    }
    const forged = () => alice.room.refused.forged - before.forged;
    const refused = () => alice.room.refused.malformed - before.malformed;
    await until(() => forged() === 2 && refused() === 6, 'the forged and foreign receipts refused');
    expect(
      bob.room.messages.map((m) => m.text),
      'Bob never got it',
    ).to.deep.equal([]);
    expect(alice.room.messages.find((m) => m.id === id)!.status).to.equal('sent');
    // The honest path still works: Bob's own signed receipt makes the next one delivered.
    await setDoctoring({});
    alice.room.send('and this?');
    await until(
      () => alice.room.messages.find((m) => m.text === 'and this?')?.status === 'delivered',
      'delivered by Bob',
    );
    expect(alice.room.messages.find((m) => m.id === id)!.status).to.equal('sent');
  });
});
