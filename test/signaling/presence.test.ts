/**
 * Presence gathering (signaling/presence.ts) on its own, with a stand-in for the Socket.IO
 * server that records every `relay:presence` frame: a quiet room's first changes go out at
 * once — a second arrival right after the first is not made to wait out the window (its join
 * reply waits for its announcement) — and a storm is still folded into one frame per window.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { PRESENCE_BURST, PRESENCE_WINDOW_MS, PresenceAnnouncer } from '../../signaling/presence.js';
import type { RelayServer } from '../../signaling/types.js';
import type { PeerHello } from '../../src/protocol/peer.js';
import type { PresenceChange } from '../../src/protocol/relay-frames.js';
import { until, useRelay } from './helpers.js';

/** One emitted frame: to which room key, skipping whom, with which changes. */
interface Frame {
  to: string;
  skip: string[];
  changes: PresenceChange[];
}

/** The part of the Socket.IO server the announcer uses, recording what it is told to send. */
function recordingIo(): { io: RelayServer; frames: Frame[] } {
  const frames: Frame[] = [];
  const io = {
    to: (to: string) => ({
      except: (skip: string[]) => ({
        emit: (event: string, _room: string, changes: PresenceChange[]) => {
          assert.equal(event, 'relay:presence');
          frames.push({ to, skip: [...skip], changes: [...changes] });
          return true;
        },
      }),
    }),
  };
  return { io: io as unknown as RelayServer, frames };
}

/**
 * Awaits `promise` with the process kept alive: the announcer's window timers never hold a
 * stopping process (they are unref'd), and here nothing else would.
 */
async function held<T>(promise: Promise<T>): Promise<T> {
  const keep = setInterval(() => {}, 1000);
  try {
    return await promise;
  } finally {
    clearInterval(keep);
  }
}

/** Whether `promise` is settled already: it wins over a task queued now (after microtasks). */
function settledNow(promise: Promise<unknown>): Promise<boolean> {
  const later = new Promise<boolean>((resolve) => setImmediate(() => resolve(false)));
  return Promise.race([promise.then(() => true), later]);
}

function hello(n: number): PeerHello {
  return {
    id: `peer-${n}`,
    userId: `user-${n}`,
    name: `Peer ${n}`,
    since: 1_700_000_000_000 + n,
    p2p: true,
    v: '1.3',
  } as PeerHello;
}

describe('presence announcer', () => {
  it('sends a quiet room’s first changes at once, each answered without waiting', async () => {
    const { io, frames } = recordingIo();
    const presence = new PresenceAnnouncer(io);
    try {
      // A guest right after its host, a reload's leave then join: neither waits the window.
      assert.equal(PRESENCE_BURST, 2);
      for (let n = 0; n < 2; n++) {
        const waits = presence.joined('quiet', hello(n), `socket-${n}`);
        assert.equal(frames.length, n + 1, `join ${n + 1} has its frame now`);
        // The first stands as announced; a later one is re-read, so it gets a settled promise.
        if (n === 0) assert.equal(waits, undefined, 'the first join is announced at once');
        else assert.equal(await settledNow(waits!), true, `join ${n + 1} needs no waiting`);
        assert.deepEqual(frames[n]!.changes, [{ join: hello(n) }]);
        assert.deepEqual(frames[n]!.skip, [`socket-${n}`], 'never sent to its joiner');
      }
    } finally {
      presence.flush();
    }
  });

  it('gathers what comes after the burst into one frame at the window’s end', async () => {
    const { io, frames } = recordingIo();
    const presence = new PresenceAnnouncer(io);
    try {
      for (let n = 0; n < PRESENCE_BURST; n++) presence.joined('busy', hello(n), `socket-${n}`);
      const sentAtOnce = frames.length;
      const later = [PRESENCE_BURST, PRESENCE_BURST + 1, PRESENCE_BURST + 2];
      const waits = later.map((n) => presence.joined('busy', hello(n), `socket-${n}`));
      presence.left('busy', 'peer-0', hello(0).since);
      assert.ok(
        waits.every((w) => w instanceof Promise),
        'joins past the burst wait for their announcement',
      );
      assert.equal(frames.length, sentAtOnce, 'nothing more before the window ends');
      await held(Promise.all(waits));
      assert.equal(frames.length, sentAtOnce + 1, 'one frame for all that waited');
      const gathered = frames.at(-1)!;
      assert.deepEqual(gathered.changes, [
        ...later.map((n) => ({ join: hello(n) })),
        { leave: 'peer-0', since: hello(0).since },
      ]);
      assert.deepEqual(
        gathered.skip,
        later.map((n) => `socket-${n}`),
      );
      // The room stayed busy: the next window sends nothing at once either.
      const next = presence.joined('busy', hello(9), 'socket-9');
      assert.ok(next instanceof Promise);
      assert.equal(
        await settledNow(next),
        false,
        'a busy room’s next window gathers from its start',
      );
      assert.equal(frames.length, sentAtOnce + 1);
      await held(next!);
      assert.equal(frames.length, sentAtOnce + 2);
    } finally {
      presence.flush();
    }
  });

  it('treats a room as quiet again once a window passed with nothing in it', async () => {
    const { io, frames } = recordingIo();
    const presence = new PresenceAnnouncer(io);
    try {
      presence.joined('calm', hello(0), 'socket-0');
      // The first window ends empty, the room is forgotten: a join later is a first change.
      await new Promise((r) => setTimeout(r, PRESENCE_WINDOW_MS * 2));
      assert.equal(presence.joined('calm', hello(1), 'socket-1'), undefined);
      assert.equal(frames.length, 2);
    } finally {
      presence.flush();
    }
  });
});

describe('joins right after one another, on a relay', () => {
  const relay = useRelay({ rate: 1000, burst: 1000 });

  /** Whether `client` knows `other`: listed in its join reply or announced to it since. */
  const knows = (
    client: Awaited<ReturnType<typeof relay.join>>,
    other: Awaited<ReturnType<typeof relay.join>>,
  ) =>
    client.reply.peers.some((p) => p.id === other.id) ||
    client.joins.some((j) => (j as { id: string }).id === other.id);

  it('leaves nobody unknown when guests join their host and one another at once', async () => {
    // Several rooms: the joins interleave differently in each.
    for (let i = 0; i < 8; i++) {
      const room = `together-${i}`;
      const host = await relay.join(room, 'Host');
      const [x, y] = await Promise.all([relay.join(room, 'Guest X'), relay.join(room, 'Guest Y')]);
      assert.ok(knows(x, host) && knows(y, host), 'each guest’s reply lists the host');
      await until(() => knows(host, x) && knows(host, y), 'the host hears both guests');
      await until(() => knows(x, y) && knows(y, x), 'the guests know one another');
    }
  });
});
