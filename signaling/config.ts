/**
 * Server configuration from environment variables, with defaults for local use.
 * Every knob is documented in the README.
 */
import { fileURLToPath } from 'node:url';
import { DEFAULT_MAX_PAYLOAD } from '../src/transport/payload.js';

/** Everything the server needs to start. */
export interface ServerConfig {
  /** TCP port; 0 picks a free one. */
  port: number;
  /** Interface to listen on; `0.0.0.0` exposes the server to the network. */
  host: string;
  /** Largest app payload in bytes (JSON of an event's arguments). */
  maxPayload: number;
  /** Most members of one room that may link directly (WebRTC mesh); others use the relay. */
  meshCap: number;
  /** Allowed page origins for cross-origin clients; empty means any origin. */
  origins: string[];
  /** Folder with the built app; undefined serves no page (relay only). */
  staticDir: string | undefined;
  /** Serve the page through Vite's dev middleware instead of `staticDir`. */
  dev: boolean;
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

/** Reads the configuration from `env`; throws a readable error for a bad value. */
export function configFromEnv(env: NodeJS.ProcessEnv = process.env): ServerConfig {
  return {
    port: intFrom(env, 'PORT', 8080, 0, 65535),
    host: env.HOST || '127.0.0.1',
    maxPayload: intFrom(env, 'PARLEY_MAX_PAYLOAD', DEFAULT_MAX_PAYLOAD, 1024, 16 * 1024 * 1024),
    meshCap: intFrom(env, 'PARLEY_MESH_CAP', 16, 1, 256),
    origins: (env.PARLEY_ORIGINS ?? '')
      .split(',')
      .map((o) => o.trim())
      .filter(Boolean),
    staticDir: env.PARLEY_STATIC_DIR || defaultStaticDir,
    dev: env.PARLEY_DEV === '1',
  };
}
