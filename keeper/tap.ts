/**
 * Where the keeper sees every message a room takes in — sealed ones it cannot open included —
 * before the room acknowledges it.
 *
 * The Node client reports only messages it can read (`message` events), and acknowledges every
 * verified one a moment later (receipts are batched, 250 ms). The keeper must write each one,
 * readable or not, before its receipt leaves. Its Intake marks each new verified envelope as
 * taken by adding it to the room's history, synchronously, in the task that checked it — long
 * before the receipt. This wraps that one call.
 *
 * STOPGAP: it reaches into `BotRoom`'s private `history`. It is to be replaced by a public hook
 * of the Node client (a `keep(envelope)` join option called for each new verified envelope,
 * readable or not, before its receipt), asked of src/node's owner. Until then this checks the
 * shape it relies on and throws at once if the client changed, so the keeper never runs
 * acknowledging what it did not keep.
 */
import type { BotRoom, Envelope } from '../src/node/index.js';

interface HistoryLike {
  add(env: Envelope): boolean;
}

/**
 * Calls `keep` with each envelope `room` takes in from now on, before the room's receipt for
 * it can leave; returns what the room holds already (to write at once, see keeper.ts).
 */
export function tapRoom(room: BotRoom, keep: (env: Envelope) => void): readonly Envelope[] {
  const history = (room as unknown as { history?: Partial<HistoryLike> }).history;
  if (!history || typeof history.add !== 'function') {
    throw new Error('keeper: the Node client no longer has the history this keeper taps');
  }
  const add = history.add.bind(history) as HistoryLike['add'];
  history.add = (env: Envelope) => {
    const fresh = add(env);
    keep(env);
    return fresh;
  };
  return room.messages;
}
