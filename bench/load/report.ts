/**
 * The load benchmark's results: one {@link ContenderResult} per server setup, built from the
 * clients' report and the servers' memory, and the table rows `npm run bench` prints for them.
 */
import { verdict, type BenchResult } from '../result.js';
import { round } from '../stats.js';
import type { Memory } from './processes.js';
import type { FullStats, GroupReport } from './wire.js';

/** Largest acceptable ratios to bare Socket.IO: p99 latency, memory per idle connection. */
export const GOALS = { p99: 1.2, memory: 1.3 };

/**
 * Above this much CPU used by other programs (% of one core, in any contender's slices) the
 * machine is too busy for tail latencies to mean much: they then measure its scheduling.
 */
export const NOISY_OTHERS = 25;

/** Whether other programs kept the machine busy enough to blur the tails. */
export function noisy(c: Contenders): boolean {
  return [c.bare, c.parley, c.cluster].some((r) => r !== undefined && r.cpu.others > NOISY_OTHERS);
}

/** What one contender (one or more server processes) did under the load. */
export interface ContenderResult {
  nodes: number;
  /** Time to open and join all its clients. */
  connectMs: number;
  latency: FullStats;
  /** p99 of each consecutive block of the counted time (see `blockRatios`). */
  blockP99: number[];
  /** How late the clients process sent against schedule (its own saturation). */
  sendLag: FullStats;
  messages: { sent: number; expected: number; received: number; lost: number; duplicates: number };
  errors: Record<string, number>;
  disconnects: Record<string, number>;
  /**
   * % of one core during the contender's counted slices; `server` sums its nodes, Redis is
   * apart, `others` is every other program on the machine (beyond the benchmark's control).
   */
  cpu: {
    server: number;
    nodes: number[];
    redis?: number;
    clients: number;
    others: number;
    windowMs: number;
  };
  /** KiB; per connection = growth summed over the nodes, over the number of clients. */
  memory: {
    base: Memory[];
    idle: Memory[];
    rssPerConn: number;
    heapPerConn: number;
    rssUnderLoad: number[];
  };
}

/** Every contender; `cluster` is missing when Redis could not start (see `clusterSkipped`). */
export interface Contenders {
  bare: ContenderResult;
  parley: ContenderResult;
  cluster?: ContenderResult;
  clusterSkipped?: string;
}

/** What the bench knows about one contender's nodes (labels as in the clients' `watch`). */
export interface NodeFacts {
  labels: string[];
  /** Whether Redis carries this contender's traffic (its CPU is then reported with it). */
  redis: boolean;
  base: Memory[];
  idle: Memory[];
  rssUnderLoad: number[];
}

/** Combines a group's report with its nodes' memory. */
export function contenderResult(
  group: GroupReport,
  nodes: NodeFacts,
  connect: { clients: number; ms: number },
): ContenderResult {
  const grown = (key: 'rss' | 'heapUsed') =>
    nodes.idle.reduce((sum, m, i) => sum + m[key] - nodes.base[i]![key], 0) / connect.clients;
  const nodeCpu = nodes.labels.map((label) => group.cpu[label]!);
  return {
    nodes: nodes.labels.length,
    connectMs: connect.ms,
    latency: group.latency,
    blockP99: group.blockP99,
    sendLag: group.sendLag,
    messages: {
      sent: group.sent,
      expected: group.expected,
      received: group.received,
      lost: group.expected - group.received,
      duplicates: group.duplicates,
    },
    errors: group.errors,
    disconnects: group.disconnects,
    cpu: {
      server: round(
        nodeCpu.reduce((a, b) => a + b, 0),
        1,
      ),
      nodes: nodeCpu,
      ...(nodes.redis && group.cpu.redis !== undefined ? { redis: group.cpu.redis } : {}),
      clients: group.cpu.clients!,
      others: group.cpu.others!,
      windowMs: group.windowMs,
    },
    memory: {
      base: nodes.base,
      idle: nodes.idle,
      rssPerConn: round(grown('rss'), 2),
      heapPerConn: round(grown('heapUsed'), 2),
      rssUnderLoad: nodes.rssUnderLoad,
    },
  };
}

