/**
 * Turns for the history's background work — indexing for search, pruning to the history limit —
 * page-wide: such work runs in short slices, each one only once the page has had its turn
 * (input, network, rendering), and none while a person is waiting on this member's history — a
 * catch-up answer another member asked for ({@link holdBackground}). An index or a prune can
 * wait a moment; the member who just joined looks at an empty list until our answer arrives.
 *
 * Measured with `npm run bench -- catch-up`: a member that had just logged in was indexing its
 * history in batches of 300 (a 20–40 ms task each, and a commit of thousands of index entries
 * that IndexedDB's one backend thread serves before anything else), so the 50-row read of the
 * first catch-up page took 70–100 ms instead of a few.
 *
 * Host-agnostic (the Node client answers catch-up too): without `scheduler.postTask` a turn is
 * a timer task.
 */

/** Longest a hold keeps background work waiting, in ms: an answer that never ends (a bug, a
 * link that hangs) must not stop indexing for good. */
const MAX_HOLD_MS = 3000;

/** Holds under way: each one's end. */
const holds = new Set<() => void>();
/** Background work waiting for the holds to end. */
let waiters: Array<() => void> = [];

/** Wakes what waits once no hold is left. */
function wake(): void {
  if (holds.size > 0) return;
  const ready = waiters;
  waiters = [];
  ready.forEach((go) => go());
}

/**
 * Marks work a person waits for as under way (answering a catch-up request): background slices
 * that have not begun wait until it ends. Returns its end (calling it again does nothing); it
 * ends by itself after {@link MAX_HOLD_MS}.
 */
export function holdBackground(): () => void {
  const end = () => {
    clearTimeout(timer);
    if (holds.delete(end)) wake();
  };
  const timer = setTimeout(end, MAX_HOLD_MS);
  // In Node (the client answers catch-up too), a hold's timer never keeps the process alive.
  (timer as { unref?: () => void }).unref?.();
  holds.add(end);
  return end;
}

/** Whether work a person waits for is under way (see {@link holdBackground}). */
export function backgroundHeld(): boolean {
  return holds.size > 0;
}

/** How many background jobs wait for a hold to end (diagnostics, tests). */
export function backgroundWaiting(): number {
  return waiters.length;
}

type PostTask = (task: () => void, opts: { priority: 'background' }) => Promise<void>;

/** The browser's task scheduler's `postTask`, where there is one. */
function postTask(): PostTask | undefined {
  const scheduler = (globalThis as { scheduler?: { postTask?: PostTask } }).scheduler;
  return typeof scheduler?.postTask === 'function' ? scheduler.postTask.bind(scheduler) : undefined;
}

/**
 * A task after everything the page has queued: at background priority where the browser has
 * one (input, network, rendering and timers go first), else a timer.
 */
function afterThePage(): Promise<void> {
  const post = postTask();
  if (post) return post(() => {}, { priority: 'background' });
  return new Promise((resolve) => setTimeout(resolve, 0));
}

/**
 * Resolves when background work may run its next slice: in a task of its own, after what the
 * page has queued, and once no hold is under way (waiting {@link MAX_HOLD_MS} at most). A slice
 * is the work of one short task and one small transaction, then the next turn.
 */
export async function backgroundTurn(): Promise<void> {
  await afterThePage();
  const until = Date.now() + MAX_HOLD_MS;
  while (holds.size > 0 && Date.now() < until) {
    await new Promise<void>((resolve) => {
      const timer = setTimeout(() => {
        waiters = waiters.filter((w) => w !== go);
        resolve();
      }, until - Date.now());
      const go = () => {
        clearTimeout(timer);
        resolve();
      };
      waiters.push(go);
    });
    // The hold's work may have left tasks of its own (its last page going out): they go first.
    await afterThePage();
  }
}
