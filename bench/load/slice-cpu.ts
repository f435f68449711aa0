/**
 * CPU time per contender when contenders take turns in slices (see `capacity-wire.ts`'s
 * `RunCommand`): this process follows the same schedule as the clients, reads every watched
 * process's CPU time (and the whole machine's) at each slice boundary, and adds each slice's
 * share to the contender whose slice it was. Uncounted (warm-up) slices are left out.
 */
import { cpuMs, machineBusyMs } from './procfs.js';

/** The schedule, as the clients follow it. */
export interface SliceSchedule {
  /** Start of the first slice, on this process's `performance.now()` clock. */
  start: number;
  sliceMs: number;
  /** Contenders taking turns (0 … groups-1, then back). */
  groups: number;
  slicesPerGroup: number;
  warmSlices: number;
}

/** One contender's CPU over its counted slices: % of one core per label, and their length. */
export interface SliceCpu {
  /** Per watched label, plus `machine` (all cores) and `others` (machine minus watched). */
  cpu: Record<string, number>;
  windowMs: number;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, Math.max(0, ms)));

/** CPU ms of each watched process now; a process that is gone keeps its last reading. */
function snapshot(watch: Record<string, number>, last: Record<string, number>) {
  const now: Record<string, number> = { machine: machineBusyMs() };
  for (const [label, pid] of Object.entries(watch)) {
    try {
      now[label] = cpuMs(pid);
    } catch {
      now[label] = last[label] ?? 0;
    }
  }
  return now;
}

/** Meters `schedule` for the processes in `watch` (label → PID); resolves after its last slice. */
export async function meterSlices(
  schedule: SliceSchedule,
  watch: Record<string, number>,
): Promise<SliceCpu[]> {
  const { start, sliceMs, groups, slicesPerGroup, warmSlices } = schedule;
  const order = Array.from({ length: groups }, (_, i) => i);
  const slices = Array.from({ length: slicesPerGroup }, (_, r) =>
    r % 2 ? [...order].reverse() : order,
  ).flat();
  const used = order.map(() => ({}) as Record<string, number>);
  const windowMs = order.map(() => 0);
  const done = order.map(() => 0);
  await sleep(start - performance.now());
  let before = snapshot(watch, {});
  let at = performance.now();
  for (let s = 0; s < slices.length; s++) {
    await sleep(start + (s + 1) * sliceMs - performance.now());
    const after = snapshot(watch, before);
    const now = performance.now();
    const g = slices[s]!;
    if (done[g]! >= warmSlices) {
      for (const label of Object.keys(after)) {
        used[g]![label] = (used[g]![label] ?? 0) + after[label]! - before[label]!;
      }
      windowMs[g] = windowMs[g]! + now - at;
    }
    done[g]!++;
    before = after;
    at = now;
  }
  return order.map((g) => {
    const cpu: Record<string, number> = {};
    for (const [label, ms] of Object.entries(used[g]!)) {
      cpu[label] = Math.round((ms / windowMs[g]!) * 1000) / 10;
    }
    const ours = Object.keys(watch).reduce((n, label) => n + cpu[label]!, 0);
    cpu.others = Math.max(0, Math.round((cpu.machine! - ours) * 10) / 10);
    return { cpu, windowMs: Math.round(windowMs[g]!) };
  });
}
