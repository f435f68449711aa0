/**
 * Attack (issue 26 item 3), catch-up side: members ask for 2,000 messages each, as often as
 * they may. Before the defence every request read up to 2,000 messages from storage and only
 * then checked the serving budget, so requests past the budget still cost whole history reads
 * (the browser's IndexedDB, the bot's memory). Now the budget is taken first: once it is spent,
 * a request reads nothing. The same `CatchUp` serves the browser and the Node client.
 */
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { CatchUp, type CatchUpPort } from '../../src/controllers/room/catch-up.js';
import { MAX_SYNC_LIMIT, type Envelope } from '../../src/protocol/chat-events.js';

/** `n` stored messages (the port is ours: only what catch-up reads of them matters). */
const stored: Envelope[] = Array.from({ length: 3000 }, (_, i) => ({
  id: `m${i}`,
  room: 'r',
  from: { id: 'A'.repeat(22), name: 'Ann', key: 'k' },
  ts: 1000 + i,
  seq: i,
  body: { text: `#${i}` },
  sig: 's',
}));

function setup() {
  const counts = { reads: 0, read: 0, served: 0, queued: 0 };
  let lane: Promise<unknown> = Promise.resolve();
  const port: CatchUpPort = {
    emitTo: (_peer, ev, payload) => {
      if (ev === 'chat:sync-res')
        counts.served += (payload as { messages: unknown[] }).messages.length;
      return true;
    },
    members: () => [],
    newest: () => undefined,
    history: async (_room, since, limit) => {
      const found = stored.filter((e) => e.ts >= since).slice(-limit);
      counts.reads++;
      counts.read += found.length;
      return found;
    },
    // One job at a time, as the browser's members' lane runs them.
    enqueue: (job) => {
      counts.queued++;
      lane = lane.then(job);
    },
    cap: () => 1024 * 1024,
  };
  return { catchUp: new CatchUp(port, () => 500), counts };
}

const settle = () => new Promise((r) => setTimeout(r, 50));

it('requests past the serving budget read nothing from storage', async () => {
  const { catchUp, counts } = setup();
  const ask = { room: 'r', since: 0, limit: MAX_SYNC_LIMIT };
  // Two full answers spend the burst (two whole histories).
  assert.ok(catchUp.answer('r', ask, 'honest-1'));
  assert.ok(catchUp.answer('r', ask, 'honest-2'));
  await settle();
  assert.equal(counts.served, 2 * MAX_SYNC_LIMIT);
  const before = { ...counts };
  // Eight clogging members, then eight more connections of theirs, each asking for 2,000.
  for (let i = 0; i < 16; i++) assert.ok(catchUp.answer('r', ask, `clog-${i}`));
  await settle();
  // A few tokens come back while this runs (50 a second): never whole histories.
  const read = counts.read - before.read;
  assert.ok(read <= 50, `${read} messages read for requests past the budget`);
  assert.ok(counts.served - before.served <= 50);
});

it('an answer that served fewer than it asked gives the rest of the budget back', async () => {
  const { catchUp, counts } = setup();
  const small = { room: 'r', since: 3990, limit: MAX_SYNC_LIMIT }; // 10 messages match
  for (let i = 0; i < 40; i++) catchUp.answer('r', small, `newcomer-${i}`);
  await settle();
  // Forty newcomers in a small room all get their ten: the budget follows what was served.
  assert.equal(counts.served, 400);
  catchUp.answer('r', { room: 'r', since: 0, limit: MAX_SYNC_LIMIT }, 'late');
  await settle();
  assert.equal(counts.served, 400 + MAX_SYNC_LIMIT);
});
