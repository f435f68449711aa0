/**
 * With `REDIS_URL` (the cluster set-up): what the keepers of every node keep, shared in Redis,
 * so a room's messages kept by the keeper of node A are served by the keeper of node B to a
 * member who reaches B, and outlive A's keeper and its disk.
 *
 * Each keeper still writes to its own file first (store.ts): that write is the durable one,
 * done before the receipt can leave. Each new envelope is then copied to Redis (a hash of
 * envelopes by id and a sorted set of ids by date per room, in one MULTI), a moment later
 * (Redis answers in well under the quarter second before a receipt leaves; should a keeper die
 * in between, its file still has the envelope and it copies a room's whole history again each
 * time it joins that room). Joining a room, a keeper reads what Redis holds of it with what
 * its file holds; every envelope is verified again either way, so Redis is trusted with
 * nothing but keeping bytes.
 *
 * One keeper holds a room at a time (a claim in Redis, renewed while it keeps it, see
 * {@link SharedStore.claim}): the others that hear of it try again now and then, and take it
 * once the holder stops or its claim lapses.
 *
 * Bounds in Redis: the newest `roomMessages` of a room by date, nothing older than `maxAgeMs`
 * (trimmed on each copy). The per-author and byte bounds are kept by each keeper's file;
 * Redis's own `maxmemory` bounds the rest.
 */
import { Redis } from 'ioredis';
import type { Envelope } from '../src/node/index.js';
import type { Logger } from '../signaling/log.js';
import type { StoreBounds } from './store.js';

/** The keys of one room (room names have no ':'). */
function keys(room: string): { order: string; envs: string; holder: string } {
  const base = `parley:keeper:${room}`;
  return { order: `${base}:order`, envs: `${base}:envs`, holder: `${base}:holder` };
}

/** Renews a claim only while it is ours (KEYS[1] = holder key, ARGV = our id, ttl in ms). */
const RENEW = `if redis.call('get', KEYS[1]) == ARGV[1] then
  return redis.call('pexpire', KEYS[1], ARGV[2])
end
return redis.call('set', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[2]) and 1 or 0`;

/** Gives a claim back only while it is ours. */
const RELEASE = `if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) end
return 0`;

/** The store the keepers share; see the module comment. */
export class SharedStore {
  private readonly redis: Redis;

  constructor(
    url: string,
    private readonly bounds: Pick<StoreBounds, 'roomMessages' | 'maxAgeMs'>,
    private readonly log: Logger,
  ) {
    this.redis = new Redis(url, { lazyConnect: false, maxRetriesPerRequest: 3 });
    this.redis.on('error', (err: Error) =>
      this.log('warn', 'shared store problem', { why: err.message }),
    );
  }

  /** Copies `envs` of `room` to Redis, then trims the room to its bounds; errors are logged. */
  copy(room: string, envs: readonly Envelope[]): Promise<void> {
    if (envs.length === 0) return Promise.resolve();
    const { order, envs: byId } = keys(room);
    const m = this.redis.multi();
    for (const env of envs) {
      m.hset(byId, env.id, JSON.stringify(env));
      m.zadd(order, env.ts, env.id);
    }
    return m
      .exec()
      .then(() => this.trim(room))
      .catch((err: Error) =>
        this.log('warn', 'shared store write failed', { room, why: err.message }),
      );
  }

  /** What Redis holds of `room`, oldest first (its newest `limit`); [] when Redis fails. */
  async load(room: string, limit = this.bounds.roomMessages): Promise<unknown[]> {
    const { order, envs: byId } = keys(room);
    try {
      const ids = await this.redis.zrange(order, -limit, -1);
      if (ids.length === 0) return [];
      const texts = await this.redis.hmget(byId, ...ids);
      const out: unknown[] = [];
      for (const text of texts) {
        if (text === null) continue;
        try {
          out.push(JSON.parse(text) as unknown);
        } catch {
          // Not JSON: dropped here; anything else is verified by the room before it is kept.
        }
      }
      return out;
    } catch (err) {
      this.log('warn', 'shared store read failed', { room, why: (err as Error).message });
      return [];
    }
  }

  /**
   * Claims `room` for keeper `id` for `ttlMs` (or renews our claim): true when it is ours. One
   * keeper holds a room at a time, so it is kept once whichever node its members reach; a
   * claim not renewed (its keeper died) lapses after `ttlMs` and another keeper takes the room.
   * False too when Redis cannot be asked (another keeper may hold it; we try again later).
   */
  async claim(room: string, id: string, ttlMs: number): Promise<boolean> {
    try {
      return (await this.redis.eval(RENEW, 1, keys(room).holder, id, ttlMs)) === 1;
    } catch (err) {
      this.log('warn', 'shared store claim failed', { room, why: (err as Error).message });
      return false;
    }
  }

  /** Gives back our claims on `rooms` (a keeper that stops), so another takes them at once. */
  async release(rooms: readonly string[], id: string): Promise<void> {
    await Promise.all(
      rooms.map((room) => this.redis.eval(RELEASE, 1, keys(room).holder, id).catch(() => 0)),
    );
  }

  /** Closes the connection. */
  close(): void {
    this.redis.disconnect();
  }

  /** Drops a room's messages past its age and count, oldest first. */
  private async trim(room: string): Promise<void> {
    const { order, envs: byId } = keys(room);
    const old = await this.redis.zrangebyscore(
      order,
      '-inf',
      `(${Date.now() - this.bounds.maxAgeMs}`,
    );
    const count = await this.redis.zcard(order);
    const over = Math.max(0, count - old.length - this.bounds.roomMessages);
    const extra = over > 0 ? await this.redis.zrange(order, old.length, old.length + over - 1) : [];
    const gone = [...old, ...extra];
    if (gone.length === 0) return;
    await this.redis
      .multi()
      .zrem(order, ...gone)
      .hdel(byId, ...gone)
      .exec();
    this.log('info', 'dropped', { room, count: gone.length, why: 'shared', store: 'redis' });
  }
}
