/**
 * Room names from what people type: "Design Team" or "#design" become a name the protocol
 * accepts (`design-team`, `design`; see `RoomNameSchema`), the typed form staying the room's
 * title. Pure, so the browser and tests share it.
 */
import { MAX_ROOM } from './limits.js';

/**
 * The room name for `typed`: Unicode-normalised (NFKC), trimmed, without leading `#`,
 * lower-case, each run of spaces or underscores one `-`, anything a room name may not hold
 * dropped (punctuation, emoji, invisible marks), runs of `-`/`.` made one and none at either
 * end, cut to the longest room name. Letters and digits of any script stay. Undefined when
 * nothing usable is left ("###", "!!!"), so the caller can say so.
 */
export function slugRoom(typed: string): string | undefined {
  // Far more than a room name can hold is never needed (and long runs cost the patterns below).
  const name = typed
    .slice(0, 4 * MAX_ROOM)
    .normalize('NFKC')
    .trim()
    .replace(/^#+/, '')
    .toLowerCase()
    .replace(/[\s_]+/gu, '-')
    .replace(/[^\p{L}\p{N}.-]+/gu, '')
    // A run with a '-' in it reads as a word break, a run of '.' as one dot.
    .replace(/[.-]*-[.-]*/g, '-')
    .replace(/\.{2,}/g, '.');
  const cut = trimEnds(cutTo(trimEnds(name), MAX_ROOM));
  return cut === '' ? undefined : cut;
}

/** `text` without `-` or `.` at either end (a room name starts with a letter or digit). */
function trimEnds(text: string): string {
  return text.replace(/^[.-]+|[.-]+$/g, '');
}

/** `text` cut to at most `max` UTF-16 code units, whole characters only. */
function cutTo(text: string, max: number): string {
  let out = '';
  for (const char of text) {
    if (out.length + char.length > max) break;
    out += char;
  }
  return out;
}
