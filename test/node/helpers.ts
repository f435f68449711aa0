/**
 * What the Node client's tests share: bots with fresh identities, a wait for an event with a
 * bound on how long, and a temporary folder per test.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before } from 'node:test';
import type { ParleyServer } from '../../signaling/server.js';
import { startTestServer } from '../support/server.js';
import { createIdentity } from '../../src/protocol/identity.js';
import { connect, type ParleyClient } from '../../src/node/index.js';

/** A bot with a fresh identity (no key file) on `url`. */
export async function bot(url: string | string[], name: string): Promise<ParleyClient> {
  return connect(url, { name, identity: await createIdentity() });
}

/**
 * Resolves with the first value `subscribe` hands its callback that `match` accepts; rejects
 * after `ms` (a hang bound, not a speed check: every wait here ends far sooner).
 */
export function waitFor<T>(
  subscribe: (fn: (value: T) => void) => () => void,
  match: (value: T) => boolean = () => true,
  ms = 20_000,
  what = 'event',
): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      off();
      reject(new Error(`no ${what} within ${ms} ms`));
    }, ms);
    const off = subscribe((value) => {
      if (!match(value)) return;
      clearTimeout(timer);
      off();
      resolve(value);
    });
  });
}

/** A fresh temporary folder, removed by the returned function. */
export async function tempDir(): Promise<{ dir: string; remove: () => Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), 'parley-bot-'));
  return { dir, remove: () => rm(dir, { recursive: true, force: true }) };
}

/**
 * A real server for one suite and a way to make bots on it; every bot is closed and the server
 * stopped after the suite. Call it inside a `describe`.
 */
export function useBotServer(): {
  url: () => string;
  make: (name: string) => Promise<ParleyClient>;
} {
  let server: ParleyServer | undefined;
  const clients: ParleyClient[] = [];
  before(async () => {
    server = await startTestServer();
  });
  after(async () => {
    clients.forEach((c) => c.close());
    await server?.close();
  });
  return {
    url: () => server!.url,
    make: async (name) => {
      const c = await bot(server!.url, name);
      clients.push(c);
      return c;
    },
  };
}
