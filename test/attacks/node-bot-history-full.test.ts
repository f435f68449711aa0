/**
 * A bot whose history is full (`maxHistory`) and a member who sends a message dated before
 * everything it holds: the bot reports each message once, however often it comes again.
 * Fails while the attack works.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startTestServer } from '../support/server.js';
import type { ParleyServer } from '../../signaling/server.js';
import { signerOf } from '../../src/protocol/identity.js';
import { uuidv7 } from '../../src/protocol/message-id.js';
import { messageIdOf, signEnvelope } from '../../src/protocol/signed-envelope.js';
import type { BotRoom, ParleyClient } from '../../src/node/index.js';
import { bot } from '../node/helpers.js';

const raw = (r: BotRoom) =>
  (r as unknown as { transport: { emit: (ev: string, ...a: unknown[]) => void } }).transport;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('attack: replays at a bot whose history is full', () => {
  let server: ParleyServer;
  const clients: ParleyClient[] = [];
  before(async () => {
    server = await startTestServer();
  });
  after(async () => {
    clients.forEach((c) => c.close());
    await server.close();
  });

  it('a message dated before everything held is reported once, not at each replay', async () => {
    const alice = await bot(server.url, 'alice');
    const mallory = await bot(server.url, 'mallory');
    clients.push(alice, mallory);
    const a = await alice.join('full-history', { maxHistory: 5 });
    const m = await mallory.join('full-history');
    const t0 = Date.now();
    while (a.members.size < 1 && Date.now() - t0 < 5000) await sleep(20);
    const signer = signerOf(mallory.identity);
    const make = (text: string, ts: number) =>
      signEnvelope(signer, {
        id: messageIdOf(signer.id, uuidv7()),
        room: 'full-history',
        from: { id: signer.id, name: 'mallory', key: signer.publicKey },
        ts,
        seq: 0,
        body: { text },
      });
    for (let i = 0; i < 5; i++) raw(m).emit('chat:message', await make(`fill ${i}`, Date.now()));
    await sleep(500);
    const old = await make('an old message', Date.now() - 3_600_000);
    let reports = 0;
    a.on('message', (x) => {
      if (x.id === old.id) reports++;
    });
    for (let i = 0; i < 4; i++) {
      raw(m).emit('chat:message', old);
      await sleep(300);
    }
    assert.equal(reports, 1, `the same message was reported ${reports} times`);
  });
});
