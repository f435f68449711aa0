/**
 * Joins must prove the identity key they announce, against a real relay: nobody joins under
 * another member's id, a proof made for one connection is worthless on another, a join
 * without a key or proof is refused, and members learn each other's keys from the hellos.
 */
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import type { Socket } from 'socket.io-client';
import {
  createIdentity,
  identityIdOf,
  SignaturePurposes,
  signerOf,
} from '../../src/protocol/identity.js';
import type { PeerHello, PeerProfile } from '../../src/protocol/peer.js';
import type { JoinReply } from '../../src/protocol/relay-frames.js';
import {
  connected,
  envelope,
  provenJoin,
  quiet,
  rawSocket,
  until,
  useRelay,
  type Client,
} from './helpers.js';
import { PROTOCOL_VERSION as v } from '../../src/protocol/version.js';

/** Sends `request` as a join on `socket` and returns the relay's answer. */
async function ask(socket: Socket, request: unknown): Promise<JoinReply> {
  return (await socket.timeout(3000).emitWithAck('relay:join', request)) as JoinReply;
}

/** Asserts that `reply` is the relay refusing an unproven join. */
function assertUnproven(reply: JoinReply, why: RegExp, what: string): void {
  assert.equal(reply.ok, false, `${what}: refused`);
  if (reply.ok) return;
  assert.equal(reply.error.code, 'unproven', `${what}: code`);
  assert.equal(reply.error.event, 'relay:join');
  assert.match(reply.error.message, /^join refused: /);
  assert.match(reply.error.message, why, what);
}

describe('joins prove the identity key they announce', () => {
  const relay = useRelay();
  const sockets: Socket[] = [];
  after(() => sockets.forEach((s) => s.disconnect()));
  /** A connected raw socket that has not joined anything; closed after the suite. */
  const stranger = async (): Promise<Socket> => {
    const socket = rawSocket(relay.server.url);
    sockets.push(socket);
    await connected(socket);
    return socket;
  };
  /** Checks that `room` lists `alice` exactly as she joined, to a newcomer who asks. */
  const assertRosterEntry = async (room: string, alice: Client & { me: PeerProfile }) => {
    const newcomer = await relay.join(room, 'Nia');
    const named = newcomer.reply.peers.filter((p) => p.userId === alice.me.userId);
    assert.equal(named.length, 1, 'one member with Alice’s id');
    assert.equal(named[0]!.id, alice.id, 'and it is Alice’s connection');
    assert.equal(named[0]!.key, alice.me.key, 'with Alice’s key');
    assert.equal(named[0]!.name, 'Alice');
  };

  it('refuses a join under another member’s id, and Alice’s entry stays hers', async () => {
    const room = 'impostor';
    const aliceId = await createIdentity();
    const alice = await relay.join(room, 'Alice', { identity: aliceId });
    const wes = await relay.join(room, 'Wes');
    // Alice's join reaches Wes too in the room's next presence frame; only later ones count.
    await quiet();
    wes.joins.length = 0;
    const eveId = await createIdentity();
    const eve = await stranger();

    // Alice's id with Eve's own key, signed correctly by Eve: the id is not the key's hash.
    const eveSigned = await provenJoin(eve, room, 'Alice', eveId);
    const withEveKey = { ...eveSigned, me: { ...eveSigned.me, userId: alice.me.userId } };
    assertUnproven(await ask(eve, withEveKey), /not the one of this key/, 'Eve’s key, Alice’s id');

    // Alice's id and Alice's key, but Eve cannot sign with it: she signs with her own.
    const me = { userId: alice.me.userId, name: 'Alice', key: alice.me.key! };
    const fields = [eve.id!, room, me.userId, me.name, me.key];
    const forged = await signerOf(eveId).sign(SignaturePurposes.join, fields);
    assertUnproven(await ask(eve, { room, me, proof: forged, v }), /does not check out/, 'forged');
    // ... or a signature-shaped string, or none at all.
    const junk = 'A'.repeat(86);
    assertUnproven(await ask(eve, { room, me, proof: junk, v }), /does not check out/, 'junk');
    assertUnproven(await ask(eve, { room, me, v }), /does not check out/, 'no proof');

    // Nobody was told of a join, Eve is in no room, and Alice is listed as she joined.
    await quiet();
    assert.deepEqual(wes.joins, [], 'no peer-join reached the room');
    assert.deepEqual(wes.leaves, [], 'Alice was not displaced');
    eve.emit('relay:emit', 'chat:message', [envelope(room, 'as Alice')]);
    const refused = await new Promise<{ code: string }>((resolve) =>
      eve.once('relay:error', resolve),
    );
    assert.equal(refused.code, 'not-joined', 'Eve never joined');
    assert.equal(wes.events.length, 0);
    await assertRosterEntry(room, alice);
  });

  it('refuses a proof replayed on another connection, or for another room', async () => {
    const room = 'replay';
    const who = await createIdentity();
    const first = await stranger();
    const second = await stranger();
    const captured = await provenJoin(first, room, 'Alice', who);
    assert.notEqual(first.id, second.id);
    assertUnproven(await ask(second, captured), /does not check out/, 'replayed elsewhere');
    assertUnproven(
      await ask(first, { ...captured, room: 'elsewhere' }),
      /does not check out/,
      'moved to another room',
    );
    // The proof itself was sound: on the connection it was made for, it is taken.
    const reply = await ask(first, captured);
    assert.equal(reply.ok, true, 'accepted on its own connection');
  });

  it('refuses a join without a key or without a proof', async () => {
    const room = 'bare';
    const watcher = await relay.join(room, 'Wes');
    const socket = await stranger();
    assertUnproven(
      await ask(socket, { room, me: { userId: 'someone', name: 'Old' }, v }),
      /must carry the identity key/,
      'no key, no proof',
    );
    const who = await createIdentity();
    const me = { userId: who.id, name: 'Half', key: who.publicKey };
    assertUnproven(await ask(socket, { room, me, v }), /does not check out/, 'key, no proof');
    await quiet();
    assert.deepEqual(watcher.joins, [], 'nobody was announced');
  });

  it('announces a proven member with its key, whose hash is its user id', async () => {
    const room = 'keys';
    const bob = await relay.join(room, 'Bob');
    const alice = await relay.join(room, 'Alice');
    await until(() => bob.joins.length === 1, 'Alice’s hello at Bob');
    const hello = bob.joins[0] as PeerHello;
    assert.equal(hello.id, alice.id);
    assert.equal(typeof hello.key, 'string');
    assert.equal(hello.key, alice.me.key);
    assert.equal(hello.userId, await identityIdOf(hello.key!));
    // And the other way: the roster a newcomer gets carries the keys too.
    const listed = alice.reply.peers.find((p) => p.id === bob.id);
    assert.equal(listed?.key, bob.me.key);
    assert.equal(listed?.userId, await identityIdOf(bob.me.key!));
  });
});
