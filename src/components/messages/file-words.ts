/**
 * The words of a file row: sizes and speeds people read at a glance ("1.2 MB", "1.3 MB/s"),
 * and what a transfer's state says. Sizes count as the files controller's refusals do
 * ("812 bytes", "64 KB", "25 MB"; 1 KB = 1,024 bytes), so a limit and a file read alike.
 */
import type { FileState } from '../../controllers/files/file-state.js';

const UNITS = ['KB', 'MB', 'GB'] as const;

/** A byte count as people read it: "812 bytes", "1.2 MB". Negative or not a number: 0 bytes. */
export function readableSize(bytes: number): string {
  const n = Number.isFinite(bytes) && bytes > 0 ? Math.round(bytes) : 0;
  if (n < 1024) return `${n} ${n === 1 ? 'byte' : 'bytes'}`;
  let value = n / 1024;
  let unit = 0;
  for (; value >= 1024 && unit < UNITS.length - 1; unit++) value /= 1024;
  // One decimal under 100 ("1.2 MB"), none above ("312 MB") or when it is whole ("64 KB").
  const shown = value >= 100 ? String(Math.round(value)) : value.toFixed(1).replace(/\.0$/, '');
  return `${shown} ${UNITS[unit]}`;
}

/** The whole percentage of `done` of `size`, 0–100 (never 100 before the last byte). */
export function percentOf(done: number, size: number): number {
  if (!(size > 0) || !(done > 0)) return 0;
  if (done >= size) return 100;
  return Math.min(99, Math.floor((done / size) * 100));
}

/** "42% · 1.3 MB/s" (the speed left out while unknown). */
export function progressWords(state: FileState): string {
  const percent = `${percentOf(state.done, state.size)}%`;
  return state.speed !== undefined && state.speed > 0
    ? `${percent} · ${readableSize(state.speed)}/s`
    : percent;
}

/**
 * The line under a file that is not moving: what its state means and what to do (empty when
 * there is nothing to say). `image` rows open the image rather than offer Download.
 */
export function stateLine(state: FileState, image: boolean, removed: boolean): string {
  switch (state.phase) {
    case 'waiting':
      return 'Waiting for someone who has this file…';
    case 'stopped':
      return image ? 'Stopped — open the image to continue' : 'Stopped — Download to continue';
    case 'failed':
      return state.error ?? 'This file could not be fetched.';
    case 'missing':
      if (!removed) return '';
      return image
        ? 'Removed from this browser — open the image to fetch it again'
        : 'Removed from this browser — Download to fetch it again';
    default:
      return state.error ?? '';
  }
}
