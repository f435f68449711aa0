/**
 * Holding under abuse (issue 14): Parley's built server (`dist-server/server.js`, default
 * limits) under (a) 10 paused readers (blind `3` pongs, reading nothing) while 5 senders flood
 * their room within their rate, (b) a join storm (one connection re-joining its room as often as
 * its rate allows; the relay refuses re-joins within 3 s as 'rate-limited'), (c) 500 connections
 * from one address (all loopback; the cap `PARLEY_MAX_CONN_PER_IP` is 32), each against a fresh
 * server of the same kind with no abuse in the same run (the quiet baseline). In every phase two
 * honest clients in their own room echo messages through the relay; their round trip is timed.
 *
 * Reported per scenario: server RSS (peak and end, from `/proc`) and CPU (% of one core), quiet
 * vs abused, and the honest round trip p50/p99. Goals: RSS growth under abuse ≤ 50 MiB over the
 * quiet run, the honest p99 ≤ 1.5× the quiet run's. Loopback only, every loop bounded by its
 * phase, every process stopped by PID.
 */
import WebSocket from 'ws';
import { envelope, provenJoin } from '../test/signaling/helpers.js';
import type { ProvenJoinRequest } from '../test/support/identity.js';
import { freePort, spawnServer, type ServerProcess } from '../test/support/processes.js';
import { cpuMs, rssKiB } from './load/procfs.js';
import { resultHead, verdict, type Benchmark, type BenchResult } from './result.js';
import { round, stats, type Stats } from './stats.js';

const PHASE_MS = 6000;
/** Honest echo: one round trip started every this many ms (10/s, within the default 20/s). */
const ECHO_EVERY_MS = 100;
const RSS_GOAL_MIB = 50;
const P99_GOAL = 1.5;
const PAUSED = 10;
const SENDERS = 5;
const FLOOD_TEXT = 16 * 1024;
/** Senders' pace: under the default 20 events/s so none is slowed or dropped for its rate. */
const FLOOD_EVERY_MS = 60;
/** Join storm: one re-join every this many ms (8/s, within the default 20/s). */
const STORM_EVERY_MS = 125;
const CONN_ATTEMPTS = 500;
const CONN_BATCH = 50;
const DEADLINE_MS = 2 * 60_000;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A raw engine.io/Socket.IO client over `ws` (as in `test/signaling/slow-reader.test.ts`). */
class Raw {
  ws!: WebSocket;
  sid = '';
  selfId = '';
  closed = false;
  refused = false;
  acks = new Map<number, (args: unknown[]) => void>();
  onEvent: (from: string, event: string, args: unknown[]) => void = () => {};
  private nextAck = 1;

  /** Connects; resolves false when the server refuses the handshake. */
  connect(port: number): Promise<boolean> {
    const ws = new WebSocket(`ws://127.0.0.1:${port}/socket.io/?EIO=4&transport=websocket`);
    this.ws = ws;
    ws.on('close', () => (this.closed = true));
    return new Promise<boolean>((resolve) => {
      const timer = setTimeout(() => resolve(false), 5000);
      const fail = () => {
        this.refused = true;
        clearTimeout(timer);
        resolve(false);
      };
      ws.on('error', fail);
      ws.on('unexpected-response', (req) => {
        req.destroy();
        fail();
      });
      ws.on('message', (data) => {
        const text = String(data);
        if (text.startsWith('0{')) ws.send('40');
        else if (text === '2') ws.send('3');
        else if (text.startsWith('40{')) {
          this.sid = (JSON.parse(text.slice(2)) as { sid: string }).sid;
          clearTimeout(timer);
          resolve(true);
        } else if (text.startsWith('43')) {
          const m = /^43(\d+)(.*)$/s.exec(text);
          if (!m) return;
          const ack = this.acks.get(Number(m[1]));
          this.acks.delete(Number(m[1]));
          ack?.(JSON.parse(m[2]!) as unknown[]);
        } else if (text.startsWith('42["relay:event"')) {
          const [, from, event, args] = JSON.parse(text.slice(2)) as [
            string,
            string,
            string,
            unknown[],
          ];
          this.onEvent(from, event, args);
        }
      });
    });
  }

