/**
 * What the keeper's tests share: a real server with the keeper's feed on (its token), the
 * keeper as its own process (keeper/main.ts, from the source) so it can be killed with
 * SIGKILL by its PID, its log lines as events, and the ids a bot's messages were
 * acknowledged with by the keeper.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { createInterface } from 'node:readline';
import type { ParleyServer } from '../../signaling/server.js';
import type { BotRoom } from '../../src/node/index.js';
import { startTestServer } from '../support/server.js';
import { waitFor } from '../node/helpers.js';

/** The token of every test server's keeper feed (the feed reads it from the environment). */
export const TOKEN = randomBytes(32).toString('base64url');

/** A server on a free loopback port with the keeper's feed on (the caller closes it). */
export function startKeptServer(port = 0): Promise<ParleyServer> {
  process.env.PARLEY_KEEPER_TOKEN = TOKEN;
  return startTestServer({ host: '127.0.0.1', port });
}

/** One JSON log line of the keeper. */
export interface LogLine {
  level: string;
  msg: string;
  [field: string]: unknown;
}

/** A keeper process. */
export interface KeeperProcess {
  child: ChildProcess;
  /** Every log line so far. */
  lines: LogLine[];
  /** Resolves with the first log line (now or later) that `match` accepts. */
  line: (match: (l: LogLine) => boolean, what: string) => Promise<LogLine>;
  /** Resolves once the keeper is in `room`. */
  keeping: (room: string) => Promise<void>;
  /** The keeper's identity id (once ready). */
  id: () => Promise<string>;
  /** SIGTERM, and waits for the exit. */
  stop: () => Promise<void>;
  /** SIGKILL (kill -9) by PID, and waits for the exit. */
  kill: () => Promise<void>;
}

/** Starts keeper/main.ts against `url`, its store and key in `dir`, with `env` on top. */
export function startKeeper(
  url: string,
  dir: string,
  env: Record<string, string> = {},
): KeeperProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', 'keeper/main.ts', '--server', url], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, PARLEY_KEEPER_TOKEN: TOKEN, PARLEY_KEEPER_DIR: dir, ...env },
  });
  const events = new EventEmitter();
  const lines: LogLine[] = [];
  const read = (input: NodeJS.ReadableStream) =>
    createInterface({ input }).on('line', (text) => {
      if (process.env.PARLEY_TEST_LOGS === '1') console.error(`keeper: ${text}`);
      let line: LogLine;
      try {
        line = JSON.parse(text) as LogLine;
      } catch {
        line = { level: 'text', msg: text };
      }
      lines.push(line);
      events.emit('line', line);
    });
  read(child.stdout!);
  read(child.stderr!);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.once('exit', (code, signal) =>
    events.emit('line', { level: 'exit', msg: `exited (${code ?? signal})` }),
  );
  const line = async (match: (l: LogLine) => boolean, what: string) => {
    const known = lines.find(match);
    if (known) return known;
    const l = await waitFor(
      (fn: (l: LogLine) => void) => (events.on('line', fn), () => void events.off('line', fn)),
      (l) => l.level === 'exit' || match(l),
      30_000,
      what,
    );
    if (l.level === 'exit') throw new Error(`the keeper ${l.msg} before: ${what}`);
    return l;
  };
  return {
    child,
    lines,
    line,
    keeping: async (room) => {
      await line((l) => l.msg === 'keeping' && l.room === room, `the keeper in ${room}`);
    },
    id: async () => String((await line((l) => l.msg === 'keeper ready', 'the keeper ready')).id),
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exited;
    },
    kill: async () => {
      if (child.exitCode === null && child.signalCode === null) process.kill(child.pid!, 'SIGKILL');
      await exited;
    },
  };
}

/** Collects the ids of `room`'s messages that member `by` acknowledged. */
export function acknowledgedBy(room: BotRoom, by: () => string | undefined): Set<string> {
  const ids = new Set<string>();
  room.on('delivered', (d) => {
    if (d.by === by()) ids.add(d.id);
  });
  return ids;
}

/** Resolves once every id in `ids` is in `seen` (`on` fires whenever `seen` grows). */
export async function allOf(
  seen: ReadonlySet<string>,
  ids: readonly string[],
  on: (fn: () => void) => () => void,
  what: string,
): Promise<void> {
  const missing = () => ids.filter((id) => !seen.has(id));
  if (missing().length === 0) return;
  await waitFor(
    (fn: (x: undefined) => void) => on(() => fn(undefined)),
    () => missing().length === 0,
    30_000,
    `${what} (missing ${missing().length})`,
  );
}
