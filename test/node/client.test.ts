/**
 * The Node client against a real server on 127.0.0.1: two bots join, send, receive, receive
 * receipts and catch up; sealed rooms (passphrase, invite key) open only with the key; forged
 * and foreign messages are refused; a kind this version does not know is kept and reported.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { io } from 'socket.io-client';
import { createIdentity, signerOf } from '../../src/protocol/identity.js';
import { uuidv7 } from '../../src/protocol/message-id.js';
import { messageIdOf, signEnvelope } from '../../src/protocol/signed-envelope.js';
import { newRoomKeyText } from '../../src/protocol/room-key.js';
import { provenJoin } from '../support/identity.js';
import type { BotMessage, BotRoom, Delivered } from '../../src/node/index.js';
import { useBotServer, waitFor } from './helpers.js';

const onMessage = (r: BotRoom) => (fn: (m: BotMessage) => void) => r.on('message', fn);

describe('Node client', () => {
  const { make, url } = useBotServer();

  it('sends, receives, acknowledges and catches up between two bots', async () => {
    const alice = await make('alice');
    const bob = await make('bob');
    const a = await alice.join('plain-room');
    // Sent while alone: bob gets it by catch-up when he joins.
    const early = await a.send('before bob came');
    const b = await bob.join('plain-room');
    const caught = await waitFor(onMessage(b), (m) => m.id === early, 20_000, 'catch-up');
    assert.equal(caught.text, 'before bob came');
    assert.equal(caught.author.id, alice.id);
    assert.equal(caught.sealed, false);

    const receipts = new Set<string>();
    const by = new Set<string>();
    a.on('delivered', (d) => {
      by.add(d.by);
      receipts.add(d.id);
    });
    const got = waitFor(onMessage(b), (m) => m.text === 'hello bob');
    const id = await a.send('hello bob');
    const m = await got;
    assert.equal(m.id, id);
    assert.equal(m.author.name, 'alice');
    assert.equal(m.verified, true);
    assert.equal(m.live, true);
    // Both acknowledged: nothing left to resend.
    const both = () => receipts.has(id) && receipts.has(early);
    if (!both()) await waitFor((fn: (d: Delivered) => void) => a.on('delivered', fn), both);
    assert.equal(a.unacknowledged, 0);
    assert.deepEqual([...by], [bob.id]);
    assert.equal(b.messages.filter((e) => e.id === id).length, 1);

    // Carol comes later: she gets both from a catch-up answer, once each, in order.
    const carol = await make('carol');
    const c = await carol.join('plain-room', { historyLimit: 10 });
    const seen: BotMessage[] = [];
    await waitFor(
      (fn: (x: BotMessage) => void) => c.on('message', fn),
      (x) => {
        seen.push(x);
        return x.id === id;
      },
    );
    assert.deepEqual(
      seen.map((x) => [x.text, x.live]),
      [
        ['before bob came', false],
        ['hello bob', false],
      ],
    );
  });

  it('seals in a passphrase room; a member without the passphrase cannot read it', async () => {
    const alice = await make('alice');
    const bob = await make('bob');
    const eve = await make('eve');
    const a = await alice.join('secret-room', { passphrase: 'correct horse battery' });
    const b = await bob.join('secret-room', { passphrase: 'correct horse battery' });
    const e = await eve.join('secret-room');
    const eveHeard: BotMessage[] = [];
    e.on('message', (m) => eveHeard.push(m));
    const got = waitFor(onMessage(b), (m) => m.text === 'sealed words');
    const eveStored = waitFor(
      (fn: (d: { id: string; by: string }) => void) => a.on('delivered', fn),
      (d) => d.by === eve.id,
    );
    const id = await a.send('sealed words');
    const m = await got;
    assert.equal(m.sealed, true);
    // Eve holds the envelope (it passes the checks, she acknowledges it) but cannot read it.
    assert.equal((await eveStored).id, id);
    assert.ok(e.messages.some((x) => x.id === id));
    assert.ok(!eveHeard.some((x) => x.id === id));
    const body = a.messages.find((x) => x.id === id)!.body as Record<string, unknown>;
    assert.equal(body.enc, 'aes-256-gcm/1');
    assert.equal(body.text, undefined);
  });

  it('seals in an invite-key room', async () => {
    const key = newRoomKeyText();
    const alice = await make('alice');
    const bob = await make('bob');
    const a = await alice.join('invite-room', { inviteKey: key });
    const b = await bob.join('invite-room', { inviteKey: key });
    const got = waitFor(onMessage(b), (m) => m.text === 'by invite');
    await a.send('by invite');
    assert.equal((await got).sealed, true);
    await assert.rejects(alice.join('other-room', { inviteKey: 'not-a-key' }), /invite key/);
    await assert.rejects(alice.join('short-room', { passphrase: 'short' }), /at least 8/);
  });

  it('refuses forged and foreign messages, and reports an unknown kind', async () => {
    const alice = await make('alice');
    const a = await alice.join('guarded-room');
    const heard: BotMessage[] = [];
    a.on('message', (m) => heard.push(m));

    // A raw client with its own proven identity, speaking the wire protocol directly.
    const signer = signerOf(await createIdentity());
    const victim = signerOf(await createIdentity());
    const header = (from: typeof signer, room = 'guarded-room') => ({
      id: messageIdOf(from.id, uuidv7()),
      room,
      from: { id: from.id, name: 'mallory', key: from.publicKey },
      ts: Date.now(),
      seq: 0,
    });
    // Signed by mallory, but the text changed afterwards: forged.
    const tampered = await signEnvelope(signer, { ...header(signer), body: { text: 'a' } });
    tampered.body = { text: 'b' };
    // Signed by someone else and sent live by mallory: not theirs to send.
    const relayed = await signEnvelope(victim, { ...header(victim), body: { text: 'c' } });
    // A kind this version does not know: kept and reported by its kind.
    const poll = await signEnvelope(signer, {
      ...header(signer),
      body: { kind: 'poll', question: 'tea?' },
    });
    const good = await signEnvelope(signer, { ...header(signer), body: { text: 'fine' } });
    // In a catch-up answer others' messages may come, but not another room's.
    const foreign = await signEnvelope(signer, { ...header(signer, 'other'), body: { text: 'd' } });
    const theirs = await signEnvelope(victim, { ...header(victim), body: { text: 'theirs' } });

    const socket = io(url(), { transports: ['websocket'], forceNew: true });
    try {
      // Alice asks every member who joins for what she lacks: mallory answers with a page.
      socket.on('relay:event', (from: string, ev: string) => {
        if (ev !== 'chat:sync-req') return;
        socket.emit('relay:to', from, 'chat:sync-res', [
          { room: 'guarded-room', messages: [foreign, theirs] },
        ]);
      });
      await new Promise<void>((r) => socket.once('connect', () => r()));
      const req = await provenJoin(socket, 'guarded-room', 'mallory', signer);
      const joined = (await socket.emitWithAck('relay:join', req)) as {
        peers: Array<{ id: string; userId: string }>;
      };
      const aliceConn = joined.peers.find((p) => p.userId === alice.id)!.id;
      await waitFor(onMessage(a), (m) => m.id === theirs.id);
      assert.equal(a.refused.malformed, 1);
      assert.ok(!a.messages.some((e) => e.id === foreign.id));

      for (const env of [tampered, relayed, poll, good])
        socket.emit('relay:emit', 'chat:message', [env]);
      await waitFor(onMessage(a), (m) => m.id === good.id);
      assert.deepEqual(
        heard.map((m) => [m.kind, m.text]),
        [
          ['text', 'theirs'],
          ['poll', undefined],
          ['text', 'fine'],
        ],
      );
      assert.equal(a.refused.forged, 2);
      assert.ok(
        a.messages.some((e) => e.id === poll.id),
        'the unknown kind is kept',
      );
      assert.ok(!a.messages.some((e) => e.id === tampered.id || e.id === relayed.id));

      // A round-trip probe gets its answer, to the asker only.
      const pong = new Promise<unknown>((resolve) =>
        socket.on('relay:event', (_from: string, ev: string, args: unknown[]) => {
          if (ev === 'chat:pong') resolve(args[0]);
        }),
      );
      socket.emit('relay:to', aliceConn, 'chat:ping', [{ room: 'guarded-room', n: 7 }]);
      assert.deepEqual(await pong, { room: 'guarded-room', n: 7 });
    } finally {
      socket.disconnect();
    }
  });
});
