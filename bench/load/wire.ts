/**
 * What `bench/load.ts` and its clients process (`bench/load/clients.ts`) say to each other over
 * Node's IPC channel, one request and one reply at a time, plus the statistics both sides use.
 */
import type { Stats } from '../run.js';

/** Open `clients` connections spread over `urls` and join each to one of `rooms` rooms. */
export interface ConnectCommand {
  type: 'connect';
  /** Server URLs; client `i` uses `urls[i % urls.length]`, so every room spans all of them. */
  urls: string[];
  clients: number;
  rooms: number;
  /** Connections opened at once (the next batch starts when this one has joined). */
  batch: number;
}

/** Send chat messages at a steady rate, then report what arrived and when. */
export interface LoadCommand {
  type: 'load';
  /** Messages per second in each room (spread evenly over its members). */
  perRoomRate: number;
  /** Uncounted sending first (JIT, buffers). */
  warmupMs: number;
  /** Counted sending. */
  measureMs: number;
  /** Longest wait for the counted messages' deliveries after the last send. */
  drainMs: number;
  /** Processes whose CPU time and RSS are read at the edges of the counted window, by label. */
  watch: Record<string, number>;
}

/** Disconnect everyone and exit. */
export interface CloseCommand {
  type: 'close';
}

/** A request from the bench to the clients process. */
export type Command = ConnectCommand | LoadCommand | CloseCommand;

/** All clients are connected and joined. */
export interface ConnectedReply {
  type: 'connected';
  clients: number;
  /** Time to open and join them all. */
  ms: number;
}

/** Statistics of one set of samples, in ms. */
export type FullStats = Stats & { max: number };

/** What the counted window produced. */
export interface LoadReply {
  type: 'loaded';
  /** Counted messages sent. */
  sent: number;
  /** Deliveries they should make (each reaches every other member of its room). */
  expected: number;
  /** Deliveries that arrived before the drain ended (duplicates not counted). */
  received: number;
  duplicates: number;
  /** Send-to-delivery time of every counted delivery. */
  latency: FullStats;
  /** How late sends left against their schedule (the clients process falling behind). */
  sendLag: FullStats;
  /** `relay:error` frames received, by code. */
  errors: Record<string, number>;
  /** Connections lost during the run, by reason. */
  disconnects: Record<string, number>;
  /** Length of the counted window. */
  windowMs: number;
  /** CPU used in the counted window, % of one core, per watched label (and `clients`). */
  cpu: Record<string, number>;
  /** RSS at the end of the counted window, KiB, per watched label (and `clients`). */
  rssKiB: Record<string, number>;
}

/** Everyone disconnected; the process exits next. */
export interface ClosedReply {
  type: 'closed';
}

/** A command failed; the process exits next. */
export interface FailedReply {
  type: 'failed';
  error: string;
}

/** A reply from the clients process. */
export type Reply = ConnectedReply | LoadReply | ClosedReply | FailedReply;

const round3 = (n: number) => Math.round(n * 1000) / 1000;

/** Nearest-rank percentile of sorted samples. */
function percentile(sorted: ArrayLike<number>, p: number): number {
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[Math.min(rank, sorted.length) - 1]!;
}

/** p50, p99, mean and max of `samples` rounded to the µs; NaN for no samples. */
export function fullStats(samples: ArrayLike<number>): FullStats {
  if (samples.length === 0) return { p50: NaN, p99: NaN, mean: NaN, max: NaN };
  const sorted = Float64Array.from(samples).sort();
  let sum = 0;
  for (const v of sorted) sum += v;
  return {
    p50: round3(percentile(sorted, 50)),
    p99: round3(percentile(sorted, 99)),
    mean: round3(sum / sorted.length),
    max: round3(sorted[sorted.length - 1]!),
  };
}
