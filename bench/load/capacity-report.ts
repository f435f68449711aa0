/**
 * The capacity benchmark's results: what each contender did at each point of the curve, where
 * each fell over, and the table rows `npm run bench` prints for them.
 */
import { verdict, type BenchResult } from '../result.js';
import { round } from '../stats.js';
import type { GroupTotals } from './capacity-wire.js';
import type { Memory } from './processes.js';
import type { FullStats } from './wire.js';

/** Goals at every point: Parley's p99 within this much of bare's, and nothing lost. */
export const GOALS = { p99: 1.2, loss: 0 };
/**
 * Above this much CPU used by other programs (% of one core, during a contender's slices) the
 * machine is too busy for tail latencies to mean much: they then measure its scheduling.
 */
export const NOISY_OTHERS = 25;
/** A p99 past this means the server no longer keeps up with the load (it only queues). */
export const OVERLOAD_P99_MS = 1000;

/** The contenders, in group order (group i of the clients is `CONTENDERS[i]`). */
export const CONTENDERS = ['bare', 'parley'] as const;
/** One of them. */
export type Contender = (typeof CONTENDERS)[number];

/** What one contender did at one point; `down` says why it did not (or no longer) stand. */
export interface Side {
  /** Joined connections it held when loaded (or when it fell). */
  connected: number;
  /** Time to open and join this point's new connections. */
  connectMs: number;
  /** CPU ms its server, and all client processes together, spent per new connection. */
  connectCpuMsPerConn?: { server: number; clients: number };
  down?: string;
  messages?: Omit<GroupTotals, 'latency' | 'sendLag'>;
  latency?: FullStats;
  /** How late the clients sent against schedule (their own saturation), ms. */
  sendLag?: FullStats;
  /**
   * % of one core during the contender's counted slices: its server, all client processes
   * together, every other program on the machine (beyond the benchmark's control).
   */
  cpu?: { server: number; clients: number; others: number; windowMs: number };
  /** KiB; per connection = (idle RSS after a full GC − the fresh server's) / connections. */
  memory?: { idle: Memory; rssPerConn: number; heapPerConn: number; rssUnderLoad: number };
}

/** One point of the curve. */
export interface Point {
  clients: number;
  rooms: number;
  bare: Side;
  parley: Side;
  /** RSS of each client process at the end of the sending, KiB. */
  clientsRssKiB: number[];
  /** parley / bare, when both were loaded. */
  ratio?: { p50: number; p99: number };
}

/** Whether a side was loaded and lost nothing, kept up and held its connections. */
export function stands(s: Side): boolean {
  return (
    s.down === undefined &&
    s.messages !== undefined &&
    s.messages.lost === 0 &&
    s.latency !== undefined &&
    s.latency.p99 <= OVERLOAD_P99_MS
  );
}

/** Where a contender falls over: the first point it did not stand, and why. */
export function fallsOver(curve: Point[], who: Contender): string {
  for (const p of curve) {
    const s = p[who];
    if (stands(s)) continue;
    const at = `at ${n0(p.clients)}`;
    // A tail measured on a machine other programs kept busy is their scheduling as much as ours.
    const busy =
      s.cpu && s.cpu.others > NOISY_OTHERS
        ? ` (machine busy: other programs used ${f1(s.cpu.others)}% of a core)`
        : '';
    if (s.down?.startsWith('not grown')) {
      const before = curve[curve.indexOf(p) - 1];
      return `not measured ${at} (${s.down}); stood up to ${before ? n0(before.clients) : 'none'}`;
    }
    if (s.down !== undefined) return `${at}: ${s.down}`;
    if (s.messages && s.messages.lost > 0) {
      return `${at}: lost ${n0(s.messages.lost)} of ${n0(s.messages.expected)} deliveries${busy}`;
    }
    return `${at}: p99 ${s.latency?.p99} ms, over ${OVERLOAD_P99_MS} ms: not keeping up${busy}`;
  }
  const last = curve[curve.length - 1];
  return last ? `stood up to ${n0(last.clients)} (the largest point run)` : 'no point run';
}

/** Builds a side from a run's totals, its CPU and its memory. */
export function loadedSide(
  base: Pick<Side, 'connected' | 'connectMs' | 'connectCpuMsPerConn'>,
  totals: GroupTotals,
  cpu: { server: number; clients: number; others: number; windowMs: number },
  memory: Side['memory'],
): Side {
  const { latency, sendLag, ...messages } = totals;
  return { ...base, messages, latency, sendLag, cpu, ...(memory ? { memory } : {}) };
}

