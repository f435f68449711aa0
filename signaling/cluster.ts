/**
 * Scale-out: with `REDIS_URL` set, Socket.IO's Redis adapter joins this process to every other
 * Parley process on the same Redis, so rooms, relay and signaling span them all. Nothing of
 * the chat is stored in Redis: it carries pub/sub traffic, and the seats that keep each room's
 * member cap across nodes (seats.ts). Without Redis the default in-memory adapter serves one
 * process.
 */
import { createAdapter, type RedisAdapter } from '@socket.io/redis-adapter';
import { Redis } from 'ioredis';
import type { Logger } from './log.js';
import { peerIdOf } from './peer-id.js';
import { roomsOf, sweepRooms } from './members.js';
import { redisSeats, SEAT_REFRESH_MS, useSeats } from './seats.js';
import type { RelayServer } from './types.js';

/** How often the node count is read; a drop triggers a roster sweep. */
const WATCH_MS = 2000;
/** A full sweep at least this often, in case a node died and another came up in between. */
const SWEEP_EVERY = 15;
/** How long a cross-node request (fetching members) may wait for the other nodes. */
const REQUEST_TIMEOUT_MS = 3000;
/** How long start-up waits for Redis before giving up with a clear error. */
const START_TIMEOUT_MS = 5000;

/** A live cluster link; `close()` stops the watch and quits both Redis connections. */
export interface Cluster {
  /** Number of Parley processes on this Redis (this one included). */
  nodes(): Promise<number>;
  close(): Promise<void>;
}

function ready(client: Redis, ms: number): Promise<void> {
  return new Promise((resolve, reject) => {
    if (client.status === 'ready') return resolve();
    const timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
    client.once('ready', () => {
      clearTimeout(timer);
      resolve();
    });
  });
}

function redisClient(url: string, log: Logger, role: string): Redis {
  const client = new Redis(url, {
    // Fail commands fast while Redis is away instead of queueing them without bound.
    maxRetriesPerRequest: 2,
    enableOfflineQueue: true,
    retryStrategy: (n) => Math.min(2000, 100 * 2 ** n),
  });
  let down = false;
  client.on('error', (err: Error) => {
    if (!down) log('error', 'redis unreachable', { role, err: err.message });
    down = true;
  });
  client.on('ready', () => {
    if (down) log('info', 'redis back', { role });
    down = false;
  });
  return client;
}

/** Connects `io` to the other nodes through Redis at `url`; resolves once both links are up. */
export async function joinCluster(io: RelayServer, url: string, log: Logger): Promise<Cluster> {
  const pub = redisClient(url, log, 'pub');
  const sub = redisClient(url, log, 'sub');
  try {
    await Promise.all([pub, sub].map((c) => ready(c, START_TIMEOUT_MS)));
  } catch (err) {
    pub.disconnect();
    sub.disconnect();
    const why = err instanceof Error ? err.message : String(err);
    throw new Error(`cannot reach Redis at ${url}: ${why}`, { cause: err });
  }
  io.adapter(createAdapter(pub, sub, { key: 'parley', requestsTimeout: REQUEST_TIMEOUT_MS }));
  const adapter = io.of('/').adapter as unknown as RedisAdapter;
  const nodes = () => adapter.serverCount();

  // A node that dies (kill -9, lost machine) never says goodbye for its members; when the
  // node count drops, every node tells its members who is really left.
  let last = await nodes();
  let tick = 0;
  let busy = false;
  const watch = setInterval(() => {
    if (busy) return;
    busy = true;
    void (async () => {
      const now = await nodes();
      if (now < last || ++tick % SWEEP_EVERY === 0) {
        const rooms = await sweepRooms(io);
        if (now < last) log('info', 'node left the cluster; rosters swept', { nodes: now, rooms });
      }
      last = now;
    })()
      .catch((err: unknown) => log('warn', 'cluster watch failed', { err: String(err) }))
      .finally(() => (busy = false));
  }, WATCH_MS);
  watch.unref();
  // The member cap across nodes: seats in Redis, kept while their connections live.
  const seats = redisSeats(pub);
  useSeats(io, seats);
  const keepSeats = setInterval(() => {
    const held: Array<[string, string]> = [];
    for (const socket of io.sockets.sockets.values()) {
      for (const room of roomsOf(socket.data)) held.push([room, peerIdOf(socket)]);
    }
    seats
      .refresh(held)
      .catch((err: unknown) => log('warn', 'seat refresh failed', { err: String(err) }));
  }, SEAT_REFRESH_MS);
  keepSeats.unref();
  log('info', 'cluster joined', { nodes: last });

  return {
    nodes,
    close: async () => {
      clearInterval(watch);
      clearInterval(keepSeats);
      await Promise.allSettled([pub.quit(), sub.quit()]);
    },
  };
}
