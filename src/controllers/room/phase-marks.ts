/**
 * Where a message's time goes, for the app-latency benchmark: the app calls {@link phase} at
 * each step of a message's way out (Enter → sealed and signed → on the wire → stored) and in
 * (received → verified → opened → in the list model → stored). Nothing happens unless a
 * listener was set with {@link listenPhases} (the benchmark's page does; the app never does),
 * so a mark costs one check of a module variable.
 */

/** The steps of a message's way, sender's first. */
export type PhaseName =
  /** The room controller took our text (the composer's Enter has been handled up to here). */
  | 'out-send'
  /** Sealed (in an encrypted room) and signed: ready to go. */
  | 'out-signed'
  /** Handed to the transport (on the wire). */
  | 'out-wire'
  /** Committed to IndexedDB (history and outbox). */
  | 'out-stored'
  /** A live message reached the receiver's room controller. */
  | 'in-wire'
  /** Its signature checked. */
  | 'in-verified'
  /** Opened with the room key (in an encrypted room; in the clear, right after verified). */
  | 'in-opened'
  /** Put into the message list's model (the render follows). */
  | 'in-listed'
  /** Committed to the receiver's IndexedDB. */
  | 'in-stored';

/** Told of each mark: the step, the message id and `performance.now()` when it happened. */
export type PhaseListener = (name: PhaseName, id: string, at: number) => void;

let listener: PhaseListener | undefined;

/** Starts (a listener) or stops (undefined) telling of marks. Only the benchmark calls it. */
export function listenPhases(next: PhaseListener | undefined): void {
  listener = next;
}

/** Marks that message `id` reached step `name` now; a no-op unless someone listens. */
export function phase(name: PhaseName, id: string): void {
  if (listener) listener(name, id, performance.now());
}
