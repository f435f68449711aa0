/**
 * What `bench/load.ts` and its clients process (`bench/load/clients.ts`) say to each other over
 * Node's IPC channel, one request and one reply at a time.
 */
import type { Stats } from '../stats.js';

/**
 * Open `clients` connections spread over `urls`, join each to one of `rooms` rooms, and keep
 * them as the next group (groups are numbered from 0 in the order they connect).
 */
export interface ConnectCommand {
  type: 'connect';
  /** Server URLs; client `i` uses `urls[i % urls.length]`, so every room spans all of them. */
  urls: string[];
  clients: number;
  rooms: number;
  /** Connections opened at once (the next batch starts when this one has joined). */
  batch: number;
}

/**
 * Send chat messages at a steady rate in each group in turn, one slice at a time (so noise
 * from other programs lands on every group alike), then report what arrived and when.
 */
export interface LoadCommand {
  type: 'load';
  /** Messages per second in each room while its group's slice runs. */
  perRoomRate: number;
  /** Length of one slice; the other durations are whole multiples of it. */
  sliceMs: number;
  /** Uncounted sending per group first (JIT, buffers). */
  warmupMs: number;
  /** Counted sending per group. */
  measureMs: number;
  /** Parts the counted time is cut into for `blockP99` (measureMs / sliceMs divides evenly). */
  blocks: number;
  /** Longest wait for the counted messages' deliveries after the last send. */
  drainMs: number;
  /** Processes whose CPU time is split by slice and whose RSS is read at the end, by label. */
  watch: Record<string, number>;
}

/** Disconnect everyone and exit. */
export interface CloseCommand {
  type: 'close';
}

/** A request from the bench to the clients process. */
export type Command = ConnectCommand | LoadCommand | CloseCommand;

/** A group is connected and joined. */
export interface ConnectedReply {
  type: 'connected';
  group: number;
  clients: number;
  /** Time to open and join them all. */
  ms: number;
}

/** Statistics of one set of samples, in ms. */
export type FullStats = Stats & { max: number };

/** What one group's counted slices produced. */
export interface GroupReport {
  /** Counted messages sent. */
  sent: number;
  /** Deliveries they should make (each reaches every other member of its room). */
  expected: number;
  /** Deliveries that arrived before the drain ended (duplicates not counted). */
  received: number;
  duplicates: number;
  /** Send-to-delivery time of every counted delivery. */
  latency: FullStats;
  /** p99 of each block of the counted time, in order: how much the tail moves within a run. */
  blockP99: number[];
  /** How late sends left against their schedule (the clients process falling behind). */
  sendLag: FullStats;
  /** `relay:error` frames received, by code. */
  errors: Record<string, number>;
  /** Connections lost during the run, by reason. */
  disconnects: Record<string, number>;
  /** Total length of the group's counted slices. */
  windowMs: number;
  /**
   * CPU used during the group's counted slices, % of one core, per watched label, plus
   * `clients` (this process), `machine` (every core, every process) and `others` (the machine
   * minus the watched processes and this one).
   */
  cpu: Record<string, number>;
}

/** The counted window of every group. */
export interface LoadReply {
  type: 'loaded';
  groups: GroupReport[];
  /** RSS at the end of the last slice, KiB, per watched label (and `clients`). */
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
