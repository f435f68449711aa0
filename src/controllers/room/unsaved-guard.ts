/**
 * Keeps the page from going while a message the user sent is not yet in IndexedDB. A message
 * shows as "saving…" until its write commits (milliseconds, usually); if the user closes or
 * reloads the page in that moment, the browser asks first (`beforeunload`) instead of losing
 * words the user believes are kept.
 */

/** Counts writes in flight and asks before unload while there are any. */
export class UnsavedGuard {
  private readonly pending = new Set<Promise<unknown>>();
  private readonly onBeforeUnload = (e: BeforeUnloadEvent) => {
    if (this.pending.size === 0) return;
    e.preventDefault();
    // Older engines show the prompt only when returnValue is set.
    e.returnValue = '';
  };

  /** How many writes have not committed yet. */
  get count(): number {
    return this.pending.size;
  }

  /** Tracks `write` until it settles; resolves or rejects like it. */
  track<T>(write: Promise<T>): Promise<T> {
    if (this.pending.size === 0) window.addEventListener('beforeunload', this.onBeforeUnload);
    this.pending.add(write);
    const done = () => {
      if (this.pending.delete(write) && this.pending.size === 0)
        window.removeEventListener('beforeunload', this.onBeforeUnload);
    };
    write.then(done, done);
    return write;
  }
}
