/**
 * Attacks on the Node client (bots) and the shared catch-up, as a hostile member would make
 * them, against the real server on 127.0.0.1. Each test fails when the attack works.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { signerOf } from '../../src/protocol/identity.js';
import { uuidv7 } from '../../src/protocol/message-id.js';
import { messageIdOf, signEnvelope } from '../../src/protocol/signed-envelope.js';
import { utf8Length } from '../../src/protocol/limits.js';
import type { Envelope } from '../../src/protocol/chat-events.js';
import type { BotRoom, ParleyClient } from '../../src/node/index.js';
import { useBotServer, waitFor } from '../node/helpers.js';

/** The room's transport, to send raw frames as a hostile member's client would. */
const raw = (r: BotRoom) =>
  (r as unknown as { transport: unknown }).transport as {
    emit: (ev: string, ...a: unknown[]) => void;
    payloadCap: number;
  };

/** A signed envelope of `c` in `room` whose `chat:message` frame is exactly `size` bytes. */
async function sized(c: ParleyClient, room: string, size: number): Promise<Envelope> {
  const signer = signerOf(c.identity);
  const make = (pad: number) => ({
    id: messageIdOf(signer.id, uuidv7()),
    room,
    from: { id: signer.id, name: c.name, key: signer.publicKey },
    ts: Date.now(),
    seq: 0,
    body: { kind: 'x-pad', pad: 'a'.repeat(pad) },
  });
  const probe = await signEnvelope(signer, make(0));
  const base = utf8Length(JSON.stringify([probe]));
  return signEnvelope(signer, make(size - base));
}

describe('attack: catch-up and the Node client', () => {
  const { make } = useBotServer();

  it('one live message that fits the cap alone cannot cut every later catch-up answer short', async () => {
    const alice = await make('alice');
    const mallory = await make('mallory');
    const a = await alice.join('poison-room');
    const m = await mallory.join('poison-room');
    await waitFor(
      (fn) => a.on('state', fn),
      () => a.members.size === 1,
      5000,
    ).catch(() => {});
    // Mallory acknowledges alice's words, so alice's outbox does not send them again later.
    const acked = new Set<string>();
    a.on('delivered', (d) => acked.add(d.id));
    const settled = async (id: string) => {
      const t0 = Date.now();
      while (!acked.has(id) && Date.now() - t0 < 10_000)
        await new Promise((r) => setTimeout(r, 50));
      assert.ok(acked.has(id), 'acknowledged');
    };
    const before = await a.send('said before the poison');
    await settled(before);
    // A live frame 8 bytes under the cap: the relay carries it, every member verifies and
    // stores it, but the catch-up page that would carry it alone is over the cap.
    const poison = await sized(mallory, 'poison-room', raw(m).payloadCap - 8);
    // Refused on arrival (counted, never stored): it could never be passed on in catch-up.
    const refusedBefore = a.refused.malformed;
    raw(m).emit('chat:message', poison);
    const t0 = Date.now();
    while (a.refused.malformed === refusedBefore && Date.now() - t0 < 10_000)
      await new Promise((r) => setTimeout(r, 50));
    assert.equal(a.refused.malformed, refusedBefore + 1, 'the poison is refused at alice');
    const later = await a.send('said after the poison');
    await settled(later);
    mallory.close();
    const carol = await make('carol');
    const seen = new Set<string>();
    const c = await carol.join('poison-room');
    c.on('message', (x) => seen.add(x.id));
    const start = Date.now();
    while (Date.now() - start < 6000 && !seen.has(later))
      await new Promise((r) => setTimeout(r, 100));
    assert.ok(seen.has(before), 'carol caught up the message before the poison');
    assert.ok(
      seen.has(later),
      'carol never got the message said after the poison: catch-up stopped at it',
    );
  });
});
