/**
 * What the keeper benchmark (`keeper.ts`) needs around it: signed rooms of envelopes from a few
 * authors, the server and the keeper each as its own process (the server: this module run with
 * `serve`, the tests' server from the source; the keeper: keeper/main.ts), ended by their PIDs,
 * and the two ingest loops — the keeper's intake (shape, room, time, Ed25519 signature,
 * repeats, budget) before each write, or the same writes unverified — over the embedded store
 * (SQLite, `keeper/store.ts`) and the shared one (Redis, `keeper/shared-store.ts`).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Envelope } from '../src/protocol/chat-events.js';
import { Intake } from '../src/controllers/room/intake.js';
import { readMessage } from '../src/protocol/message-body.js';
import { createIdentity, signerOf, type Signer } from '../src/protocol/identity.js';
import { uuidv7 } from '../src/protocol/message-id.js';
import { messageIdOf, signEnvelope } from '../src/protocol/signed-envelope.js';
import { RoomHistory } from '../src/node/history.js';
import { KeeperStore, type StoreBounds } from '../keeper/store.js';
import { SharedStore } from '../keeper/shared-store.js';
import { stopChild } from '../test/support/processes.js';
import { startTestServer } from '../test/support/server.js';

/** The repository's root (the keeper is started from there). */
const ROOT = fileURLToPath(new URL('..', import.meta.url));
/** This module's file: run with `serve` or `keeper`, it is a child (see the end). */
const SELF = fileURLToPath(import.meta.url);

/** An author: a fresh identity's signer and its display name. */
export type Author = Signer & { name: string };

/** `n` authors with fresh Ed25519 identities. */
export async function makeAuthors(n: number): Promise<Author[]> {
  const out: Author[] = [];
  for (let i = 0; i < n; i++) {
    out.push({ ...signerOf(await createIdentity()), name: `Author ${i + 1}` });
  }
  return out;
}

/** Words the texts are made of (lengths vary from message to message, 20–200 characters). */
const WORDS =
  'the keeper holds what was said while nobody was here so a member who comes back reads it'.split(
    ' ',
  );

function textOf(i: number): string {
  const length = 20 + ((i * 37) % 181);
  let text = `#${i}`;
  for (let w = 0; text.length < length; w++) text += ` ${WORDS[(i + w) % WORDS.length]}`;
  return text.slice(0, length);
}

/**
 * `count` messages of `room` in the clear, signed by `authors` in turn, `stepMs` apart, the
 * newest dated `newestTs`; oldest first. Signed `batch` at once (WebCrypto's threads).
 */
export async function signRoom(
  room: string,
  authors: readonly Author[],
  count: number,
  newestTs: number,
  stepMs: number,
  batch = 500,
): Promise<Envelope[]> {
  const out: Envelope[] = [];
  for (let start = 0; start < count; start += batch) {
    const n = Math.min(batch, count - start);
    const signed = await Promise.all(
      Array.from({ length: n }, (_, k) => {
        const i = start + k;
        const who = authors[i % authors.length]!;
        return signEnvelope(who, {
          id: messageIdOf(who.id, uuidv7()),
          room,
          from: { id: who.id, name: who.name, key: who.publicKey },
          ts: newestTs - (count - 1 - i) * stepMs,
          seq: Math.floor(i / authors.length),
          body: { text: textOf(i) },
        });
      }),
    );
    out.push(...signed);
  }
  return out;
}

/** The server, a child process. */
export interface ServerChild {
  url: string;
  child: ChildProcess;
  /** SIGTERM by its PID; SIGKILL if it is not gone within 5 s. */
  stop(): Promise<void>;
}

const stopBoth = async (child: ChildProcess) => {
  await stopChild(child, 'SIGTERM', 5_000);
  await stopChild(child, 'SIGKILL', 5_000);
};

/**
 * Starts the tests' server (production defaults, the relay's rate limit raised as in the other
 * catch-up benchmarks, the keeper's feed on with `token`) in its own process, from the source:
 * so the member timed in this process does not share its thread with the relay.
 */
export function startServerChild(token: string, ms = 30_000): Promise<ServerChild> {
  const child = spawn(process.execPath, ['--import', 'tsx', SELF, 'serve'], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'inherit', 'ipc'],
    env: { ...process.env, PARLEY_KEEPER_TOKEN: token },
  });
  return new Promise<ServerChild>((resolve, reject) => {
    const timer = setTimeout(() => fail(new Error(`the server did not start in ${ms} ms`)), ms);
    const fail = (err: Error) => {
      clearTimeout(timer);
      void stopBoth(child).then(() => reject(err));
    };
    child.once('exit', (code) => fail(new Error(`the server exited (${code}) before it listened`)));
    createInterface({ input: child.stdout! }).once('line', (line) => {
      clearTimeout(timer);
      const url = /^listening (http:\/\/\S+)$/.exec(line)?.[1];
      if (!url) return fail(new Error(`the server said: ${line}`));
      resolve({ url, child, stop: () => stopBoth(child) });
    });
  });
}

