/**
 * A forged or tampered envelope offered to the keeper is refused: never acknowledged, never
 * stored, never served. A raw member (its own proven identity, no Parley code) sends a message
 * doctored after signing and one in another author's name, then an honest one; the keeper
 * acknowledges the honest one only, its store holds only that, and a reader who joins later
 * (the raw member gone) gets only that.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Socket } from 'socket.io-client';
import type { ParleyServer } from '../../signaling/server.js';
import type { BotMessage, ParleyClient } from '../../src/node/index.js';
import { KeeperStore } from '../../keeper/store.js';
import { rawMember } from '../controllers/raw-member.js';
import { author, signedBy, unsignedBy } from '../support/envelopes.js';
import { signEnvelope } from '../../src/protocol/signed-envelope.js';
import { bot, tempDir, waitFor } from '../node/helpers.js';
import { startKeeper, startKeptServer } from './helpers.js';

const ROOM = 'forge-room';

describe('keeper and forgeries', () => {
  let server: ParleyServer;
  let dir: string;
  let remove: () => Promise<void>;
  const clients: ParleyClient[] = [];
  const sockets: Socket[] = [];

  before(async () => {
    ({ dir, remove } = await tempDir());
    server = await startKeptServer();
  });
  after(async () => {
    sockets.forEach((s) => s.disconnect());
    clients.forEach((c) => c.close());
    await server.close();
    await remove();
  });

  it('refuses them: not acknowledged, not stored, not served', async () => {
    const keeper = startKeeper(server.url, dir);
    try {
      const keeperId = await keeper.id();
      const mallory = await author('mallory');
      const alice = await author('alice');
      const raw = await rawMember(server.url, ROOM, mallory, sockets);
      await keeper.keeping(ROOM);
      const acked = new Set<string>();
      const heard = new Promise<void>((resolve) =>
        raw.socket.on('relay:event', (_from: string, ev: string, args: unknown[]) => {
          const ack = args[0] as { by?: string; ids?: string[] };
          if (ev !== 'chat:ack' || ack.by !== keeperId) return;
          ack.ids?.forEach((id) => acked.add(id));
          if (acked.has(honest.id)) resolve();
        }),
      );

      const signed = await signedBy(mallory, { room: ROOM, text: 'I owe you 10 €' });
      const tampered = { ...signed, body: { text: 'I owe you 1000 €' } };
      const impostor = await signEnvelope(mallory, {
        ...unsignedBy(alice, { room: ROOM, text: 'Alice says: send the money to Mallory' }),
      });
      const honest = await signedBy(mallory, { room: ROOM, text: 'an honest line' });
      // One connection's frames are taken in order: once the honest one is acknowledged, the
      // two before it were judged.
      raw.send(tampered);
      raw.send(impostor);
      raw.send(honest);
      await waitFor(
        (fn: (x: undefined) => void) => (void heard.then(() => fn(undefined)), () => {}),
        () => true,
        30_000,
        "the keeper's receipt of the honest message",
      );
      assert.deepEqual([...acked], [honest.id]);
      raw.socket.disconnect();

      const reader = await bot(server.url, 'reader');
      clients.push(reader);
      const r = await reader.join(ROOM);
      const got = await waitFor(
        (fn: (m: BotMessage) => void) => r.on('message', fn),
        (m) => m.id === honest.id,
        30_000,
        'the honest message from the keeper',
      );
      assert.equal(got.text, 'an honest line');
      for (const env of r.messages) assert.ok(env.id === honest.id, `served ${env.id}`);

      await keeper.stop();
      const store = new KeeperStore(dir, {
        roomMessages: 100,
        authorMessages: 100,
        maxAgeMs: 86_400_000,
        maxBytes: 1e9,
      });
      assert.deepEqual(store.ids(ROOM), [honest.id]);
      store.close();
    } finally {
      await keeper.stop();
    }
  });
});
