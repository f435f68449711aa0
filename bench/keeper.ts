/**
 * `npm run bench -- keeper`: the keeper (keeper/) holding a room of 10,000 messages for a
 * member who comes back, what it takes in per second into either store, and what a message
 * weighs there.
 *
 * 1. Catch-up from the keeper (the headline row). A real server in its own process (the tests'
 *    server from the source: production defaults, the keeper's feed on, the relay's rate limit
 *    raised as in the other catch-up benchmarks); the real keeper in another (keeper/main.ts
 *    from the source, its default bounds); both ended by their PIDs. The keeper's store is
 *    filled before it starts: per run a room of 10,000 signed envelopes in the clear from 5
 *    authors, 90 s apart (10.4 days, inside the 30-day age bound), written straight into its
 *    SQLite file by the keeper's own `KeeperStore.put` — the keeper then loads every room and
 *    verifies each signature again as it joins (as after any restart) and holds it in memory,
 *    which is what it answers catch-up from. A fresh room per run: a member's catch-up is
 *    served within a per-room budget (two full histories at once, then 50 a second), so one
 *    room asked a dozen times in a row would time the budget's refill, not the path. The
 *    returning member is a Node client of `src/node/` (the browser's protocol, intake and
 *    catch-up, from the same source; no browser), one identity for every run, holding message
 *    9,000 of the room (the last it read before leaving; it asks from its newest on, as the
 *    browser does). Timed on this process's
 *    clock from `join()` (connecting included) until the newest 1,000 (9,001–10,000) were all
 *    reported — each checked by the client's intake: shape, room, time, Ed25519 signature,
 *    author, repeats, budget. Every run checks exactly those 1,000 ids, none refused. Where the
 *    time goes: the intake's `check` is wrapped while the runs last (when each page arrives,
 *    when its check ends), each process's CPU per run is read (the children report their own
 *    `process.cpuUsage()`), and before the keeper starts its store's reads and 1,000 signature
 *    checks here are timed on their own (`profile`).
 * 2. Ingest: messages per second through the keeper's intake (the Node client's `Intake`, each
 *    body read) and written, against the same envelopes written unverified (the raw baseline),
 *    to a fresh SQLite store (`KeeperStore`, WAL, fsynced commits) and to a fresh Redis
 *    (`SharedStore.copy`, Debian's `redis-server` started here without persistence and ended by
 *    its PID). Two shapes: live (each message checked on arrival, 32 in flight as in a burst of
 *    frames, written one commit each in order: the keeper writes what one turn took in) and
 *    catch-up pages of 100 (one check of the page, one commit).
 * 3. Bytes per message: the SQLite file (checkpointed: closed, so the WAL is folded in) over the
 *    messages in it, and Redis `used_memory` before/after over the messages copied.
 *
 * The table's main row is the catch-up (ms, p50 / p99 over the runs; the goal is p50 ≤ 150 ms);
 * its other rows give msg/s with parley / raw as the ratio, and the bytes. This benchmark has no
 * browser; the JSON keeps every run and the profile figures (store reads, verifying 1,000).
 */
import { randomBytes } from 'node:crypto';
import type { ChildProcess } from 'node:child_process';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { keeperConfig } from '../keeper/config.js';
import { KeeperStore, STORE_FILE, type StoreBounds } from '../keeper/store.js';
import { Intake } from '../src/controllers/room/intake.js';
import { connect, type BotMessage } from '../src/node/index.js';
import type { Envelope } from '../src/protocol/chat-events.js';
import { createIdentity } from '../src/protocol/identity.js';
import { verifyEnvelope } from '../src/protocol/signed-envelope.js';
import { startRedis, type RedisProcess } from '../test/support/processes.js';
import { within } from './harness.js';
import {
  ingest,
  makeAuthors,
  redisSink,
  signRoom,
  sqliteSink,
  startKeeperChild,
  startServerChild,
  type Author,
  type IngestShape,
  type KeeperChild,
  type ServerChild,
  usageOf,
} from './keeper-setup.js';
import { resultHead, verdict, type Benchmark, type BenchResult } from './result.js';
import { round, stats, type Stats } from './stats.js';

