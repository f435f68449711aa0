/**
 * A server announcing a small payload cap (allowed: 1 KiB–16 MiB) and the Node client's
 * `send`: a message that can never travel must be refused, as the browser refuses it, not
 * accepted, stored and left in the outbox for good. Fails while the attack works.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startTestServer } from '../support/server.js';
import type { ParleyServer } from '../../signaling/server.js';
import type { BotMessage, BotRoom, ParleyClient } from '../../src/node/index.js';
import { bot, waitFor } from '../node/helpers.js';

const onMessage = (r: BotRoom) => (fn: (m: BotMessage) => void) => r.on('message', fn);

describe('attack: a small announced cap and the Node client', () => {
  let server: ParleyServer;
  const clients: ParleyClient[] = [];
  before(async () => {
    server = await startTestServer({ maxPayload: 4096 });
  });
  after(async () => {
    clients.forEach((c) => c.close());
    await server.close();
  });

  it('send refuses a text whose message is over the announced cap (no silent loss)', async () => {
    const alice = await bot(server.url, 'alice');
    const bob = await bot(server.url, 'bob');
    clients.push(alice, bob);
    const a = await alice.join('small-cap');
    const b = await bob.join('small-cap');
    assert.equal(a.members.size >= 0, true);
    const long = 'x'.repeat(6000); // a legal text (at most 8,000), over a 4 KiB cap as a message
    let refused = false;
    let id: string | undefined;
    try {
      id = await a.send(long);
    } catch {
      refused = true;
    }
    // Whatever happened, a short message still goes through.
    const short = waitFor(onMessage(b), (m) => m.text === 'short one', 10_000, 'short message');
    await a.send('short one');
    await short;
    assert.ok(
      refused,
      `send resolved with ${id} though the message can never travel: held in history and ` +
        `the outbox (${a.unacknowledged} unacknowledged) and never delivered`,
    );
  });
});