  /** Sends `frame` (an event array) with an ack; resolves with the ack's arguments. */
  call(frame: unknown[], ms = 5000): Promise<unknown[]> {
    const id = this.nextAck++;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.acks.delete(id);
        reject(new Error('no ack'));
      }, ms);
      this.acks.set(id, (args) => {
        clearTimeout(timer);
        resolve(args);
      });
      this.ws.send(`42${id}${JSON.stringify(frame)}`);
    });
  }

  send(frame: unknown[]): void {
    if (this.ws.readyState === WebSocket.OPEN) this.ws.send(`42${JSON.stringify(frame)}`);
  }

  async join(room: string, name: string): Promise<ProvenJoinRequest> {
    const request = await provenJoin({ id: this.sid }, room, name);
    const [reply] = (await this.call(['relay:join', request])) as [
      { ok: boolean; selfId: string; error?: { code: string } },
    ];
    if (!reply.ok) throw new Error(`${name} could not join ${room}: ${reply.error?.code}`);
    this.selfId = reply.selfId;
    return request;
  }

  close(): void {
    this.ws?.terminate();
  }
}

/** Two honest members of their own room; Alice times round trips through Bob. */
async function honestPair(port: number, clients: Raw[]) {
  const alice = new Raw();
  const bob = new Raw();
  clients.push(alice, bob);
  for (const c of [alice, bob]) if (!(await c.connect(port))) throw new Error('honest refused');
  await alice.join('honest', 'Alice');
  await bob.join('honest', 'Bob');
  bob.onEvent = (from, event, args) => bob.send(['relay:to', from, event, args]);
  const sent = new Map<string, number>();
  const samples: number[] = [];
  let recording = false;
  alice.onEvent = (_from, _event, args) => {
    const id = (args[0] as { body?: { text?: string } })?.body?.text ?? '';
    const at = sent.get(id);
    if (at === undefined) return;
    sent.delete(id);
    if (recording) samples.push(performance.now() - at);
  };
  let n = 0;
  const timer = setInterval(() => {
    const id = `echo-${n++}`;
    sent.set(id, performance.now());
    alice.send(['relay:to', bob.selfId, 'chat:message', [envelope('honest', id)]]);
  }, ECHO_EVERY_MS);
  return {
    start: () => ((recording = true), samples.splice(0)),
    stop: () => {
      clearInterval(timer);
      recording = false;
      return { samples: samples.slice(), lost: sent.size };
    },
  };
}

type Scenario = 'paused' | 'storm' | 'conns';

/**
 * The abuse of one scenario: its clients are set up first (their proofs are signed in this
 * process, which also times the honest pair), then `begin()` starts the measured phase and
 * tells when it ends; returns what the abuse did.
 */
