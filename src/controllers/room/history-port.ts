/**
 * What the room's history chunks — a jump to a message far back (history-jump.ts), export and
 * import (history-io.ts) — need of the room controller, handed to them when they are loaded,
 * so none of their code weighs on the first download.
 */
import type { ProblemCode } from '../shared/problem.js';
import type { ImportReport } from './history-import.js';
import type { MessageList } from './message-list.js';
import type { ActiveRoom } from './room-context.js';
import type { RoomSealing } from './room-sealing.js';

/** The room controller, as the history's chunks see it. */
export interface HistoryPort {
  list: MessageList;
  sealing: RoomSealing;
  /** Whether `active` is still the room shown. */
  current: (active: ActiveRoom) => boolean;
  /** Whether older history can still be loaded (after a jump read further back). */
  older: (more: boolean) => void;
  /** An export or import starts or ends, with what Settings' History should say. */
  busy: (busy: boolean, note: string) => void;
  fail: (code: ProblemCode, message: string) => false;
  /** An import added messages (shown, indexed and kept within the history limit). */
  imported: (active: ActiveRoom, report: ImportReport) => void;
}
