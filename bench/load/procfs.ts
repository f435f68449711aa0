/**
 * CPU time and memory of other processes, read from Linux's `/proc` so every server (bare,
 * Parley, Redis) is measured the same way from outside, with no help from its own code.
 */
import { readdirSync, readFileSync } from 'node:fs';

/** `/proc/<pid>/stat` counts CPU time in clock ticks; USER_HZ is 100 on every Linux ABI. */
const MS_PER_TICK = 10;

/** CPU time (user + system) `pid` has used so far, in ms. */
export function cpuMs(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // The command name (field 2) sits in parentheses and may hold spaces: split after it.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // fields[0] is field 3 (state); utime and stime are fields 14 and 15.
  return (Number(fields[11]) + Number(fields[12])) * MS_PER_TICK;
}

/** CPU time the whole machine has been busy so far (all cores, every process), in ms. */
export function machineBusyMs(): number {
  // First line: "cpu user nice system idle iowait irq softirq steal guest guest_nice".
  const [, ...ticks] = readFileSync('/proc/stat', 'utf8').split('\n', 1)[0]!.trim().split(/\s+/);
  const t = ticks.map(Number);
  const busy = t[0]! + t[1]! + t[2]! + t[5]! + t[6]! + t[7]!;
  return busy * MS_PER_TICK;
}

/** CPU ms so far of each labelled process, and of the whole machine as `machine`. */
export function cpuSnapshot(pids: Record<string, number>): Record<string, number> {
  const cpu: Record<string, number> = { machine: machineBusyMs() };
  for (const [label, pid] of Object.entries(pids)) cpu[label] = cpuMs(pid);
  return cpu;
}

/** Resident set size of `pid`, in KiB. */
export function rssKiB(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const match = /^VmRSS:\s+(\d+) kB$/m.exec(status);
  if (!match) throw new Error(`no VmRSS for process ${pid}`);
  return Number(match[1]);
}

/**
 * The PID of a process whose command line (arguments joined by spaces) passes `test`, or
 * undefined. Programs may rewrite it: `redis-server` shows `redis-server 127.0.0.1:<port>`.
 */
export function findPid(test: (cmdline: string) => boolean): number | undefined {
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    let cmdline: string;
    try {
      cmdline = readFileSync(`/proc/${entry}/cmdline`, 'utf8').replace(/\0+/g, ' ').trim();
    } catch {
      continue; // ended while we looked
    }
    if (test(cmdline)) return Number(entry);
  }
  return undefined;
}

/** Whether `pid` is a live process (not gone, not a zombie waiting to be reaped). */
export function isRunning(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return false;
  }
}