async function abuse(
  kind: Scenario,
  port: number,
  clients: Raw[],
  begin: () => number,
): Promise<Record<string, number>> {
  if (kind === 'paused') {
    const readers: Raw[] = [];
    for (let i = 0; i < PAUSED; i++) {
      const r = new Raw();
      clients.push(r);
      await r.connect(port);
      await r.join('flood', `Paused ${i}`);
      readers.push(r);
    }
    const senders: Raw[] = [];
    for (let i = 0; i < SENDERS; i++) {
      const s = new Raw();
      clients.push(s);
      await s.connect(port);
      await s.join('flood', `Sender ${i}`);
      senders.push(s);
    }
    const pongs = setInterval(() => {
      for (const r of readers) if (r.ws.readyState === WebSocket.OPEN) r.ws.send('3');
    }, 500);
    for (const r of readers) (r.ws as unknown as { _socket: { pause(): void } })._socket.pause();
    const until = begin();
    let sent = 0;
    const text = 'x'.repeat(FLOOD_TEXT);
    while (Date.now() < until) {
      for (const s of senders) {
        s.send(['relay:emit', 'flood', 'chat:message', [envelope('flood', text)]]);
        sent++;
      }
      await sleep(FLOOD_EVERY_MS);
    }
    clearInterval(pongs);
    return {
      sent,
      sentMiB: round((sent * FLOOD_TEXT) / 2 ** 20, 1),
      sendersDropped: senders.filter((s) => s.closed).length,
    };
  }
  if (kind === 'storm') {
    const s = new Raw();
    clients.push(s);
    await s.connect(port);
    const request = await s.join('storm', 'Stormer');
    const until = begin();
    let accepted = 0;
    let limited = 0;
    let other = 0;
    while (Date.now() < until && !s.closed) {
      const [reply] = (await s.call(['relay:join', request]).catch(() => [undefined])) as [
        { ok: boolean; error?: { code: string } } | undefined,
      ];
      if (reply?.ok) accepted++;
      else if (reply?.error?.code === 'rate-limited') limited++;
      else other++;
      await sleep(STORM_EVERY_MS);
    }
    return { joins: accepted + limited + other, accepted, limited, other, dropped: +s.closed };
  }
  const until = begin();
  let opened = 0;
  let refused = 0;
  for (let i = 0; i < CONN_ATTEMPTS && Date.now() < until; i += CONN_BATCH) {
    const batch = Array.from({ length: Math.min(CONN_BATCH, CONN_ATTEMPTS - i) }, () => {
      const c = new Raw();
      clients.push(c);
      return c.connect(port).then((ok) => (ok ? opened++ : refused++));
    });
    await Promise.all(batch);
  }
  await sleep(Math.max(0, until - Date.now()));
  return { attempts: opened + refused, opened, refused };
}

interface Phase {
  rssStartMiB: number;
  rssPeakMiB: number;
  rssEndMiB: number;
  cpuPct: number;
  rtt: Stats;
  samples: number;
  lost: number;
  abuse?: Record<string, number>;
}

/** One phase on a fresh server: honest echo for PHASE_MS, with `kind`'s abuse or none. */
async function phase(kind: Scenario | 'quiet', servers: ServerProcess[]): Promise<Phase> {
  const server = await spawnServer(await freePort(), { PARLEY_STATIC_DIR: '/nonexistent' });
  servers.push(server);
  const pid = server.child.pid!;
  const clients: Raw[] = [];
  const mib = () => round(rssKiB(pid) / 1024, 1);
  try {
    const pair = await honestPair(server.port, clients);
    await sleep(1000); // warm-up
    const rssStartMiB = mib();
    let rssPeakMiB = rssStartMiB;
    const sampler = setInterval(() => (rssPeakMiB = Math.max(rssPeakMiB, mib())), 50);
    let cpu0 = 0;
    let t0 = 0;
    let until = 0;
    const begin = () => {
      cpu0 = cpuMs(pid);
      t0 = performance.now();
      pair.start();
      return (until = Date.now() + PHASE_MS);
    };
    const did =
      kind === 'quiet' ? (begin(), undefined) : await abuse(kind, server.port, clients, begin);
    await sleep(Math.max(0, until - Date.now()));
    const { samples, lost } = pair.stop();
    const cpuPct = round(((cpuMs(pid) - cpu0) / (performance.now() - t0)) * 100, 1);
    clearInterval(sampler);
    const rssEndMiB = mib();
    return {
      rssStartMiB,
      rssPeakMiB,
      rssEndMiB,
      cpuPct,
      rtt: stats(samples),
      samples: samples.length,
      lost,
      ...(did ? { abuse: did } : {}),
    };
  } finally {
    clients.forEach((c) => c.close());
    await server.kill('SIGKILL');
  }
}

