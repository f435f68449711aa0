/**
 * A stand-in for a Lit element, for tests and benchmarks that run Parley's controllers without
 * one: it holds the controllers and runs their `hostUpdate` on every requested update, batched
 * into one microtask as Lit batches renders.
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit';

/** A host that runs `hostUpdate` on every requested update, like a Lit element would. */
export class BareHost implements ReactiveControllerHost {
  readonly controllers: ReactiveController[] = [];
  /** Called synchronously on every requested update (before the batched `hostUpdate`). */
  watch: (() => void) | undefined;
  updateComplete: Promise<boolean> = Promise.resolve(true);
  private pending = false;

  addController(c: ReactiveController): void {
    this.controllers.push(c);
  }

  removeController(c: ReactiveController): void {
    this.controllers.splice(this.controllers.indexOf(c), 1);
  }

  requestUpdate(): void {
    this.watch?.();
    if (this.pending) return;
    this.pending = true;
    this.updateComplete = Promise.resolve().then(() => {
      this.pending = false;
      this.controllers.forEach((c) => c.hostUpdate?.());
      return true;
    });
  }
}
