/**
 * Lets a page of catch-up be painted before the next one is shown. A joining member is sent
 * the newest page first (a screenful, see `catch-up.ts`); the pages after it arrive while that
 * one is being drawn, and showing each at once would merge and re-render an ever longer list in
 * the very frame that should paint the newest messages. So once a page is shown, the pages
 * that come meanwhile wait for that frame before they are checked (parsing, signatures and
 * opening are main-thread work too), and those checked together are shown together: one
 * merge, one render. Live messages never wait: each is shown at once.
 */

/**
 * Longest wait for a frame, in ms: a page that draws none (hidden, or no frames at all) must
 * not hold messages back long; a busy one draws its frame well before.
 */
const FRAME_WAIT_MS = 200;

/**
 * Resolves once the browser has drawn a frame (a task after the next animation frame), at once
 * in a hidden page (it draws none), or after {@link FRAME_WAIT_MS} when no frame comes.
 */
export function afterPaint(): Promise<void> {
  if (typeof requestAnimationFrame !== 'function' || document.visibilityState === 'hidden') {
    return Promise.resolve();
  }
  return new Promise((done) => {
    const timer = setTimeout(done, FRAME_WAIT_MS);
    requestAnimationFrame(() =>
      setTimeout(() => {
        clearTimeout(timer);
        done();
      }, 0),
    );
  });
}

/**
 * Resolves in a task of its own: after every microtask queued so far, so after the renders a
 * change just asked for (Lit updates in microtasks) and their rows are in the DOM. A message
 * channel, not a timer: a hidden page throttles timers to a second, never a posted message.
 */
export function nextTask(): Promise<void> {
  if (typeof MessageChannel !== 'function') return new Promise((done) => setTimeout(done, 0));
  return new Promise((done) => {
    const channel = new MessageChannel();
    channel.port1.onmessage = () => {
      channel.port1.close();
      done();
    };
    channel.port2.postMessage(null);
  });
}

/** Holds back showing batches until what was shown last has been painted. */
export class PaintGate {
  private pending: Promise<void> | undefined;

  constructor(private readonly painted: () => Promise<void> = afterPaint) {}

  /** Resolves when a batch may be shown: at once, or when the last one shown is painted. */
  async ready(): Promise<void> {
    while (this.pending) await this.pending;
  }

  /**
   * Notes that a batch was just shown: batches asking `ready` from now wait for its frame.
   * Batches already released with it (the same turn) are shown in that frame too.
   */
  shown(): void {
    if (this.pending) return;
    const pending = this.painted().then(() => {
      if (this.pending === pending) this.pending = undefined;
    });
    this.pending = pending;
  }

  /** Lets everything waiting through (the room was left). */
  clear(): void {
    this.pending = undefined;
  }
}
