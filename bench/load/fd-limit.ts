/**
 * The open-file limit of this process, which the servers and clients it starts inherit: every
 * connection is a file descriptor on each side, so 20,000 connections need more than the usual
 * limit of a shell. Raised with util-linux's `prlimit` where the system allows it (root, or a
 * hard limit already high enough), never past the kernel's `fs.nr_open`.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

/** The limit before and after, and why it could not be raised as asked. */
export interface FdLimit {
  /** Soft / hard limit found. */
  before: { soft: number; hard: number };
  /** Soft / hard limit now (children started from now on get it). */
  after: { soft: number; hard: number };
  /** Why it stayed below what was asked, if it did. */
  problem?: string;
}

function current(): { soft: number; hard: number } {
  const line = /^Max open files\s+(\S+)\s+(\S+)/m.exec(readFileSync('/proc/self/limits', 'utf8'));
  const n = (s: string | undefined) => (s === 'unlimited' ? Infinity : Number(s));
  return { soft: n(line?.[1]), hard: n(line?.[2]) };
}

/** Raises this process's open-file limit (soft and hard) to `want` if it is lower. */
export function raiseFdLimit(want: number): FdLimit {
  const before = current();
  if (before.soft >= want) return { before, after: before };
  let ceiling = Infinity;
  try {
    ceiling = Number(readFileSync('/proc/sys/fs/nr_open', 'utf8'));
  } catch {
    // not Linux's /proc: prlimit will say what it can do
  }
  const target = Math.min(want, ceiling);
  let problem: string | undefined;
  try {
    const hard = Math.max(target, before.hard);
    execFileSync('prlimit', ['--pid', String(process.pid), `--nofile=${target}:${hard}`], {
      stdio: ['ignore', 'ignore', 'pipe'],
    });
  } catch (err) {
    problem = `prlimit failed: ${String((err as { stderr?: Buffer }).stderr ?? err).trim()}`;
  }
  const after = current();
  if (!problem && after.soft < want) problem = `the kernel allows ${ceiling} (fs.nr_open)`;
  return { before, after, ...(problem ? { problem } : {}) };
}
