/**
 * The receiving pipeline (incoming.ts with paint-gate.ts): a catch-up page is shown as soon as
 * it is verified and opened, the pages checked while it is being painted follow together once
 * it is, a forgery in a later page is never shown nor stored, a live message is shown before its
 * write is even queued, and a message shown whose write then fails is never acknowledged. Real intake (signatures), real sealing, real IndexedDB; the
 * frame is a promise the test resolves.
 */
import { expect } from '@open-wc/testing';
import type { Delivery } from '../../../src/controllers/room/delivery.js';
import { Incoming } from '../../../src/controllers/room/incoming.js';
import { MessageList } from '../../../src/controllers/room/message-list.js';
import type { ActiveRoom } from '../../../src/controllers/room/room-context.js';
import { RoomSealing } from '../../../src/controllers/room/room-sealing.js';
import type { TransportController } from '../../../src/controllers/connection/transport-controller.js';
import type { Envelope } from '../../../src/protocol/chat-events.js';
import { pageMessages } from '../../../src/store/history.js';
import { author, signedBy } from '../../support/envelopes.js';
import { freshDb } from '../../support/db.js';
import { until } from '../room-harness.js';

const ROOM = 'pipeline';

/**
 * An Incoming over `db` whose frames the test paints, recording acks, storage failures, and
 * how many writes were queued each time the list asked to be rendered; live messages are
 * taken as from `hello` (the identity the connection proved).
 */
async function setup(hello?: string) {
  const { db, drop } = await freshDb();
  const me = await author('Me');
  const active = { owner: 'owner', room: ROOM, db, self: me, name: 'Me' } as ActiveRoom;
  const list = new MessageList(me.id);
  const acks: string[] = [];
  const failures: unknown[] = [];
  const frames: Array<() => void> = [];
  let queue: Promise<unknown> = Promise.resolve();
  let writes = 0;
  /** Writes queued when each render was asked for. */
  const renders: number[] = [];
  const sealing = new RoomSealing({
    current: () => true,
    show: () => {},
    fail: () => false,
  });
  await sealing.load(active);
  const incoming = new Incoming({
    transport: {
      helloOf: () => (hello === undefined ? undefined : { userId: hello }),
      payloadCap: 1024 * 1024,
      kind: 'memory',
    } as unknown as TransportController,
    roster: () => [],
    wasHere: () => true,
    list,
    changed: () => void renders.push(writes),
    enqueue: (job) => {
      writes++;
      queue = queue.then(job).catch((err: unknown) => void failures.push(err));
    },
    sealing,
    delivery: {
      acknowledge: (_a: ActiveRoom, _from: string, id: string) => void acks.push(id),
    } as unknown as Delivery,
    distrust: () => {},
    current: () => true,
    painted: () => new Promise<void>((done) => frames.push(done)),
  });
  const paint = () => frames.splice(0).forEach((done) => done());
  const stored = async () =>
    (await pageMessages(db, 'owner', ROOM, undefined, 1000)).messages.map((m) => m.id);
  return {
    ...{ db, drop, active, list, acks, failures, incoming, paint, stored, renders },
    queue: () => queue,
    writes: () => writes,
  };
}

/** `n` signed messages by `who`, one second apart from `from`, oldest first. */
async function signedRun(who: Awaited<ReturnType<typeof author>>, from: number, n: number) {
  return Promise.all(
    Array.from({ length: n }, (_, i) =>
      signedBy(who, { room: ROOM, text: `#${from + i}`, ts: 1_000_000 + (from + i) * 1000 }),
    ),
  );
}

const ids = (envs: readonly Envelope[]) => envs.map((e) => e.id);