interface ScenarioResult {
  quiet: Phase;
  abused: Phase;
  rssGrowthMiB: number;
  p99Ratio: number;
  pass: boolean;
}

const SCENARIOS: Array<[Scenario, string]> = [
  ['paused', `${PAUSED} paused readers, ${SENDERS} senders`],
  ['storm', 'join storm'],
  ['conns', `${CONN_ATTEMPTS} conns from one address`],
];

async function measure(servers: ServerProcess[]): Promise<Record<Scenario, ScenarioResult>> {
  const out: Partial<Record<Scenario, ScenarioResult>> = {};
  for (const [kind, label] of SCENARIOS) {
    console.error(`bench: abuse: ${label}: quiet…`);
    const quiet = await phase('quiet', servers);
    console.error(`bench: abuse: ${label}: abused…`);
    const abused = await phase(kind, servers);
    const rssGrowthMiB = round(abused.rssPeakMiB - quiet.rssPeakMiB, 1);
    const p99Ratio = round(abused.rtt.p99 / quiet.rtt.p99);
    const pass = rssGrowthMiB <= RSS_GOAL_MIB && p99Ratio <= P99_GOAL && abused.lost === 0;
    out[kind] = { quiet, abused, rssGrowthMiB, p99Ratio, pass };
  }
  return out as Record<Scenario, ScenarioResult>;
}

async function run(): Promise<BenchResult> {
  const servers: ServerProcess[] = [];
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`bench: abuse took over ${DEADLINE_MS / 1000} s`)),
      DEADLINE_MS,
    );
  });
  let scenarios: Record<Scenario, ScenarioResult>;
  try {
    scenarios = await Promise.race([measure(servers), late]);
  } finally {
    clearTimeout(timer);
    await Promise.all(servers.map((s) => s.kill('SIGKILL')));
  }
  // The headline: the worst scenario's honest p99 against its quiet run.
  const worst = Object.values(scenarios).reduce((a, b) => (b.p99Ratio > a.p99Ratio ? b : a));
  const pass = Object.values(scenarios).every((s) => s.pass);
  return {
    ...resultHead('abuse', 'none (no browser)'),
    rounds: worst.abused.samples,
    parley: worst.abused.rtt,
    raw: worst.quiet.rtt,
    ratio: { p50: round(worst.abused.rtt.p50 / worst.quiet.rtt.p50), p99: worst.p99Ratio },
    goal: P99_GOAL,
    pass,
    goals: { rssGrowthMiB: RSS_GOAL_MIB, p99Ratio: P99_GOAL, lost: 0 },
    settings: {
      phaseMs: PHASE_MS,
      echoEveryMs: ECHO_EVERY_MS,
      floodTextBytes: FLOOD_TEXT,
      floodEveryMs: FLOOD_EVERY_MS,
      stormEveryMs: STORM_EVERY_MS,
      connAttempts: CONN_ATTEMPTS,
    },
    scenarios,
  };
}

export const benchmark: Benchmark = {
  name: 'abuse',
  run,
  extraRows(r) {
    const s = r.scenarios as Record<Scenario, ScenarioResult>;
    const ms = (n: number) => n.toFixed(3);
    return SCENARIOS.map(([kind, label]) => {
      const x = s[kind];
      return [
        `  ${label}`,
        `${ms(x.abused.rtt.p50)} / ${ms(x.abused.rtt.p99)}; RSS ${x.abused.rssPeakMiB} MiB, CPU ${x.abused.cpuPct} %`,
        `${ms(x.quiet.rtt.p50)} / ${ms(x.quiet.rtt.p99)}; RSS ${x.quiet.rssPeakMiB} MiB, CPU ${x.quiet.cpuPct} %`,
        `p99 ${x.p99Ratio.toFixed(2)}, RSS +${x.rssGrowthMiB} MiB`,
        verdict(x.pass),
      ];
    });
  },
};
