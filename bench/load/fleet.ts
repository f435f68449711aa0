/**
 * The capacity benchmark's clients: several processes (`capacity-clients.ts`), so that tens of
 * thousands of connections do not crowd one event loop, driven together. Rooms are dealt out by
 * number (room r lives in process r % count, all its members with it), every command goes to
 * every process, and their replies are merged here.
 */
import { stats } from '../stats.js';
import { IpcChild } from './ipc-child.js';
import type { Processes } from './processes.js';
import type {
  FleetCommand,
  FleetReply,
  GroupRun,
  GroupTotals,
  GrownReply,
  RunCommand,
} from './capacity-wire.js';

type Child = IpcChild<FleetCommand, FleetReply>;

/** A grow over every process. */
export interface Grown {
  /** Joined members of the group now, over every process. */
  clients: number;
  failed: number;
  firstError?: string;
  /** Until the slowest process finished. */
  ms: number;
}

/** A run over every process: each group's totals, and each process's RSS (KiB). */
export interface Ran {
  groups: Map<number, GroupTotals>;
  rssKiB: number[];
}

const add = (into: Record<string, number>, from: Record<string, number>) => {
  for (const [key, n] of Object.entries(from)) into[key] = (into[key] ?? 0) + n;
};

/** Joins typed arrays end to end. */
function concat(parts: Float64Array[]): Float64Array {
  const all = new Float64Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    all.set(p, at);
    at += p.length;
  }
  return all;
}

/** Merges one group's reports from every process. */
function totals(runs: GroupRun[]): GroupTotals {
  const errors: Record<string, number> = {};
  const disconnects: Record<string, number> = {};
  for (const r of runs) {
    add(errors, r.errors);
    add(disconnects, r.disconnects);
  }
  const sum = (key: 'sent' | 'expected' | 'received' | 'duplicates') =>
    runs.reduce((n, r) => n + r[key], 0);
  return {
    sent: sum('sent'),
    expected: sum('expected'),
    received: sum('received'),
    lost: sum('expected') - sum('received'),
    duplicates: sum('duplicates'),
    latency: stats(concat(runs.map((r) => r.latencies)), ['max']),
    sendLag: stats(concat(runs.map((r) => r.lags)), ['max']),
    errors,
    disconnects,
  };
}

/** Every client process, commanded together. */
export class Fleet {
  private constructor(private readonly children: Child[]) {}

  /** Forks `count` client processes, tracked in `procs`. */
  static async start(procs: Processes, count: number): Promise<Fleet> {
    const script = new URL('./capacity-clients.ts', import.meta.url);
    const children: Child[] = [];
    for (let i = 0; i < count; i++) {
      const args = [String(i), String(count)];
      children.push(
        await IpcChild.start<FleetCommand, FleetReply>(procs, script, args, 'advanced'),
      );
    }
    return new Fleet(children);
  }

  /** The processes' PIDs, in order. */
  get pids(): number[] {
    return this.children.map((c) => c.pid);
  }

  /** Grows `group` to `rooms` rooms of `roomSize` on `url` (see `GrowCommand`). */
  async grow(
    group: number,
    url: string,
    rooms: number,
    roomSize: number,
    batch: number,
    ms: number,
  ): Promise<Grown> {
    const cmd = { type: 'grow', group, url, rooms, roomSize, batch } as const;
    const replies: GrownReply[] = await Promise.all(
      this.children.map((c) => c.request(cmd, 'grown', ms)),
    );
    const firstError = replies.find((r) => r.firstError)?.firstError;
    return {
      clients: replies.reduce((n, r) => n + r.clients, 0),
      failed: replies.reduce((n, r) => n + r.failed, 0),
      ...(firstError ? { firstError } : {}),
      ms: Math.max(...replies.map((r) => r.ms)),
    };
  }

  /** Runs `cmd` on every process at once (they share its schedule) and merges the results. */
  async run(cmd: Omit<RunCommand, 'type'>, ms: number): Promise<Ran> {
    const replies = await Promise.all(
      this.children.map((c) => c.request({ type: 'run', ...cmd }, 'ran', ms)),
    );
    const groups = new Map<number, GroupTotals>();
    for (const g of cmd.groups) {
      groups.set(g, totals(replies.map((r) => r.groups.find((x) => x.group === g)!)));
    }
    return { groups, rssKiB: replies.map((r) => r.rssKiB) };
  }

  /** Disconnects every member of `group`. */
  async drop(group: number): Promise<void> {
    await Promise.all(
      this.children.map((c) => c.request({ type: 'drop', group }, 'dropped', 30e3)),
    );
  }

  /** Disconnects everyone; the processes exit. */
  async close(): Promise<void> {
    await Promise.all(this.children.map((c) => c.request({ type: 'close' }, 'closed', 30e3)));
  }
}