/** Messages the keeper holds of each room. */
const ROOM_MESSAGES = 10_000;
/** The newest of them the member missed (and is timed receiving). */
const NEWEST = 1_000;
/** Authors of a room's messages. */
const AUTHORS = 5;
/** Between two messages of a room, ms (10,000 of them span 10.4 days). */
const STEP_MS = 90_000;
/** Counted catch-up runs (`KEEPER_RUNS` may lower it for a quick look while working). */
const RUNS = Math.max(1, Math.min(15, Number(process.env.KEEPER_RUNS ?? 12)));
/** Uncounted runs first (JIT, the first connections). */
const WARMUP = 1;
/** Join → newest 1,000 verified, p50, ms. */
const GOAL_MS = 150;
/** A run that takes longer is a failure (a hang bound). */
const RUN_LIMIT_MS = 20_000;
/** How long the keeper may take to load and join every room. */
const KEEPER_START_MS = 180_000;
/** Messages per live ingest run (each its own fsynced commit) and per paged run. */
const LIVE_MESSAGES = Math.max(100, Math.min(10_000, Number(process.env.KEEPER_INGEST ?? 2_000)));
const PAGED_MESSAGES = 10_000;
/** Rounds of ingest runs (each round runs every store, shape and contender once). */
const INGEST_ROUNDS = 3;
const LIVE: IngestShape = { kind: 'live', inFlight: 32 };
const PAGES: IngestShape = { kind: 'pages', page: 100 };

/** One catch-up run, ms from `join()` on this process's clock. */
interface CatchUpRun {
  room: string;
  /** `join()` resolved: the link is open and the member asked. */
  open: number;
  /** The first message reported (verified). */
  first: number;
  /** The newest message (10,000) reported. */
  newest: number;
  /** All of the newest 1,000 reported: the headline. */
  all: number;
  /** Reported messages outside the newest 1,000 (should be 0). */
  others: number;
  /** Catch-up pages that reached the member's intake, and the first and last one's arrival. */
  pages: number;
  firstPageIn: number;
  lastPageIn: number;
  /** The last page's check (signatures) done. */
  lastPageChecked: number;
  /**
   * CPU ms (user + system) from join to all, of the member's process (this one), the keeper's
   * and the server's (as each reports it; the member's includes its crypto threads).
   */
  cpuMs: { member: number; keeper: number; server: number };
}

/** A page the member's intake took: when it came, how many, when its check ended. */
interface PageSeen {
  at: number;
  n: number;
  done: number;
}

/**
 * Notes every batch the intake of this process checks (only the member's: the keeper is
 * another process), for the phases: when the pages arrive, and when their checks end. The
 * wrapper adds two clock reads per page. Returns the undo.
 */
