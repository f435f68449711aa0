/**
 * A keeper in a room sealed with a passphrase holds the sealed form only: the words of a
 * message never appear in the bytes of its store (database, write-ahead log, anything in its
 * folder), though the message is there (its id is) and a member who has the passphrase reads
 * it from the keeper's catch-up answer later.
 */
import assert from 'node:assert/strict';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { ParleyServer } from '../../signaling/server.js';
import type { BotMessage, ParleyClient } from '../../src/node/index.js';
import { bot, tempDir, waitFor } from '../node/helpers.js';
import { acknowledgedBy, allOf, startKeeper, startKeptServer } from './helpers.js';

const PASSPHRASE = 'correct horse battery staple';
const QUESTION = 'Do you deliver to Rue des Lilas on Sundays?';

/** Every byte of every file under `dir`, as one buffer. */
async function bytesUnder(dir: string): Promise<Buffer> {
  const parts: Buffer[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile()) parts.push(await readFile(join(entry.parentPath, entry.name)));
  }
  return Buffer.concat(parts);
}

describe('keeper in a sealed room', () => {
  let server: ParleyServer;
  let dir: string;
  let remove: () => Promise<void>;
  const clients: ParleyClient[] = [];

  before(async () => {
    ({ dir, remove } = await tempDir());
    server = await startKeptServer();
  });
  after(async () => {
    clients.forEach((c) => c.close());
    await server.close();
    await remove();
  });

  it('stores ciphertext only, and serves it to a member with the passphrase', async () => {
    const keeper = startKeeper(server.url, dir);
    try {
      const keeperId = await keeper.id();
      const visitor = await bot(server.url, 'visitor');
      clients.push(visitor);
      const room = await visitor.join('sealed-desk', { passphrase: PASSPHRASE });
      await keeper.keeping('sealed-desk');
      const kept = acknowledgedBy(room, () => keeperId);
      const id = await room.send(QUESTION);
      await allOf(kept, [id], (fn) => room.on('delivered', fn), "the keeper's receipt");
      visitor.close();

      // Written (and acknowledged) before this read: the id is there, the words are not.
      const bytes = await bytesUnder(dir);
      assert.ok(bytes.includes(Buffer.from(id)), 'the message is in the store');
      for (const word of [QUESTION, 'Rue des Lilas', 'Sundays']) {
        assert.ok(!bytes.includes(Buffer.from(word)), `"${word}" is in the keeper's store`);
      }

      const agent = await bot(server.url, 'agent');
      clients.push(agent);
      const r = await agent.join('sealed-desk', { passphrase: PASSPHRASE });
      const m = await waitFor(
        (fn: (m: BotMessage) => void) => r.on('message', fn),
        (m) => m.id === id,
        30_000,
        'the question from the keeper',
      );
      assert.equal(m.text, QUESTION);
      assert.equal(m.sealed, true);
    } finally {
      await keeper.stop();
    }
  });
});
