/**
 * Server configuration from environment variables, with defaults for local use.
 * Every knob is documented in the README ("Configuration").
 */
import { fileURLToPath } from 'node:url';
import { DEFAULT_MAX_FILE, MAX_FILE_CEILING } from '../src/protocol/file-manifest.js';
import { DEFAULT_MAX_PAYLOAD, MAX_ROOM } from '../src/protocol/limits.js';
import { DEFAULT_BYTE_BUDGET } from '../src/protocol/file-events.js';

/** Abuse limits; each has an environment variable. */
export interface ServerLimits {
  /** Largest app payload in bytes (JSON of an event's arguments). `PARLEY_MAX_PAYLOAD` */
  maxPayload: number;
  /** Events per second a connection may send in the long run. `PARLEY_RATE` */
  rate: number;
  /** Events a connection may send at once before it is slowed. `PARLEY_BURST` */
  burst: number;
  /** Rooms one connection may be in at the same time. `PARLEY_MAX_ROOMS` */
  maxRooms: number;
  /** Members one room may hold (across every node). `PARLEY_MAX_MEMBERS` */
  maxMembers: number;
  /** Longest room name accepted (at most the protocol's 64). `PARLEY_MAX_ROOM_NAME` */
  maxRoomName: number;
  /** Most members of one room that may link directly (WebRTC mesh). `PARLEY_MESH_CAP` */
  meshCap: number;
  /**
   * Most bytes the server may hold waiting to be written to one connection (its WebSocket
   * and engine.io buffers); past it the connection is dropped as too slow. `PARLEY_MAX_QUEUED`
   */
  maxQueued: number;
  /** Most connections from one address at the same time. `PARLEY_MAX_CONN_PER_IP` */
  maxConnPerIp: number;
  /**
   * Most TCP connections from one address at the same time (page files, long-polling
   * requests and WebSockets alike); the next is reset as it is accepted. Off behind a trusted
   * proxy, where every connection comes from the proxy. Unset (undefined): twice
   * `maxConnPerIp`, since a long-polling client holds a waiting poll and a send at once and a
   * browser loads the page's files over up to 6 connections of its own; so raising
   * `PARLEY_MAX_CONN_PER_IP` raises it too. `PARLEY_MAX_TCP_PER_IP`
   */
  maxTcpPerIp: number | undefined;
  /**
   * Seconds a connection may hold bytes it cannot write (a reader that does not read) before
   * it is reset; a long-polling client cut so is dropped. `PARLEY_WRITE_TIMEOUT`
   */
  writeTimeout: number;
  /**
   * Bytes per second of binary chunk frames (files) a connection may send in the long run,
   * apart from `rate` (which chunk frames do not use). `PARLEY_BYTES_RATE`
   */
  bytesRate: number;
  /** Chunk bytes a connection may send at once. `PARLEY_BYTES_BURST` */
  bytesBurst: number;
  /** The largest file this server's rooms carry, announced to clients. `PARLEY_MAX_FILE` */
  maxFile: number;
}

/** Everything the server needs to start. */
export interface ServerConfig extends ServerLimits {
  /** TCP port; 0 picks a free one. */
  port: number;
  /** Interface to listen on; `0.0.0.0` exposes the server to the network. */
  host: string;
  /** Allowed page origins for cross-origin clients; empty means any origin. */
  origins: string[];
  /** Folder with the built app; undefined serves no page (relay only). */
  staticDir: string | undefined;
  /** Serve the page through Vite's dev middleware instead of `staticDir`. */
  dev: boolean;
  /** Redis for scale-out (`redis://host:port`); undefined runs one process on its own. */
  redisUrl: string | undefined;
  /** Take the client's address from `X-Forwarded-For` (behind a proxy). `PARLEY_TRUST_PROXY=1` */
  trustProxy: boolean;
  /** `/healthz` tells connection and node counts, not only `ok`. `PARLEY_HEALTH_DETAIL=1` */
  healthDetail: boolean;
  /** Serve the built app's source maps. `PARLEY_SOURCEMAPS=1` */
  sourcemaps: boolean;
}

