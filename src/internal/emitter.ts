/**
 * A small typed event emitter. `on()` returns its own unsubscribe function, so owners can
 * collect them and run them all on teardown. A throwing listener never stops delivery to the
 * others: its error is rethrown asynchronously, where the page's error reporting sees it.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyFn = (...args: any[]) => void;

/** Typed emitter over a map of event name → listener signature. */
export class Emitter<M extends { [K in keyof M]: AnyFn }> {
  private readonly listeners = new Map<keyof M, Set<AnyFn>>();

  /** Adds a listener; returns the function that removes it again. */
  on<E extends keyof M>(ev: E, fn: M[E]): () => void {
    let set = this.listeners.get(ev);
    if (!set) this.listeners.set(ev, (set = new Set()));
    set.add(fn);
    return () => {
      set.delete(fn);
    };
  }

  /** Calls every listener of `ev` with `args`, in subscription order. */
  emit<E extends keyof M>(ev: E, ...args: Parameters<M[E]>): void {
    const set = this.listeners.get(ev);
    if (!set) return;
    for (const fn of [...set]) {
      try {
        fn(...args);
      } catch (err) {
        queueMicrotask(() => {
          throw err;
        });
      }
    }
  }

  /** Whether anyone listens to `ev`. */
  has(ev: keyof M): boolean {
    return (this.listeners.get(ev)?.size ?? 0) > 0;
  }

  /** Drops every listener. */
  clear(): void {
    this.listeners.clear();
  }
}
