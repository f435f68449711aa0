/**
 * The keeper's settings, from the environment (and `--server` on the command line). Every
 * bound has a variable; the defaults suit one small server. See /README ("The keeper").
 */
import { join } from 'node:path';
import type { AuthorBudget } from '../src/node/index.js';
import type { StoreBounds } from './store.js';

/** Everything the keeper needs to run. */
export interface KeeperConfig {
  /** The server(s) it keeps rooms of (fail-over in order). `--server`, `PARLEY_KEEPER_SERVER` */
  servers: string[];
  /** The secret the server checks on the keeper's feed. `PARLEY_KEEPER_TOKEN` (required) */
  token: string;
  /** Folder of the store and key file. `PARLEY_KEEPER_DIR` (default `keeper-data`) */
  dir: string;
  /** The keeper's identity key file (made on first run, mode 0600). `PARLEY_KEEPER_KEY` */
  keyFile: string;
  /** The name it shows as a member. `PARLEY_KEEPER_NAME` (default `Keeper`) */
  name: string;
  /** Most rooms kept at once; past it the one quiet longest is left. `PARLEY_KEEPER_MAX_ROOMS` */
  maxRooms: number;
  /** New messages one author may add to a room (the browser's budget by default). */
  authorBudget: AuthorBudget;
  /** What the store may hold. */
  bounds: StoreBounds;
  /** Redis shared by the keepers of every node (the cluster set-up). `REDIS_URL` */
  redisUrl: string | undefined;
  /**
   * With Redis: how long a keeper's claim on a room lasts unless renewed (it renews every
   * third of it), so how long a room may go unkept after its keeper dies. In ms.
   * `PARLEY_KEEPER_CLAIM_SECONDS` (default 60)
   */
  claimMs: number;
}

/** Defaults of the bounds (see the README's table). */
export const KEEPER_DEFAULTS = {
  maxRooms: 16,
  roomMessages: 10_000,
  authorMessages: 5_000,
  maxAgeDays: 30,
  maxMegabytes: 1024,
  authorBurst: 2_500,
  authorRate: 5,
};

function numberFrom(
  env: NodeJS.ProcessEnv,
  name: string,
  fallback: number,
  min: number,
  max: number,
  whole = true,
): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isFinite(n) || (whole && !Number.isInteger(n)) || n < min || n > max) {
    throw new Error(
      `keeper: ${name}=${raw} is not a ${whole ? 'whole ' : ''}number from ${min} to ${max}`,
    );
  }
  return n;
}

/** Reads the settings; `servers` from the command line wins over the environment. */
export function keeperConfig(
  env: NodeJS.ProcessEnv = process.env,
  servers: string[] = [],
): KeeperConfig {
  const token = env.PARLEY_KEEPER_TOKEN ?? '';
  if (token.length < 32) {
    throw new Error(
      "keeper: PARLEY_KEEPER_TOKEN must be set to the server's keeper token (32+ characters)",
    );
  }
  const list = servers.length
    ? servers
    : (env.PARLEY_KEEPER_SERVER ?? 'http://127.0.0.1:8080').split(',').map((s) => s.trim());
  for (const url of list) {
    if (!/^https?:\/\/[^/]+\/?$/.test(url)) throw new Error(`keeper: not a server origin: ${url}`);
  }
  const redisUrl = env.REDIS_URL || undefined;
  if (redisUrl && !/^rediss?:\/\//.test(redisUrl)) {
    throw new Error(`keeper: REDIS_URL=${redisUrl} must start with redis:// or rediss://`);
  }
  const d = KEEPER_DEFAULTS;
  const dir = env.PARLEY_KEEPER_DIR || 'keeper-data';
  return {
    servers: list.map((u) => u.replace(/\/$/, '')),
    token,
    dir,
    keyFile: env.PARLEY_KEEPER_KEY || join(dir, 'keeper.key'),
    name: env.PARLEY_KEEPER_NAME || 'Keeper',
    maxRooms: numberFrom(env, 'PARLEY_KEEPER_MAX_ROOMS', d.maxRooms, 1, 10_000),
    authorBudget: {
      burst: numberFrom(env, 'PARLEY_KEEPER_AUTHOR_BURST', d.authorBurst, 1, 1_000_000),
      rate: numberFrom(env, 'PARLEY_KEEPER_AUTHOR_RATE', d.authorRate, 0.001, 10_000, false),
    },
    redisUrl,
    claimMs: numberFrom(env, 'PARLEY_KEEPER_CLAIM_SECONDS', 60, 1, 3600) * 1000,
    bounds: {
      roomMessages: numberFrom(env, 'PARLEY_KEEPER_ROOM_MESSAGES', d.roomMessages, 1, 1_000_000),
      authorMessages: numberFrom(
        env,
        'PARLEY_KEEPER_AUTHOR_MESSAGES',
        d.authorMessages,
        1,
        1_000_000,
      ),
      maxAgeMs:
        numberFrom(env, 'PARLEY_KEEPER_MAX_AGE_DAYS', d.maxAgeDays, 0.001, 36_500, false) *
        86_400_000,
      maxBytes:
        numberFrom(env, 'PARLEY_KEEPER_MAX_MB', d.maxMegabytes, 1, 10_000_000, false) * 1024 * 1024,
    },
  };
}
