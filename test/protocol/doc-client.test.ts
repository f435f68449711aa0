/**
 * The client written only from docs/PROTOCOL.md (test/interop/doc-client.ts) against the real
 * server in this process: two of them join with their own identities, exchange signed messages
 * and receipts, catch a newcomer up, and do the same sealed in a passphrase room — where a
 * third without the passphrase, and the relay, see only ciphertext. Also: a client of another
 * major version is refused with the document's sentence, and the server's refusals carry the
 * document's codes and words.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { io } from 'socket.io-client';
import type { ParleyServer } from '../../signaling/server.js';
import * as v from 'valibot';
import { PROTOCOL_VERSION } from '../../src/protocol/version.js';
import { EnvelopeSchema, type Envelope } from '../../src/protocol/chat-events.js';
import { open } from '../../src/protocol/room-key.js';
import { sealingHeader, verifyEnvelope } from '../../src/protocol/signed-envelope.js';
import { passphraseKey } from '../../src/controllers/room/room-keys.js';
import { readFileSync } from 'node:fs';
import { provenJoin } from '../support/identity.js';
import { startTestServer } from '../support/server.js';
import { DocClient, RelayRefusal } from '../interop/doc-client.js';

describe('a client written from docs/PROTOCOL.md', { timeout: 60_000 }, () => {
  let server: ParleyServer;
  const clients: DocClient[] = [];
  const start = async (opts: { room: string; name: string; passphrase?: string }) => {
    const client = await DocClient.start({ url: server.url, ...opts });
    clients.push(client);
    return client;
  };
  before(async () => {
    server = await startTestServer();
  });
  after(async () => {
    clients.forEach((c) => c.close());
    await server?.close();
  });

  it('joins, sends a signed message another sees under its name, reads the reply, gets receipts', async () => {
    const ada = await start({ room: 'doc-lobby', name: 'Ada' });
    const bob = await start({ room: 'doc-lobby', name: 'Bob' });
    assert.equal(ada.selfId.length, 24, 'a peer id derived from the handshake secret');
    assert.equal(ada.maxPayload, 64 * 1024, 'the announced cap');
    const bobSeen = await ada.member('Bob');
    assert.equal(bobSeen.userId, bob.userId);
    assert.equal(bobSeen.v, '1.0', 'hellos carry the member version');
    const sent = await ada.say('Hello from a client written from the document');
    // The app's own checks take it: its schema, its signature rules.
    const parsed = v.parse(EnvelopeSchema, sent) as Envelope;
    assert.equal(await verifyEnvelope(parsed), true);
    const got = await bob.message('Hello from a client written from the document');
    assert.equal(got.env.from.name, 'Ada');
    assert.equal(got.env.from.id, ada.userId);
    assert.equal(got.from, ada.selfId);
    await ada.until(() => ada.acked.get(sent.id)?.has(bob.userId), 'receipt from Bob');
    await bob.say('Hi Ada — Bob here');
    assert.equal((await ada.message('Hi Ada — Bob here')).env.from.name, 'Bob');
    // A newcomer is caught up by asking (§10): Carol asks Ada, who answers from what she holds.
    const carol = await start({ room: 'doc-lobby', name: 'Carol' });
    await carol.member('Ada');
    carol.askHistory(ada.selfId);
    await carol.message('Hello from a client written from the document');
    await carol.message('Hi Ada — Bob here');
    assert.deepEqual([...ada.errors, ...bob.errors, ...carol.errors], []);
  });

  it('seals and opens in a passphrase room; without it only ciphertext is seen', async () => {
    const pass = '  correct horse battery staple ';
    const ada = await start({ room: 'doc-vault', name: 'Ada', passphrase: pass });
    const bob = await start({ room: 'doc-vault', name: 'Bob', passphrase: pass.trim() });
    const eve = await start({ room: 'doc-vault', name: 'Eve' });
    await ada.member('Bob');
    await ada.member('Eve');
    const sent = await ada.say('the launch code is 0451');
    // The app's key from the same passphrase opens it, bound to the envelope's header.
    const appKey = await passphraseKey(pass, 'doc-vault');
    const parsed = v.parse(EnvelopeSchema, sent) as Envelope;
    assert.equal(await verifyEnvelope(parsed), true);
    assert.deepEqual(await open(appKey.key, sealingHeader(parsed), sent.body as never), {
      text: 'the launch code is 0451',
    });
    const got = await bob.message('the launch code is 0451');
    assert.equal(got.sealed, true);
    assert.equal(got.env.body.enc, 'aes-256-gcm/1');
    const seen = await eve.until(() => eve.received[0], 'a sealed message');
    assert.equal(seen.text, undefined);
    assert.ok(!JSON.stringify(seen.env).includes('0451'), 'ciphertext only');
    await bob.say('noted, shredding this');
    assert.equal((await ada.message('noted, shredding this')).sealed, true);
  });

  it("answers a join with exactly the document's fields (§5.3)", async () => {
    const doc = readFileSync(new URL('../../docs/PROTOCOL.md', import.meta.url), 'utf8');
    const block = /Success:\n\n```ts\n\{\n([\s\S]*?)\n\}\n```/.exec(doc)?.[1] ?? '';
    const documented = [...block.matchAll(/^ {2}(\w+)(\??):/gm)].map((m) => `${m[1]}${m[2]}`);
    assert.deepEqual(documented, ['ok', 'v', 'selfId', 'since', 'peers', 'limits', 'meshFull?']);
    const socket = io(server.url, {
      transports: ['websocket'],
      forceNew: true,
      reconnection: false,
    });
    try {
      await new Promise<void>((r) => socket.once('connect', () => r()));
      const reply = (await socket.emitWithAck(
        'relay:join',
        await provenJoin(socket, 'doc-fields', 'Fields'),
      )) as Record<string, unknown>;
      const required = documented.filter((f) => !f.endsWith('?'));
      assert.deepEqual(Object.keys(reply).sort(), [...required].sort());
      const limits = reply.limits as { bytes?: object };
      assert.deepEqual(Object.keys(limits).sort(), [
        'burst',
        'bytes',
        'maxFile',
        'maxPayload',
        'rate',
      ]);
      assert.deepEqual(Object.keys(limits.bytes ?? {}).sort(), ['burst', 'rate']);
    } finally {
      socket.disconnect();
    }
  });

  it('adopts the announced payload cap and refuses a message that could not travel', async () => {
    const small = await startTestServer({ maxPayload: 4096 });
    const bot = await DocClient.start({ url: small.url, room: 'doc-small', name: 'Small' });
    try {
      assert.equal(bot.maxPayload, 4096);
      await assert.rejects(bot.say('x'.repeat(4000)), /over the 4096-byte cap/);
      await bot.say('x'.repeat(3000));
    } finally {
      bot.close();
      await small.close();
    }
  });

  it('is refused as another major version with the document sentence', async () => {
    await assert.rejects(
      DocClient.start({ url: server.url, room: 'doc-lobby', name: 'Old' }, '2.0'),
      (err: unknown) =>
        err instanceof RelayRefusal &&
        err.code === 'incompatible' &&
        err.message ===
          'This server speaks Parley protocol 1; this page speaks 2 — the server needs an update.',
    );
  });

  it("hears the document's refusals: unknown frames and events, events before a join, a join without a key", async () => {
    const socket = io(server.url, {
      transports: ['websocket'],
      forceNew: true,
      reconnection: false,
    });
    try {
      const errors: Array<{ code: string; message: string; event?: string }> = [];
      const three = new Promise<void>((resolve) =>
        socket.on('relay:error', (e: (typeof errors)[number]) => {
          if (errors.push(e) === 3) resolve();
        }),
      );
      await new Promise<void>((r) => socket.once('connect', () => r()));
      socket.emit('relay:bogus');
      socket.emit('relay:emit', 'chat:nope', [{ room: 'doc-lobby' }]);
      socket.emit('relay:emit', 'chat:typing', [{ room: 'doc-lobby' }]);
      const unjoined = await socket.emitWithAck('relay:join', {
        room: 'doc-lobby',
        me: { userId: 'x', name: 'Nobody' },
        v: '1.0',
      });
      await three;
      assert.deepEqual(errors.slice(0, 3), [
        { code: 'unknown-event', message: 'no such frame: relay:bogus' },
        { code: 'unknown-event', message: 'no such event: chat:nope', event: 'relay:emit' },
        { code: 'not-joined', message: 'join a room first', event: 'chat:typing' },
      ]);
      assert.deepEqual(unjoined, {
        ok: false,
        v: PROTOCOL_VERSION, // the server's: a 1.1 server answers a 1.0 client
        error: {
          code: 'unproven',
          message: 'join refused: a join must carry the identity key it speaks for',
          event: 'relay:join',
        },
      });
    } finally {
      socket.disconnect();
    }
  });
});