/** `node --import tsx bench/keeper-setup.ts serve`: the server child above; ends on SIGTERM. */
async function serve(): Promise<void> {
  const server = await startTestServer({ host: '127.0.0.1', rate: 10_000, burst: 10_000 });
  process.once('SIGTERM', () => {
    setTimeout(() => process.exit(0), 2_000).unref();
    void server.close().then(() => process.exit(0));
  });
  console.log(`listening ${server.url}`);
}

/**
 * `node --import tsx bench/keeper-setup.ts keeper URL`: keeper/main.ts itself, unchanged, in a
 * process that also answers {@link usageOf} (so its CPU time is read without any file of the
 * system's).
 */
async function keep(url: string): Promise<void> {
  process.argv = [process.argv[0]!, join(ROOT, 'keeper', 'main.ts'), '--server', url];
  await import('../keeper/main.js');
}

/** What a child has used so far: CPU ms (user + system) and resident memory, MiB. */
export interface Usage {
  cpuMs: number;
  rssMiB: number;
}

/** Asks a child started here (server or keeper) what it has used; NaN when it does not say. */
export function usageOf(child: ChildProcess, ms = 2_000): Promise<Usage> {
  return new Promise<Usage>((resolve) => {
    const unknown = { cpuMs: NaN, rssMiB: NaN };
    const timer = setTimeout(() => done(unknown), ms);
    const done = (u: Usage) => {
      clearTimeout(timer);
      child.off('message', on);
      resolve(u);
    };
    const on = (m: unknown) => {
      const u = m as Partial<Usage> | null;
      if (typeof u?.cpuMs === 'number' && typeof u.rssMiB === 'number') done(u as Usage);
    };
    child.on('message', on);
    if (!child.connected || !child.send('usage')) done(unknown);
  });
}

/** The child's side of {@link usageOf}. */
function answerUsage(): void {
  process.on('message', (m) => {
    if (m !== 'usage') return;
    const { user, system } = process.cpuUsage();
    process.send?.({ cpuMs: (user + system) / 1000, rssMiB: process.memoryUsage().rss / 2 ** 20 });
  });
  // The channel must not keep a child alive that would otherwise end.
  process.channel?.unref();
}

if (process.argv[1] === SELF) {
  const [mode, url] = process.argv.slice(2);
  answerUsage();
  const started = mode === 'serve' ? serve() : mode === 'keeper' && url ? keep(url) : undefined;
  started?.catch((err: unknown) => {
    console.error(`bench ${mode}:`, err);
    process.exit(1);
  });
}

/** One JSON log line of the keeper process. */
interface LogLine {
  level: string;
  msg: string;
  [field: string]: unknown;
}

/** The keeper, a child process. */
export interface KeeperChild {
  child: ChildProcess;
  lines: LogLine[];
  /** Resolves once the keeper says it keeps every room in `rooms` (rejects after `ms`). */
  keepingAll(rooms: readonly string[], ms: number): Promise<void>;
  /** SIGTERM by its PID; SIGKILL if it is not gone within 5 s. */
  stop(): Promise<void>;
}

/**
 * Starts keeper/main.ts (from the source, tsx; in this module's `keeper` mode, which also
 * answers {@link usageOf}) against `url`, its store and key in `dir`.
 */
export function startKeeperChild(
  url: string,
  dir: string,
  env: Record<string, string>,
): KeeperChild {
  const child = spawn(process.execPath, ['--import', 'tsx', SELF, 'keeper', url], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    env: { ...process.env, PARLEY_KEEPER_DIR: dir, ...env },
  });
  const lines: LogLine[] = [];
  const listeners = new Set<() => void>();
  const read = (input: NodeJS.ReadableStream) =>
    createInterface({ input }).on('line', (text) => {
      let line: LogLine;
      try {
        line = JSON.parse(text) as LogLine;
      } catch {
        line = { level: 'text', msg: text };
      }
      // Bounded: the keeper logs a few lines per room (joins, drops); the first 10,000 are kept.
      if (lines.length < 10_000) lines.push(line);
      listeners.forEach((fn) => fn());
    });
  read(child.stdout!);
  read(child.stderr!);
  child.once('exit', () => listeners.forEach((fn) => fn()));
  return {
    child,
    lines,
    keepingAll: (rooms, ms) =>
      new Promise<void>((resolve, reject) => {
        const check = () => {
          const kept = new Set(lines.filter((l) => l.msg === 'keeping').map((l) => l.room));
          if (rooms.every((r) => kept.has(r))) return done();
          if (child.exitCode !== null || child.signalCode !== null) {
            const last = lines
              .slice(-5)
              .map((l) => l.msg)
              .join(' | ');
            return done(new Error(`the keeper exited before keeping every room: ${last}`));
          }
        };
        const timer = setTimeout(
          () => done(new Error(`the keeper did not keep all ${rooms.length} rooms in ${ms} ms`)),
          ms,
        );
        const done = (err?: Error) => {
          clearTimeout(timer);
          listeners.delete(check);
          if (err) reject(err);
          else resolve();
        };
        listeners.add(check);
        check();
      }),
    stop: () => stopBoth(child),
  };
}

