/**
 * The member cap of a room across nodes, made atomic in Redis. Each node checks a join against
 * the members it can see, but joins that arrive at several nodes at once all see the same
 * count; so in a cluster a join also takes a seat in the room's sorted set (member → expiry)
 * with one Lua script that drops expired seats and adds the new one only while the room has
 * room. Seats are refreshed while their connection lives and given back when it leaves; a
 * node that dies without giving them back loses them when they expire.
 */
import type { Redis } from 'ioredis';

/** How long a seat lasts without a refresh, in ms. */
export const SEAT_TTL_MS = 30_000;
/** How often a node refreshes the seats of its connections, in ms. */
export const SEAT_REFRESH_MS = 10_000;

const TAKE = `
local key, id = KEYS[1], ARGV[1]
local cap, now, ttl = tonumber(ARGV[2]), tonumber(ARGV[3]), tonumber(ARGV[4])
redis.call('ZREMRANGEBYSCORE', key, '-inf', now)
if redis.call('ZSCORE', key, id) or redis.call('ZCARD', key) < cap then
  redis.call('ZADD', key, now + ttl, id)
  redis.call('PEXPIRE', key, ttl)
  return 1
end
return 0`;

/** Seats in rooms, shared by every node. */
export interface Seats {
  /** Takes (or keeps) `id`'s seat in `room` unless `cap` seats are taken; whether it has one. */
  take(room: string, id: string, cap: number): Promise<boolean>;
  /** Gives `id`'s seat in `room` back. */
  release(room: string, id: string): void;
  /** Keeps the seats of connections that live on (each `[room, id]`). */
  refresh(held: Iterable<[string, string]>): Promise<void>;
}

/** The seats of each server that is part of a cluster (none on a node of its own). */
const byServer = new WeakMap<object, Seats>();

/** The seats `io` takes joins against, when it is part of a cluster. */
export function seatsOf(io: object): Seats | undefined {
  return byServer.get(io);
}

/** Makes `seats` the ones `io` takes joins against. */
export function useSeats(io: object, seats: Seats): void {
  byServer.set(io, seats);
}

type WithTake = Redis & {
  parleyTakeSeat(key: string, id: string, cap: number, now: number, ttl: number): Promise<number>;
};

/** The seats of a cluster, in the Redis behind it. */
export function redisSeats(redis: Redis): Seats {
  redis.defineCommand('parleyTakeSeat', { numberOfKeys: 1, lua: TAKE });
  const r = redis as WithTake;
  const key = (room: string) => `parley:seats:${room}`;
  return {
    take: async (room, id, cap) =>
      (await r.parleyTakeSeat(key(room), id, cap, Date.now(), SEAT_TTL_MS)) === 1,
    release: (room, id) => void redis.zrem(key(room), id).catch(() => undefined),
    refresh: async (held) => {
      const until = Date.now() + SEAT_TTL_MS;
      const batch = redis.pipeline();
      for (const [room, id] of held) {
        batch.zadd(key(room), 'XX', until, id);
        batch.pexpire(key(room), SEAT_TTL_MS);
      }
      await batch.exec();
    },
  };
}
