import { expect } from '@open-wc/testing';
import { CatchUp } from '../../../src/controllers/room/catch-up.js';
import {
  backgroundHeld,
  backgroundTurn,
  backgroundWaiting,
  holdBackground,
} from '../../../src/controllers/room/history-turns.js';
import { MessageList } from '../../../src/controllers/room/message-list.js';
import {
  catchUpPort,
  type ActiveRoom,
  type RoomServices,
} from '../../../src/controllers/room/room-context.js';
import type { TransportController } from '../../../src/controllers/connection/transport-controller.js';
import type { Envelope } from '../../../src/protocol/chat-events.js';
import {
  indexEnvelopes,
  INDEX_SLICE,
  reindexAccount,
} from '../../../src/controllers/search/indexer.js';
import type { ParleyDb } from '../../../src/store/db.js';
import { addMessages } from '../../../src/store/history.js';
import { freshDb } from '../../support/db.js';
import { author, signedBy } from '../../support/envelopes.js';

/** Polls `check` every 5 ms until it holds; fails after `ms`. */
async function until(check: () => boolean | Promise<boolean>, what: string, ms = 10_000) {
  const end = performance.now() + ms;
  while (!(await check())) {
    if (performance.now() > end) throw new Error(`${what}: not after ${ms} ms`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

type Scheduler = { postTask: (task: () => void, opts: { priority: string }) => Promise<void> };

/** Lets the page idle `n` times (a background-priority task each: after all else queued). */
async function turns(n: number) {
  const { scheduler } = globalThis as unknown as { scheduler: Scheduler };
  for (let i = 0; i < n; i++) await scheduler.postTask(() => {}, { priority: 'background' });
}

/** `count` messages of room `r`, stored (not indexed) in `db` for account `me`. */
async function stored(db: ParleyDb, count: number): Promise<Envelope[]> {
  const ann = await author('Ann');
  const envs = await Promise.all(
    Array.from({ length: count }, (_, i) =>
      signedBy(ann, { room: 'r', ts: 1000 + i, text: `line number ${i} of the history` }),
    ),
  );
  await addMessages(db, 'me', envs, () => 'received');
  return envs;
}

/** A catch-up over `db`'s room `r` whose first history read waits for `gate`; what it sends. */
function answering(db: ParleyDb, gate: Promise<void>) {
  const events: string[] = [];
  const transport = {
    emitTo: (_to: string, ev: string) => (events.push(ev), true),
    payloadCap: 64 * 1024,
    kind: 'socketio',
  } as unknown as TransportController;
  let queue: Promise<unknown> = Promise.resolve();
  const services: RoomServices = {
    transport,
    roster: () => [],
    wasHere: () => true,
    list: new MessageList(),
    changed: () => {},
    enqueue: (job) => void (queue = queue.then(job)),
  };
  const active = { owner: 'me', room: 'r', db } as unknown as ActiveRoom;
  const port = catchUpPort(services, () => active);
  const read = port.history.bind(port);
  let reads = 0;
  port.history = async (...args) => {
    if (reads++ === 0) await gate;
    return read(...args);
  };
  return { catchUp: new CatchUp(port, () => 50), events, done: () => queue };
}

describe('catch-up answers go before background work', () => {
  let db: ParleyDb;
  let drop: () => Promise<void>;
  beforeEach(async () => ({ db, drop } = await freshDb()));
  afterEach(() => drop());

  it('holds the search index walk while an answer is under way; the walk resumes after', async function () {
    this.timeout(30_000);
    const count = INDEX_SLICE * 8;
    await stored(db, count);
    const order: string[] = [];
    // The walk a login starts, well under way when a member asks.
    const walk = reindexAccount(db, 'me').then((n) => (order.push('index done'), n));
    await until(async () => (await db.count('searchDocs')) > 0, 'the walk started');
    let open!: () => void;
    const { catchUp, events, done } = answering(db, new Promise<void>((r) => (open = r)));
    expect(catchUp.answer('r', { room: 'r', since: 0, limit: count }, 'asker')).to.equal(true);
    expect(backgroundHeld()).to.equal(true);
    // The walk comes to its next turn and waits there: it indexes nothing while the answer is
    // being read, however many turns the page has meanwhile.
    await until(() => backgroundWaiting() > 0, 'the walk waits for the answer');
    const held = await db.count('searchDocs');
    expect(held).to.be.below(count);
    await turns(5);
    expect(await db.count('searchDocs'), 'no slice while the answer is under way').to.equal(held);
    open();
    await done();
    order.push(`answered: ${events.filter((e) => e === 'chat:sync-res').length} pages`);
    expect(backgroundHeld()).to.equal(false);
    expect(await walk).to.equal(count);
    expect(order[0]).to.match(/^answered: \d+ pages$/);
    expect(order[1]).to.equal('index done');
    expect(await db.count('searchDocs')).to.equal(count);
  });

  it('indexes what was just stored in slices, none while an answer is under way', async function () {
    this.timeout(30_000);
    const envs = await stored(db, INDEX_SLICE * 3 + 7);
    const release = holdBackground();
    const indexing = indexEnvelopes(db, 'me', envs);
    await until(() => backgroundWaiting() > 0, 'the batch waits for the answer');
    await turns(3);
    expect(await db.count('searchDocs')).to.equal(0);
    release();
    release(); // a second end changes nothing
    await indexing;
    expect(await db.count('searchDocs')).to.equal(envs.length);
  });

  it('lets background work go once no hold is left, and ends a forgotten hold by itself', async function () {
    this.timeout(10_000);
    await backgroundTurn(); // nothing held: a turn comes
    const first = holdBackground();
    const second = holdBackground();
    let went = false;
    const turn = backgroundTurn().then(() => (went = true));
    await until(() => backgroundWaiting() > 0, 'the turn waits');
    first();
    await turns(3);
    expect(went, 'one hold is still under way').to.equal(false);
    second();
    await turn;
    // A hold never ended (a bug, a link that hangs) keeps background work waiting 3 s at most.
    holdBackground();
    const started = performance.now();
    await backgroundTurn();
    expect(performance.now() - started).to.be.at.least(2900);
    expect(backgroundHeld(), 'the forgotten hold ended').to.equal(false);
  });
});