/** Default limits (generous for people, tight for scripts). */
export const DEFAULT_LIMITS: ServerLimits = {
  maxPayload: DEFAULT_MAX_PAYLOAD,
  rate: 20,
  burst: 40,
  maxRooms: 8,
  maxMembers: 500,
  maxRoomName: MAX_ROOM,
  meshCap: 16,
  maxQueued: 1024 * 1024,
  maxConnPerIp: 32,
  maxTcpPerIp: undefined, // twice maxConnPerIp
  writeTimeout: 15,
  bytesRate: DEFAULT_BYTE_BUDGET.rate,
  bytesBurst: DEFAULT_BYTE_BUDGET.burst,
  maxFile: DEFAULT_MAX_FILE,
};

/** The cap on TCP connections per address `config` means (see `ServerLimits.maxTcpPerIp`). */
export function tcpCapOf(config: Pick<ServerLimits, 'maxTcpPerIp' | 'maxConnPerIp'>): number {
  return config.maxTcpPerIp ?? 2 * config.maxConnPerIp;
}

/** The built app, next to this file's parent folder (`dist/`), both from source and bundle. */
export const defaultStaticDir = fileURLToPath(new URL('../dist/', import.meta.url));

function intFrom(env: NodeJS.ProcessEnv, name: string, fallback: number, min: number, max: number) {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min || n > max) {
    throw new Error(`parley: ${name}=${raw} is not a whole number from ${min} to ${max}`);
  }
  return n;
}

function redisFrom(env: NodeJS.ProcessEnv): string | undefined {
  const raw = env.REDIS_URL;
  if (!raw) return undefined;
  if (!/^rediss?:\/\//.test(raw)) {
    throw new Error(`parley: REDIS_URL=${raw} must start with redis:// or rediss://`);
  }
  return raw;
}

/** Reads the configuration from `env`; throws a readable error for a bad value. */
export function configFromEnv(env: NodeJS.ProcessEnv = process.env): ServerConfig {
  const d = DEFAULT_LIMITS;
  const burst = intFrom(env, 'PARLEY_BURST', d.burst, 1, 10_000);
  return {
    port: intFrom(env, 'PORT', 8080, 0, 65535),
    host: env.HOST || '127.0.0.1',
    maxPayload: intFrom(env, 'PARLEY_MAX_PAYLOAD', d.maxPayload, 1024, 16 * 1024 * 1024),
    rate: intFrom(env, 'PARLEY_RATE', d.rate, 1, 10_000),
    burst,
    maxRooms: intFrom(env, 'PARLEY_MAX_ROOMS', d.maxRooms, 1, 1000),
    maxMembers: intFrom(env, 'PARLEY_MAX_MEMBERS', d.maxMembers, 2, 100_000),
    maxRoomName: intFrom(env, 'PARLEY_MAX_ROOM_NAME', d.maxRoomName, 1, MAX_ROOM),
    meshCap: intFrom(env, 'PARLEY_MESH_CAP', d.meshCap, 1, 256),
    maxQueued: intFrom(env, 'PARLEY_MAX_QUEUED', d.maxQueued, 64 * 1024, 1024 * 1024 * 1024),
    maxConnPerIp: intFrom(env, 'PARLEY_MAX_CONN_PER_IP', d.maxConnPerIp, 1, 1_000_000),
    maxTcpPerIp: env.PARLEY_MAX_TCP_PER_IP
      ? intFrom(env, 'PARLEY_MAX_TCP_PER_IP', 0, 2, 2_000_000)
      : undefined,
    writeTimeout: intFrom(env, 'PARLEY_WRITE_TIMEOUT', d.writeTimeout, 1, 3600),
    // The same bounds a client accepts in a join reply (AnnouncedBytesSchema).
    bytesRate: intFrom(env, 'PARLEY_BYTES_RATE', d.bytesRate, 1024, 2 ** 30),
    bytesBurst: intFrom(env, 'PARLEY_BYTES_BURST', d.bytesBurst, 64 * 1024, 2 ** 30),
    maxFile: intFrom(env, 'PARLEY_MAX_FILE', d.maxFile, 1, MAX_FILE_CEILING),
    origins: (env.PARLEY_ORIGINS ?? '')
      .split(',')
      .map((o) => o.trim())
      .filter(Boolean),
    staticDir: env.PARLEY_STATIC_DIR || defaultStaticDir,
    dev: env.PARLEY_DEV === '1',
    redisUrl: redisFrom(env),
    trustProxy: env.PARLEY_TRUST_PROXY === '1',
    healthDetail: env.PARLEY_HEALTH_DETAIL === '1',
    sourcemaps: env.PARLEY_SOURCEMAPS === '1',
  };
}