function watchIntake(seen: PageSeen[]): () => void {
  const original = Intake.prototype.check;
  Intake.prototype.check = async function (this: Intake, ...args: Parameters<Intake['check']>) {
    const page: PageSeen = { at: performance.now(), n: args[1].length, done: NaN };
    // Bounded: a run's answer is about a dozen pages; the list is emptied every run.
    if (seen.length < 10_000) seen.push(page);
    try {
      return await original.apply(this, args);
    } finally {
      page.done = performance.now();
    }
  };
  return () => void (Intake.prototype.check = original);
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const median = (xs: readonly number[]) => stats(xs).p50;

/** Bytes of the SQLite store in `dir` (the file, and a WAL if one is left). */
async function storeBytes(dir: string): Promise<number> {
  const size = (f: string) =>
    stat(join(dir, f)).then(
      (s) => s.size,
      () => 0,
    );
  return (await size(STORE_FILE)) + (await size(`${STORE_FILE}-wal`));
}

/** A room of the catch-up: what the member holds and the ids it must end up with. */
interface PlannedRoom {
  name: string;
  held: Envelope;
  newestIds: Set<string>;
  newestId: string;
}

/**
 * Fills the keeper's store in `dir` with one room of 10,000 per name in `names`; returns the
 * plan of each, the profile figures (store reads, verifying the newest 1,000) and the bytes.
 */
async function fillStore(
  dir: string,
  names: readonly string[],
  authors: readonly Author[],
  bounds: StoreBounds,
) {
  const store = new KeeperStore(dir, bounds);
  const planned: PlannedRoom[] = [];
  let signMs = 0;
  let writeMs = 0;
  let firstRoom: Envelope[] = [];
  try {
    for (const name of names) {
      let t = performance.now();
      const envs = await signRoom(name, authors, ROOM_MESSAGES, Date.now() - 60_000, STEP_MS);
      signMs += performance.now() - t;
      t = performance.now();
      const added = store.put(name, envs);
      writeMs += performance.now() - t;
      if (added.length !== ROOM_MESSAGES) throw new Error(`${name}: stored ${added.length}`);
      const newest = envs.slice(-NEWEST);
      planned.push({
        name,
        held: envs[ROOM_MESSAGES - NEWEST - 1]!,
        newestIds: new Set(newest.map((e) => e.id)),
        newestId: newest.at(-1)!.id,
      });
      if (firstRoom.length === 0) firstRoom = envs;
    }
    // Profile: what a read of the store costs (the keeper reads it once per room at its join;
    // catch-up is answered from memory), and what checking 1,000 signatures costs here.
    const reads = (limit: number) =>
      median(
        Array.from({ length: 5 }, () => {
          const t = performance.now();
          const n = store.load(names[0]!, limit).length;
          if (n !== limit) throw new Error(`store read ${n} of ${limit}`);
          return performance.now() - t;
        }),
      );
    const loadNewest = reads(NEWEST);
    const loadAll = reads(ROOM_MESSAGES);
    const verifyTimes: number[] = [];
    const verifyCpu: number[] = [];
    for (let i = 0; i < 5; i++) {
      const t = performance.now();
      const cpu = process.cpuUsage();
      const ok = await Promise.all(firstRoom.slice(-NEWEST).map((e) => verifyEnvelope(e)));
      verifyTimes.push(performance.now() - t);
      const used = process.cpuUsage(cpu);
      verifyCpu.push((used.user + used.system) / 1000);
      if (!ok.every(Boolean)) throw new Error('a seeded envelope does not verify');
    }
    const count = store.count;
    const envelopeBytes = store.size;
    store.close();
    const fileBytes = await storeBytes(dir);
    return {
      planned,
      profile: {
        signMsPerRoom: round(signMs / names.length, 1),
        writeMsPerRoom: round(writeMs / names.length, 1),
        storeLoadNewest1000Ms: round(loadNewest),
        storeLoadAll10000Ms: round(loadAll),
        verify1000AtOnceMs: round(median(verifyTimes)),
        verify1000CpuMs: round(median(verifyCpu), 1),
      },
      disk: {
        messages: count,
        fileBytes,
        bytesPerMessage: round(fileBytes / count, 1),
        envelopeBytesPerMessage: round(envelopeBytes / count, 1),
      },
    };
  } catch (err) {
    store.close();
    throw err;
  }
}

/** One member coming back to `room`: join → the newest 1,000 reported. */
async function catchUp(
  url: string,
  identity: Awaited<ReturnType<typeof createIdentity>>,
  room: PlannedRoom,
  seen: PageSeen[],
  children: { keeper: ChildProcess; server: ChildProcess },
): Promise<CatchUpRun> {
  seen.length = 0;
  const client = await connect(url, { name: 'Returning', identity });
  const got = new Set<string>();
  let first = NaN;
  let newest = NaN;
  let others = 0;
  let allIn: () => void = () => {};
  const done = new Promise<number>((resolve) => (allIn = () => resolve(performance.now())));
  client.on('message', (m: BotMessage) => {
    const t = performance.now();
    if (!m.verified) return;
    if (Number.isNaN(first)) first = t;
    if (!room.newestIds.has(m.id)) return void others++;
    got.add(m.id);
    if (m.id === room.newestId) newest = t;
    if (got.size === NEWEST) allIn();
  });
  try {
    const before = [await usageOf(children.keeper), await usageOf(children.server)];
    const cpu = process.cpuUsage();
    const started = performance.now();
    const r = await client.join(room.name, { history: [room.held] });
    const open = performance.now();
    const all = await within(done, RUN_LIMIT_MS, `catch-up in ${room.name}`);
    const used = process.cpuUsage(cpu);
    const after = [await usageOf(children.keeper), await usageOf(children.server)];
    const refused = r.refused;
    if (r.loadRefused !== 0 || refused.forged + refused.malformed + refused.conflicts > 0) {
      throw new Error(`${room.name}: refused ${JSON.stringify(refused)}, load ${r.loadRefused}`);
    }
    return {
      room: room.name,
      open: round(open - started),
      first: round(first - started),
      newest: round(newest - started),
      all: round(all - started),
      others,
      pages: seen.length,
      firstPageIn: round((seen[0]?.at ?? NaN) - started),
      lastPageIn: round((seen.at(-1)?.at ?? NaN) - started),
      lastPageChecked: round(Math.max(...seen.map((p) => p.done)) - started),
      cpuMs: {
        member: round((used.user + used.system) / 1000, 1),
        keeper: round(after[0]!.cpuMs - before[0]!.cpuMs, 1),
        server: round(after[1]!.cpuMs - before[1]!.cpuMs, 1),
      },
    };
  } finally {
    client.close();
  }
}

/** msg/s of each contender in each shape, per store. */
type Rates = Record<'live' | 'pages', { parley: number[]; raw: number[] }>;
const emptyRates = (): Rates => ({
  live: { parley: [], raw: [] },
  pages: { parley: [], raw: [] },
});

/** Ingest into fresh SQLite stores and a flushed Redis, every shape, both contenders, rounds. */
async function ingestAll(
  work: string,
  redis: RedisProcess,
  authors: readonly Author[],
  bounds: StoreBounds,
) {
  const stamp = Date.now().toString(36);
  const sets = {
    live: await signRoom(`ingest-live-${stamp}`, authors, LIVE_MESSAGES, Date.now() - 60_000, 1000),
    pages: await signRoom(
      `ingest-pages-${stamp}`,
      authors,
      PAGED_MESSAGES,
      Date.now() - 60_000,
      1000,
    ),
  };
  const shapes = { live: LIVE, pages: PAGES };
  const sqlite = emptyRates();
  const red = emptyRates();
  const sqliteBytes: Record<'parley' | 'raw', number[]> = { parley: [], raw: [] };
  const redisBytes: number[] = [];
  const redisKeyBytes: number[] = [];
  const admin = new Redis(redis.url, { maxRetriesPerRequest: 3 });
  const usedMemory = async () =>
    Number(/used_memory:(\d+)/.exec(await admin.info('memory'))?.[1] ?? NaN);
  try {
    for (let round = 0; round < INGEST_ROUNDS; round++) {
      // Alternate who goes first, so a warmer disk or cache favours neither.
      const order = round % 2 === 0 ? (['parley', 'raw'] as const) : (['raw', 'parley'] as const);
      for (const kind of ['live', 'pages'] as const) {
        const envs = sets[kind];
        const room = envs[0]!.room;
        for (const who of order) {
          const dir = await mkdtemp(join(work, `ingest-${kind}-${who}-`));
          const sink = sqliteSink(dir, bounds);
          try {
            const ms = await ingest(sink, room, envs, shapes[kind], who === 'parley');
            sqlite[kind][who].push((envs.length / ms) * 1000);
            if (sink.store.count !== envs.length) throw new Error('sqlite: not all stored');
          } finally {
            sink.store.close();
          }
          if (kind === 'pages') sqliteBytes[who].push((await storeBytes(dir)) / envs.length);
          await rm(dir, { recursive: true, force: true });

          await admin.flushall();
          const before = await usedMemory();
          const rs = redisSink(redis.url, bounds);
          try {
            const ms = await ingest(rs, room, envs, shapes[kind], who === 'parley');
            red[kind][who].push((envs.length / ms) * 1000);
          } finally {
            rs.close();
          }
          const order = `parley:keeper:${room}:order`;
          const byId = `parley:keeper:${room}:envs`;
          if ((await admin.zcard(order)) !== envs.length) throw new Error('redis: not all copied');
          if (kind === 'pages' && who === 'parley') {
            redisBytes.push(((await usedMemory()) - before) / envs.length);
            const usage = async (key: string) =>
              Number(await admin.memory('USAGE', key, 'SAMPLES', 0));
            redisKeyBytes.push(((await usage(order)) + (await usage(byId))) / envs.length);
          }
        }
      }
    }
  } finally {
    admin.disconnect();
  }
  const summary = (r: Rates) => {
    const of = (k: 'live' | 'pages') => {
      const parley = median(r[k].parley);
      const raw = median(r[k].raw);
      return {
        parley: Math.round(parley),
        raw: Math.round(raw),
        ratio: round(parley / raw, 3),
        runs: { parley: r[k].parley.map(Math.round), raw: r[k].raw.map(Math.round) },
      };
    };
    return { live: of('live'), pages: of('pages') };
  };
  return {
    sqlite: summary(sqlite),
    redis: summary(red),
    sqliteBytesPerMessage: {
      parley: round(median(sqliteBytes.parley), 1),
      raw: round(median(sqliteBytes.raw), 1),
    },
    redisUsedMemoryPerMessage: round(median(redisBytes), 1),
    redisKeyUsagePerMessage: round(median(redisKeyBytes), 1),
    envelopeBytesPerMessage: round(
      sets.pages.reduce((n, e) => n + Buffer.byteLength(JSON.stringify(e)), 0) / PAGED_MESSAGES,
      1,
    ),
  };
}

async function run(): Promise<BenchResult> {
  const work = await mkdtemp(join(tmpdir(), 'parley-bench-keeper-'));
  const token = randomBytes(32).toString('base64url');
  const bounds = keeperConfig({ PARLEY_KEEPER_TOKEN: token }).bounds;
  const stamp = Date.now().toString(36);
  const names = Array.from({ length: WARMUP + RUNS }, (_, i) => `keeper-${stamp}-${i}`);
  let server: ServerChild | undefined;
  let keeper: KeeperChild | undefined;
  let redis: RedisProcess | undefined;
  try {
    const authors = await makeAuthors(AUTHORS);
    const storeDir = join(work, 'keeper');
    const filled = await fillStore(storeDir, names, authors, bounds);

    server = await startServerChild(token);
    const keeperStarted = performance.now();
    keeper = startKeeperChild(server.url, storeDir, {
      PARLEY_KEEPER_TOKEN: token,
      PARLEY_KEEPER_MAX_ROOMS: String(Math.max(16, names.length)),
    });
    await keeper.keepingAll(names, KEEPER_START_MS);
    const keeperStartMs = round(performance.now() - keeperStarted, 0);
    const keeperRssMiB = round((await usageOf(keeper.child)).rssMiB, 1);

    const member = await createIdentity();
    const runs: CatchUpRun[] = [];
    const seen: PageSeen[] = [];
    const unwatch = watchIntake(seen);
    try {
      for (const [i, room] of filled.planned.entries()) {
        const children = { keeper: keeper.child, server: server.child };
        const r = await catchUp(server.url, member, room, seen, children);
        if (i >= WARMUP) runs.push(r);
        // The keeper takes in the member's receipts and sees it leave before the next run.
        await sleep(300);
      }
    } finally {
      unwatch();
    }
    if (runs.some((r) => r.others !== 0)) {
      throw new Error(`messages outside the newest ${NEWEST}: ${runs.map((r) => r.others)}`);
    }
    await keeper.stop();
    keeper = undefined;
    await server.stop();
    server = undefined;

    redis = await startRedis();
    const ingested = await ingestAll(work, redis, authors, bounds);

    const all = stats(
      runs.map((r) => r.all),
      ['p95', 'min', 'max'],
    );
    const nan: Stats = { p50: NaN, p99: NaN, mean: NaN };
    return {
      ...resultHead(benchmark.name, 'none (Node client of src/node/, no browser)'),
      rounds: RUNS,
      parley: all,
      raw: nan,
      ratio: { p50: NaN, p99: NaN },
      goal: Infinity,
      goalMs: GOAL_MS,
      pass: all.p50 <= GOAL_MS,
      goalNote: `join → the newest ${NEWEST} verified, p50 ≤ ${GOAL_MS} ms (p99 of ${RUNS} runs is the slowest, reported)`,
      mainRow: `catch-up from the keeper, ms: a member returning to a room of ${ROOM_MESSAGES} kept messages, join() → the newest ${NEWEST} verified (Node client); no raw baseline`,
      catchUp: {
        runs: RUNS,
        warmup: WARMUP,
        joinToNewest1000: all,
        phasesP50: {
          open: median(runs.map((r) => r.open)),
          firstPageIn: median(runs.map((r) => r.firstPageIn)),
          firstVerified: median(runs.map((r) => r.first)),
          lastPageIn: median(runs.map((r) => r.lastPageIn)),
          lastPageChecked: median(runs.map((r) => r.lastPageChecked)),
          newestVerified: median(runs.map((r) => r.newest)),
          all: all.p50,
        },
        cpuMsP50: {
          member: median(runs.map((r) => r.cpuMs.member)),
          keeper: median(runs.map((r) => r.cpuMs.keeper)),
          server: median(runs.map((r) => r.cpuMs.server)),
        },
        messagesPerSecondP50: Math.round(NEWEST / (all.p50 / 1000)),
        keeperStartMs,
        keeperRssMiB,
        runsDetail: runs,
        scenario: {
          store: `${names.length} rooms (one per run, warm-up included) of ${ROOM_MESSAGES} signed clear envelopes from ${AUTHORS} authors, ${STEP_MS / 1000} s apart, written straight into the keeper's SQLite store with KeeperStore.put before it starts; the keeper verifies all again at its join of each room (keeperStartMs) and answers from memory`,
          member:
            'a Node client (src/node/), one identity, holding message 9,000 of the room: asks since its newest − 60 s (limit 2,000); the keeper sends 1,001 (9,000 is a repeat), newest page first',
          timed: `connect + join() → the newest ${NEWEST} reported by the client's intake (verified); server and keeper each in its own process (relay rate limit raised), the member in this one`,
        },
      },
      profile: filled.profile,
      disk: filled.disk,
      ingest: {
        liveMessages: LIVE_MESSAGES,
        pagedMessages: PAGED_MESSAGES,
        rounds: INGEST_ROUNDS,
        shapes: {
          live: 'each message checked on arrival (32 in flight), written in order, one fsynced commit (SQLite) / one copy (Redis) each',
          pages: 'pages of 100: one intake check of the page, one commit / one copy',
        },
        parley:
          "the Node client's Intake (shape, room, time, Ed25519 signature, author, repeats, budget opened wide) and the body read, then written",
        raw: 'the same envelopes written unverified to a fresh store of the same kind',
        ...ingested,
      },
    };
  } finally {
    await keeper?.stop();
    await server?.stop();
    await redis?.stop();
    await rm(work, { recursive: true, force: true });
  }
}

const ms1 = (n: number) => n.toFixed(1);

function extraRows(r: BenchResult): string[][] {
  const c = r.catchUp as {
    joinToNewest1000: Stats & { p95: number };
    phasesP50: {
      open: number;
      firstPageIn: number;
      newestVerified: number;
      lastPageIn: number;
      lastPageChecked: number;
    };
    keeperStartMs: number;
    cpuMsP50: { member: number; keeper: number; server: number };
  };
  const p = c.phasesP50;
  const cpu = c.cpuMsP50;
  const prof = r.profile as {
    verify1000AtOnceMs: number;
    verify1000CpuMs: number;
    storeLoadNewest1000Ms: number;
    storeLoadAll10000Ms: number;
  };
  const ing = r.ingest as {
    sqlite: Record<'live' | 'pages', { parley: number; raw: number; ratio: number }>;
    redis: Record<'live' | 'pages', { parley: number; raw: number; ratio: number }>;
    sqliteBytesPerMessage: { parley: number };
    redisUsedMemoryPerMessage: number;
    redisKeyUsagePerMessage: number;
    envelopeBytesPerMessage: number;
  };
  const disk = r.disk as { bytesPerMessage: number; messages: number };
  const rate = (store: 'sqlite' | 'redis', shape: 'live' | 'pages', label: string) => {
    const x = ing[store][shape];
    return [`  ingest ${label} msg/s`, `${x.parley}`, `${x.raw}`, `${x.ratio}`, 'report'];
  };
  return [
    [
      `  catch-up newest ${NEWEST} of ${ROOM_MESSAGES} (n=${r.rounds}, Node client)`,
      `${ms1(c.joinToNewest1000.p50)} / ${ms1(c.joinToNewest1000.p95)} p50/p95`,
      `open ${ms1(p.open)} · 1st page ${ms1(p.firstPageIn)} · newest ${ms1(p.newestVerified)} · last page in ${ms1(p.lastPageIn)}, checked ${ms1(p.lastPageChecked)}`,
      '-',
      `p50 <= ${GOAL_MS} ms ${verdict(Boolean(r.pass))}`,
    ],
    [
      '  catch-up CPU ms p50: member · keeper · server',
      `${cpu.member} · ${cpu.keeper} · ${cpu.server}`,
      `verify 1,000 at once ${ms1(prof.verify1000AtOnceMs)} (CPU ${prof.verify1000CpuMs}) · store read 1,000 ${ms1(prof.storeLoadNewest1000Ms)} / 10,000 ${ms1(prof.storeLoadAll10000Ms)}`,
      '-',
      'report',
    ],
    rate('sqlite', 'live', 'SQLite live'),
    rate('sqlite', 'pages', 'SQLite pages of 100'),
    rate('redis', 'live', 'Redis live'),
    rate('redis', 'pages', 'Redis pages of 100'),
    [
      '  bytes/msg: SQLite file · Redis used_memory',
      `${disk.bytesPerMessage} (${disk.messages} msgs) · ${ing.redisUsedMemoryPerMessage}`,
      `envelope JSON ${ing.envelopeBytesPerMessage}`,
      '-',
      'report',
    ],
  ];
}

/** The keeper: catch-up of the newest 1,000 of 10,000 kept, ingest per store, bytes. */
export const benchmark: Benchmark = { name: 'keeper', run, extraRows };
