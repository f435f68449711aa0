/**
 * `npm run bench -- bot`: one Node client (`parley/node`, a bot) receiving a room's messages
 * from 50 browser-free senders, against a raw `socket.io-client` reading the same frames
 * unverified.
 *
 * Per run (a fresh room each): the server is its own process (the built bundle), the 50
 * senders another (`bot-senders.ts`: raw clients, proven joins, 40 messages each signed
 * beforehand — 2,000 messages, each sender within the relay's burst). The receiver joins in
 * this process, the senders join, then all send at once. Timed from the send order to the
 * receiver holding all 2,000: for the bot, each message checked by the intake (shape, room,
 * time, Ed25519 signature, author, repeats, budget), stored in its history, reported as a
 * `message` event and acknowledged to its sender; for the raw client, each `chat:message`
 * frame counted. Measured: messages per second and this process's CPU time (user + system)
 * per message. Runs alternate raw and bot, so machine noise lands on both alike.
 *
 * The table's p50/p99 are CPU µs per message; `messagesPerSecond` and its ratio are in the
 * JSON. This benchmark reports; it sets no goal.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { io } from 'socket.io-client';
import { createIdentity, signerOf } from '../src/protocol/identity.js';
import { connect } from '../src/node/index.js';
import { freePort, spawnServer, stopChild } from '../test/support/processes.js';
import { provenJoin } from '../test/support/identity.js';
import { resultHead, type Benchmark, type BenchResult } from './result.js';
import { round, stats } from './stats.js';
import type { SendersPlan } from './bot-senders.js';

const SENDERS = 50;
const PER_SENDER = 40;
const TOTAL = SENDERS * PER_SENDER;
/** Counted runs per receiver, after one uncounted warm-up run each. */
const RUNS = 5;
const WARMUP = 1;
/** Longest a run may take before it is given up (a hang bound). */
const RUN_LIMIT_MS = 60_000;

interface Sample {
  perSecond: number;
  cpuUsPerMessage: number;
}

/** Sends `msg` to the senders' process and waits for the reply that starts with `want`. */
function ask(child: ChildProcess, msg: object, want: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const on = (reply: unknown) => {
      if (typeof reply !== 'string') return;
      child.off('message', on);
      if (reply.startsWith(want)) resolve();
      else reject(new Error(`senders: ${reply}`));
    };
    child.on('message', on);
    child.send(msg);
  });
}

/** Resolves when `count()` reaches `n`, checked at each `tick`; rejects after the run limit. */
function reach(subscribe: (tick: () => void) => () => void, count: () => number, n: number) {
  return new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => {
      off();
      reject(new Error(`only ${count()} of ${n} messages arrived`));
    }, RUN_LIMIT_MS);
    const off = subscribe(() => {
      if (count() < n) return;
      clearTimeout(timer);
      off();
      resolve();
    });
  });
}

/** One run: the receiver joins `room`, the senders join and send; returns what was measured. */
async function runOnce(url: string, room: string, kind: 'bot' | 'raw'): Promise<Sample> {
  const senders = fork(fileURLToPath(new URL('./bot-senders.ts', import.meta.url)), {
    execArgv: ['--import', 'tsx'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  let received = 0;
  const ticks = new Set<() => void>();
  const tick = () => ticks.forEach((t) => t());
  const subscribe = (t: () => void) => (ticks.add(t), () => void ticks.delete(t));
  let close = () => {};
  try {
    if (kind === 'bot') {
      const client = await connect(url, { name: 'bench bot', identity: await createIdentity() });
      const r = await client.join(room);
      r.on('message', () => {
        received++;
        tick();
      });
      close = () => client.close();
    } else {
      const socket = io(url, { transports: ['websocket'], forceNew: true, reconnection: false });
      await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
      const req = await provenJoin(socket, room, 'raw reader', signerOf(await createIdentity()));
      await socket.timeout(10_000).emitWithAck('relay:join', req);
      socket.on('relay:event', (_from: string, ev: string) => {
        if (ev !== 'chat:message') return;
        received++;
        tick();
      });
      close = () => void socket.disconnect();
    }
    const plan: SendersPlan = { url, room, senders: SENDERS, perSender: PER_SENDER };
    await ask(senders, { go: plan }, 'ready');
    const cpu = process.cpuUsage();
    const started = performance.now();
    const all = reach(subscribe, () => received, TOTAL);
    await ask(senders, { send: true }, 'sent');
    await all;
    const ms = performance.now() - started;
    const used = process.cpuUsage(cpu);
    return {
      perSecond: (TOTAL / ms) * 1000,
      cpuUsPerMessage: (used.user + used.system) / TOTAL,
    };
  } finally {
    close();
    senders.send({ stop: true });
    await stopChild(senders, 'SIGKILL', 5000);
  }
}

export const benchmark: Benchmark = {
  name: 'bot',
  async run(): Promise<BenchResult> {
    // 52 connections from one address (50 senders, a receiver, spare): over the default per-IP cap.
    const server = await spawnServer(await freePort(), { PARLEY_MAX_CONN_PER_IP: '200' });
    const samples: Record<'bot' | 'raw', Sample[]> = { bot: [], raw: [] };
    try {
      for (let i = 0; i < WARMUP + RUNS; i++) {
        const order: Array<'bot' | 'raw'> = i % 2 ? ['bot', 'raw'] : ['raw', 'bot'];
        for (const kind of order) {
          const s = await runOnce(server.url, `bench-bot-${kind}-${i}`, kind);
          if (i >= WARMUP) samples[kind].push(s);
          console.error(
            `bench: bot run ${i} ${kind}: ${Math.round(s.perSecond)} msg/s, ${s.cpuUsPerMessage.toFixed(1)} µs CPU/msg`,
          );
        }
      }
    } finally {
      await server.kill();
    }
    const cpu = (k: 'bot' | 'raw') => stats(samples[k].map((s) => s.cpuUsPerMessage));
    const rate = (k: 'bot' | 'raw') => stats(samples[k].map((s) => s.perSecond));
    const parley = cpu('bot');
    const raw = cpu('raw');
    const botRate = rate('bot');
    const rawRate = rate('raw');
    return {
      ...resultHead('bot', 'none (Node clients only)'),
      rounds: RUNS,
      parley,
      raw,
      ratio: { p50: round(parley.p50 / raw.p50, 2), p99: round(parley.p99 / raw.p99, 2) },
      goal: Infinity,
      pass: true,
      unit: 'CPU µs per message in the receiving process (user + system)',
      senders: SENDERS,
      messagesPerRun: TOTAL,
      messagesPerSecond: {
        bot: botRate,
        raw: rawRate,
        ratio: round(botRate.p50 / rawRate.p50, 3),
      },
      note: 'bot: verified (Intake: shape, signature, author, repeats, budget), held, reported, acknowledged; raw: frames counted unverified',
    };
  },
  extraRows: (r) => {
    const m = r.messagesPerSecond as { bot: { p50: number }; raw: { p50: number }; ratio: number };
    return [
      [
        'bot msg/s (p50)',
        `${Math.round(m.bot.p50)}`,
        `${Math.round(m.raw.p50)}`,
        `${m.ratio}`,
        'report',
      ],
    ];
  },
};
