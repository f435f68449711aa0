/**
 * The words of a file row: sizes and speeds people read at a glance ("1.2 MB", "1.3 MB/s"),
 * and what a transfer's state says. Decimal units, as the rest of Parley counts bytes
 * (1 KB = 1,000 bytes).
 */
import type { FileState } from '../../controllers/files/file-state.js';

const UNITS = ['KB', 'MB', 'GB'] as const;
const oneDecimal = new Intl.NumberFormat('en', { maximumFractionDigits: 1 });

/** A byte count as people read it: "512 B", "1.2 MB". Negative or not a number reads as 0 B. */
export function readableSize(bytes: number): string {
  let n = Number.isFinite(bytes) && bytes > 0 ? bytes : 0;
  if (n < 1000) return `${Math.round(n)} B`;
  let unit = -1;
  while (n >= 1000 && unit < UNITS.length - 1) {
    n /= 1000;
    unit++;
  }
  // 999.96 KB would round to "1000 KB": say "1 MB" instead.
  if (n >= 999.95 && unit < UNITS.length - 1) {
    n /= 1000;
    unit++;
  }
  return `${oneDecimal.format(n)} ${UNITS[unit]}`;
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
