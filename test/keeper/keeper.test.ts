/**
 * The keeper (keeper/), as its own process against a real server: a message sent while its
 * reader is away reaches the reader when she joins later (nobody else is there to serve it);
 * after `kill -9` of the keeper and a restart, nothing it acknowledged is lost.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { ParleyServer } from '../../signaling/server.js';
import type { BotMessage, ParleyClient } from '../../src/node/index.js';
import { bot, tempDir, waitFor } from '../node/helpers.js';
import {
  acknowledgedBy,
  allOf,
  startKeeper,
  startKeptServer,
  type KeeperProcess,
} from './helpers.js';

describe('keeper', () => {
  let server: ParleyServer;
  let dir: string;
  let remove: () => Promise<void>;
  const clients: ParleyClient[] = [];
  const keepers: KeeperProcess[] = [];

  before(async () => {
    ({ dir, remove } = await tempDir());
    server = await startKeptServer();
  });
  after(async () => {
    clients.forEach((c) => c.close());
    for (const k of keepers) await k.stop();
    await server.close();
    await remove();
  });

  async function member(name: string): Promise<ParleyClient> {
    const c = await bot(server.url, name);
    clients.push(c);
    return c;
  }

  /** What `reader` gets of `room` once it joins, until it holds every id in `ids`. */
  async function readLater(room: string, ids: readonly string[]): Promise<Map<string, BotMessage>> {
    const reader = await member('reader');
    const got = new Map<string, BotMessage>();
    const r = await reader.join(room);
    const on = (fn: () => void) =>
      r.on('message', (m) => {
        got.set(m.id, m);
        fn();
      });
    await waitFor(
      (fn: (x: undefined) => void) => on(() => fn(undefined)),
      () => ids.every((id) => got.has(id)),
      30_000,
      `the reader's catch-up of ${ids.length} messages`,
    );
    return got;
  }

  it('serves a message to a reader who joins after its sender left', async () => {
    const keeper = startKeeper(server.url, `${dir}/one`);
    keepers.push(keeper);
    const keeperId = await keeper.id();
    const sender = await member('visitor');
    const room = await sender.join('shop-desk');
    await keeper.keeping('shop-desk');
    const kept = acknowledgedBy(room, () => keeperId);
    const id = await room.send('Hi, do you have gluten-free bread?');
    await allOf(kept, [id], (fn) => room.on('delivered', fn), "the keeper's receipt");
    sender.close(); // the visitor is gone; only the keeper holds her question

    const got = await readLater('shop-desk', [id]);
    assert.equal(got.get(id)?.text, 'Hi, do you have gluten-free bread?');
    assert.equal(got.get(id)?.live, false);
    await keeper.stop();
  });

  it('loses nothing it acknowledged when killed with SIGKILL and restarted', async () => {
    const store = `${dir}/two`;
    let keeper = startKeeper(server.url, store);
    keepers.push(keeper);
    const keeperId = await keeper.id();
    const sender = await member('sender');
    const room = await sender.join('kill-room');
    await keeper.keeping('kill-room');
    const kept = acknowledgedBy(room, () => keeperId);
    const sent: string[] = [];
    // Killed while messages are still arriving: some acknowledged, some perhaps not yet.
    const firstTen = new Promise<void>((resolve) => {
      const off = room.on('delivered', () => {
        if (kept.size >= 10) (off(), resolve());
      });
    });
    for (let i = 0; i < 30; i++) sent.push(await room.send(`message ${i}`));
    await firstTen;
    await keeper.kill();
    const acknowledged = [...kept];
    assert.ok(acknowledged.length >= 10);
    sender.close(); // nobody else holds them now

    keeper = startKeeper(server.url, store);
    keepers.push(keeper);
    assert.equal(await keeper.id(), keeperId, 'the same identity (its key file)');
    // It joins the rooms it kept by itself, from its store.
    await keeper.keeping('kill-room');
    const got = await readLater('kill-room', acknowledged);
    for (const id of acknowledged) assert.ok(got.has(id), `acknowledged ${id} was lost`);
    await keeper.stop();
  });
});