/** How an ingest loop writes: each message its own commit (live) or pages of `page`. */
export type IngestShape = { kind: 'live'; inFlight: number } | { kind: 'pages'; page: number };

/** Where one ingest run writes: put `envs` of `room`, durable (SQLite) or sent (Redis). */
export interface IngestSink {
  put(room: string, envs: readonly Envelope[]): void | Promise<void>;
  /** Waits for what `put` started (Redis copies); nothing for SQLite. */
  settle(): Promise<void>;
}

/** A budget no benchmark author spends: ingest measures checks and writes, not the budget. */
const OPEN_BUDGET = { burst: 1_000_000, rate: 1_000_000 };

/**
 * Takes `envs` of `room` into `sink` as the keeper does (`verify`: the Node client's intake
 * checks each, its body is read, then it is written; live, each message is checked on arrival —
 * `inFlight` at once, as a burst of frames is — and written in order, one commit each, as the
 * keeper writes what one turn took in), or writes the same unverified. Returns the ms taken.
 */
export async function ingest(
  sink: IngestSink,
  room: string,
  envs: readonly Envelope[],
  shape: IngestShape,
  verify: boolean,
): Promise<number> {
  const intake = new Intake(OPEN_BUDGET);
  const history = new RoomHistory();
  const target = {
    room,
    known: (id: string) => history.get(id),
    claim: (env: Envelope) => void history.add(env),
  };
  const check = async (batch: readonly Envelope[], author?: string): Promise<Envelope[]> => {
    if (!verify) return [...batch];
    const { fresh } = await intake.check(target, batch, author);
    await Promise.all(fresh.map((env) => readMessage(env, [])));
    return fresh;
  };
  const started = performance.now();
  if (shape.kind === 'live') {
    // A sliding window: while one is written, the next `inFlight` are being checked.
    const checks = new Map<number, Promise<Envelope[]>>();
    let next = 0;
    const start = () => {
      if (next >= envs.length) return;
      const env = envs[next]!;
      checks.set(next++, check([env], env.from.id));
    };
    for (let k = 0; k < shape.inFlight; k++) start();
    for (let i = 0; i < envs.length; i++) {
      const fresh = await checks.get(i)!;
      checks.delete(i);
      start();
      if (fresh.length > 0) await sink.put(room, fresh);
    }
  } else {
    for (let i = 0; i < envs.length; i += shape.page) {
      const fresh = await check(envs.slice(i, i + shape.page));
      if (fresh.length > 0) await sink.put(room, fresh);
    }
  }
  await sink.settle();
  const ms = performance.now() - started;
  if (verify && intake.counts.forged + intake.counts.malformed + intake.counts.overBudget > 0) {
    throw new Error(`ingest refused some: ${JSON.stringify(intake.counts)}`);
  }
  return ms;
}

/** The embedded store in `dir` as an ingest sink (the keeper's own class and bounds). */
export function sqliteSink(dir: string, bounds: StoreBounds): IngestSink & { store: KeeperStore } {
  const store = new KeeperStore(dir, bounds);
  return {
    store,
    put: (room, envs) => {
      const added = store.put(room, envs);
      if (added.length !== envs.length) throw new Error('the store refused new envelopes');
    },
    settle: () => Promise.resolve(),
  };
}

/**
 * Redis at `url` as an ingest sink (the keepers' shared store): each put is a copy (one MULTI,
 * then the room's trim), started as the keeper starts it — not awaited one by one — and all
 * awaited at the end.
 */
export function redisSink(url: string, bounds: StoreBounds): IngestSink & { close(): void } {
  const failures: string[] = [];
  // Its log says only what went wrong; a failed copy fails the run.
  const shared = new SharedStore(url, bounds, (_level, msg, fields) => {
    if (msg.includes('failed')) failures.push(`${msg} ${JSON.stringify(fields)}`);
  });
  let pending: Promise<void>[] = [];
  return {
    put: (room, envs) => {
      pending.push(shared.copy(room, envs));
      // Bounded: what was started is awaited every 512 copies, so nothing piles up unbounded.
      if (pending.length >= 512) {
        const wait = Promise.all(pending).then(() => undefined);
        pending = [];
        return wait;
      }
    },
    settle: async () => {
      await Promise.all(pending);
      pending = [];
      if (failures.length) throw new Error(`redis copy failed: ${failures[0]}`);
    },
    close: () => shared.close(),
  };
}