describe('receiving pipeline', () => {
  it('shows the newest page before the older ones, which follow together once it is painted', async () => {
    const t = await setup();
    try {
      const ann = await author('Ann');
      const older = await signedRun(ann, 0, 30);
      const middle = await signedRun(ann, 30, 30);
      const newest = await signedRun(ann, 60, 20);
      const first = t.incoming.receive(t.active, newest, 'peer', false);
      await first;
      expect(t.list.items.map((m) => m.id)).to.deep.equal(ids(newest));
      // Checked while the newest page is being painted: held until its frame is drawn.
      const rest = [
        t.incoming.receive(t.active, middle, 'peer', false),
        t.incoming.receive(t.active, older, 'peer', false),
      ];
      await new Promise((r) => setTimeout(r, 50));
      expect(t.list.items).to.have.lengthOf(20);
      // Frames go on being drawn: the held pages are checked, then shown.
      const frames = setInterval(t.paint, 5);
      await Promise.all(rest).finally(() => clearInterval(frames));
      expect(t.list.items.map((m) => m.id)).to.deep.equal([
        ...ids(older),
        ...ids(middle),
        ...ids(newest),
      ]);
      t.paint();
      await until(() => t.acks.length === 80, 'every message acknowledged once stored');
      expect((await t.stored()).length).to.equal(80);
    } finally {
      await t.drop();
    }
  });

  it('never shows nor stores a forgery in a later page, and shows the rest of that page', async () => {
    const t = await setup();
    try {
      const ann = await author('Ann');
      const newest = await signedRun(ann, 10, 10);
      const older = await signedRun(ann, 0, 10);
      // The fifth of the later page says something its author never signed.
      const forged = { ...older[4]!, body: { text: 'transfer the money' } };
      const later = older.map((e, i) => (i === 4 ? forged : e));
      await t.incoming.receive(t.active, newest, 'peer', false);
      const pending = t.incoming.receive(t.active, later, 'peer', false);
      const frames = setInterval(t.paint, 5);
      await pending.finally(() => clearInterval(frames));
      expect(t.incoming.counts.forged).to.equal(1);
      expect(t.list.has(forged.id)).to.equal(false);
      expect(t.list.items).to.have.lengthOf(19);
      await until(() => t.acks.length === 19, 'the genuine ones acknowledged');
      const stored = await t.stored();
      expect(stored).to.have.lengthOf(19);
      expect(stored).not.to.include(forged.id);
      expect(t.acks).not.to.include(forged.id);
    } finally {
      await t.drop();
    }
  });

  it('shows a live message before its write is queued, and acknowledges it once stored', async () => {
    const ann = await author('Ann');
    const t = await setup(ann.id);
    try {
      const [env] = await signedRun(ann, 0, 1);
      await t.incoming.receive(t.active, [env!], 'peer', true);
      // Listed, its render asked for, nothing written yet: the write waits for the next task,
      // after the renders (microtasks) have put its row in the DOM.
      expect(t.list.items.map((m) => m.id)).to.deep.equal([env!.id]);
      expect(t.renders).to.deep.equal([0]);
      await Promise.resolve();
      expect(t.writes()).to.equal(0);
      expect(t.acks).to.deep.equal([]);
      await until(() => t.acks.length === 1, 'acknowledged once stored');
      expect(t.writes()).to.equal(1);
      expect(await t.stored()).to.deep.equal([env!.id]);
    } finally {
      await t.drop();
    }
  });

  it('does not acknowledge a live message it showed when storing it then fails', async () => {
    const ann = await author('Ann');
    const t = await setup(ann.id);
    try {
      const envs = await signedRun(ann, 0, 2);
      t.db.close();
      for (const env of envs) await t.incoming.receive(t.active, [env], 'peer', true);
      await until(() => t.failures.length === 2, 'both writes failed');
      expect(t.list.items).to.have.lengthOf(2);
      await new Promise((r) => setTimeout(r, 50));
      expect(t.acks).to.deep.equal([]);
    } finally {
      await t.drop();
    }
  });

  it('does not acknowledge a message it showed when storing it then fails', async () => {
    const t = await setup();
    try {
      const ann = await author('Ann');
      const first = await signedRun(ann, 5, 5);
      const second = await signedRun(ann, 0, 5);
      // Storage goes away under the room (the database is closed): every write fails.
      t.db.close();
      await t.incoming.receive(t.active, first, 'peer', false);
      const pending = t.incoming.receive(t.active, second, 'peer', false);
      const frames = setInterval(t.paint, 5);
      await pending.finally(() => clearInterval(frames));
      await until(() => t.failures.length === 2, 'both writes failed');
      // Shown (verified and opened) but never said to be delivered.
      expect(t.list.items).to.have.lengthOf(10);
      await new Promise((r) => setTimeout(r, 50));
      expect(t.acks).to.deep.equal([]);
    } finally {
      await t.drop();
    }
  });
});
