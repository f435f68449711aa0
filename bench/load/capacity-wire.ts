/**
 * What `bench/load/fleet.ts` (in the capacity benchmark's process) and each of its client
 * processes (`capacity-clients.ts`) say to each other over Node's IPC channel (structured-clone
 * serialization, so latencies travel as typed arrays), one request and one reply at a time.
 *
 * Every client process owns the rooms whose number modulo the process count is its index, and
 * holds all of their members, so a message's sender and receivers share one clock.
 */
import type { FullStats } from './wire.js';

/**
 * Grow group `group` (one contender) to `rooms` rooms of `roomSize` members on `url`: this
 * process opens the members of the new rooms it owns, `batch` at a time. Stops at the first
 * batch with a failure (the server is falling over: more attempts would only wait out their
 * timeouts), and says what failed.
 */
export interface GrowCommand {
  type: 'grow';
  group: number;
  url: string;
  rooms: number;
  roomSize: number;
  batch: number;
}

/**
 * Load the groups in turn, `sliceMs` each (order 0 1 … n-1, then n-1 … 0, and so on), all
 * processes on one schedule that starts at `startAt` (epoch ms). In its slices a group's rooms
 * get `perRoomRate` messages a second, evenly spread. Then wait up to `drainMs` for deliveries.
 */
export interface RunCommand {
  type: 'run';
  /** Distinguishes this run's messages from late ones of an earlier run. */
  run: number;
  startAt: number;
  groups: number[];
  perRoomRate: number;
  sliceMs: number;
  /** Uncounted sending per group first, then counted sending; whole numbers of slices. */
  warmupMs: number;
  measureMs: number;
  drainMs: number;
}

/** Disconnect every member of `group` (a contender that fell over frees the machine). */
export interface DropCommand {
  type: 'drop';
  group: number;
}

/** Disconnect everyone and exit. */
export interface CloseCommand {
  type: 'close';
}

/** A request to a client process. */
export type FleetCommand = GrowCommand | RunCommand | DropCommand | CloseCommand;

/** A grow finished (or stopped at a failure). */
export interface GrownReply {
  type: 'grown';
  /** This process's joined members of the group now. */
  clients: number;
  /** Members that could not connect or join in this grow, and the first reason. */
  failed: number;
  firstError?: string;
  ms: number;
}

/** What one group's counted messages did in this process. */
export interface GroupRun {
  group: number;
  sent: number;
  /** Deliveries they should make (each reaches every other member of its room). */
  expected: number;
  /** Deliveries that arrived before the drain ended (duplicates not counted). */
  received: number;
  duplicates: number;
  /** Send-to-delivery time of every counted delivery, ms. */
  latencies: Float64Array;
  /** How late each counted send left against its schedule, ms (this process falling behind). */
  lags: Float64Array;
  errors: Record<string, number>;
  disconnects: Record<string, number>;
}

/** A run finished. */
export interface RanReply {
  type: 'ran';
  groups: GroupRun[];
  /** This process's RSS at the end of the sending, KiB. */
  rssKiB: number;
}

/** A group was dropped. */
export interface DroppedReply {
  type: 'dropped';
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

/** A reply from a client process. */
export type FleetReply = GrownReply | RanReply | DroppedReply | ClosedReply | FailedReply;

/** Merged over the processes: one group's counted messages. */
export interface GroupTotals {
  sent: number;
  expected: number;
  received: number;
  lost: number;
  duplicates: number;
  latency: FullStats;
  sendLag: FullStats;
  errors: Record<string, number>;
  disconnects: Record<string, number>;
}