/** Memory per connection of a server: `idle` against `fresh`, over `connected`. */
export function memoryOf(fresh: Memory, idle: Memory, connected: number, underLoad: number) {
  return {
    idle,
    rssPerConn: round((idle.rss - fresh.rss) / connected, 2),
    heapPerConn: round((idle.heapUsed - fresh.heapUsed) / connected, 2),
    rssUnderLoad: underLoad,
  };
}

const f1 = (n: number) => n.toFixed(1);
const n0 = (n: number) => n.toLocaleString('en');
const latency = (s: FullStats) => `${s.p50.toFixed(3)} / ${s.p99.toFixed(3)}`;
const loss = (s: Side) =>
  s.messages ? `${n0(s.messages.lost)} of ${n0(s.messages.expected)}` : '-';
const perConn = (s: Side) => {
  if (!s.memory) return '-';
  const settled = s.memory.idle.settled ? '' : ' (unsettled)';
  return `${f1(s.memory.rssPerConn)}${settled}`;
};
const trouble = (s: Side) => {
  if (!s.messages) return '-';
  const count = (o: Record<string, number>) => Object.values(o).reduce((a, b) => a + b, 0);
  return `${count(s.messages.errors)}/${count(s.messages.disconnects)}/${s.messages.duplicates}`;
};

/** The rows of one point: latency against the goal, then loss/CPU/memory, then the clients. */
function pointRows(p: Point): string[][] {
  const label = `  ${n0(p.clients)} conns`;
  const { bare, parley } = p;
  const both = !bare.down && !parley.down && bare.latency && parley.latency && p.ratio;
  if (!both) {
    const shown = (s: Side) =>
      s.down ? `fell over: ${s.down}` : s.latency ? latency(s.latency) : '-';
    return [[`${label} p50/p99 (ms)`, shown(parley), shown(bare), '-', 'MISSED (not both)']];
  }
  const pass = p.ratio!.p99 <= GOALS.p99 && stands(parley);
  const cpuOf = (s: Side) => (s.cpu ? f1(s.cpu.server) : '-');
  return [
    [
      `${label} p50/p99 (ms)`,
      latency(parley.latency!),
      latency(bare.latency!),
      `${p.ratio!.p50.toFixed(2)} / ${p.ratio!.p99.toFixed(2)}`,
      `<= ${GOALS.p99}, 0 loss ${verdict(pass)}`,
    ],
    [
      `    loss · server CPU % · KiB RSS/conn`,
      `${loss(parley)} · ${cpuOf(parley)} · ${perConn(parley)}`,
      `${loss(bare)} · ${cpuOf(bare)} · ${perConn(bare)}`,
      `- · ${(parley.cpu!.server / bare.cpu!.server).toFixed(2)} · ${(
        parley.memory!.rssPerConn / bare.memory!.rssPerConn
      ).toFixed(2)}`,
      'report',
    ],
    [
      `    clients CPU % · lag p99 ms · others % · err/disc/dup`,
      `${f1(parley.cpu!.clients)} · ${parley.sendLag!.p99} · ${f1(parley.cpu!.others)} · ${trouble(parley)}`,
      `${f1(bare.cpu!.clients)} · ${bare.sendLag!.p99} · ${f1(bare.cpu!.others)} · ${trouble(bare)}`,
      '-',
      [parley, bare].some((s) => s.cpu!.others > NOISY_OTHERS) ? 'NOISY: p99 unreliable' : 'report',
    ],
  ];
}

/** Rows under the main one: every point of the curve, then where each contender fell over. */
export function extraRows(r: BenchResult): string[][] {
  const curve = r.curve as Point[];
  const fell = r.fellOver as Record<Contender, string>;
  const skipped = (r.skipped as Array<{ clients: number; why: string }>).map((p) => [
    `  ${n0(p.clients)} conns`,
    `not run: ${p.why}`,
    '',
    '-',
    'MISSED (not run)',
  ]);
  return [
    ...curve.flatMap(pointRows),
    ...skipped,
    ['  Parley falls over', fell.parley],
    ['  bare socket.io falls over', fell.bare],
  ];
}