const f1 = (n: number) => n.toFixed(1);
const x = (a: number, b: number) => (a / b).toFixed(2);
const latency = (s: FullStats) => `${s.p50.toFixed(3)} / ${s.p99.toFixed(3)}`;
const loss = (r: ContenderResult) => `${r.messages.lost} of ${r.messages.expected}`;
const cpu = (r: ContenderResult) =>
  `${f1(r.cpu.server)}${r.cpu.redis === undefined ? '' : ` + redis ${f1(r.cpu.redis)}`}`;
const perConn = (r: ContenderResult) => {
  const settled = [...r.memory.base, ...r.memory.idle].every((m) => m.settled);
  return f1(r.memory.rssPerConn) + (settled ? '' : ' (unsettled)');
};
const spread = (sorted: number[]) =>
  [sorted[0]!, sorted[Math.floor(sorted.length / 2)]!, sorted[sorted.length - 1]!]
    .map((n) => n.toFixed(2))
    .join(' / ');
const blockSeconds = (r: BenchResult) => {
  const { measureMs, blocks } = r.settings as { measureMs: number; blocks: number };
  return measureMs / blocks / 1000;
};
const trouble = (r: ContenderResult) => {
  const count = (o: Record<string, number>) => Object.values(o).reduce((a, b) => a + b, 0);
  return `${count(r.errors)} / ${count(r.disconnects)} / ${r.messages.duplicates}`;
};

/**
 * parley/bare p99 per block of the counted time, sorted: the spread shows how much of a p99
 * ratio is the machine's noise (a stall lands in one contender's slice) rather than the relay.
 */
export function blockRatios(c: Contenders): number[] {
  return c.parley.blockP99.map((p, i) => round(p / c.bare.blockP99[i]!, 2)).sort((a, b) => a - b);
}

/** Rows under the main one: loss, memory, CPU, noise, then the two-node cluster. */
export function extraRows(r: BenchResult): string[][] {
  const { bare, parley, cluster, clusterSkipped } = r.contenders as Contenders;
  const passes = r.passes as { loss: boolean; memory: boolean };
  const rows = [
    [
      `  p99 ratio by ${blockSeconds(r)} s block (min/med/max)`,
      '',
      '',
      spread(blockRatios(r.contenders as Contenders)),
      'report',
    ],
    ['  loss (lost of expected)', loss(parley), loss(bare), '-', `0 ${verdict(passes.loss)}`],
    [
      '  memory/idle conn (KiB RSS)',
      perConn(parley),
      perConn(bare),
      x(parley.memory.rssPerConn, bare.memory.rssPerConn),
      `<= ${GOALS.memory} ${verdict(passes.memory)}`,
    ],
    [
      '  heap/idle conn (KiB)',
      f1(parley.memory.heapPerConn),
      f1(bare.memory.heapPerConn),
      x(parley.memory.heapPerConn, bare.memory.heapPerConn),
      'report',
    ],
    [
      '  server CPU (% of a core)',
      cpu(parley),
      cpu(bare),
      x(parley.cpu.server, bare.cpu.server),
      'report',
    ],
    [
      '  clients CPU % / send lag p99 (ms)',
      `${f1(parley.cpu.clients)} / ${parley.sendLag.p99}`,
      `${f1(bare.cpu.clients)} / ${bare.sendLag.p99}`,
      '-',
      'report',
    ],
    [
      '  other programs CPU % (noise)',
      f1(parley.cpu.others),
      f1(bare.cpu.others),
      '-',
      noisy(r.contenders as Contenders) ? 'NOISY: p99 unreliable' : `<= ${NOISY_OTHERS} quiet`,
    ],
    ['  errors / disconnects / dups', trouble(parley), trouble(bare), '-', 'report'],
  ];
  if (!cluster) return [...rows, ['  2 nodes + redis', `skipped: ${clusterSkipped}`]];
  return [
    ...rows,
    [
      '  2 nodes + redis p50/p99 (ms)',
      latency(cluster.latency),
      latency(bare.latency),
      `${x(cluster.latency.p50, bare.latency.p50)} / ${x(cluster.latency.p99, bare.latency.p99)}`,
      'report',
    ],
    [
      '  2 nodes: loss · CPU % (both) · KiB/conn',
      `${loss(cluster)} · ${cpu(cluster)} · ${perConn(cluster)}`,
      '',
      '',
      `0 loss ${verdict(cluster.messages.lost === 0)}`,
    ],
    [
      '  2 nodes: errors/disc./dups · others CPU %',
      `${trouble(cluster)} · ${f1(cluster.cpu.others)}`,
      '',
      '-',
      'report',
    ],
  ];
}
