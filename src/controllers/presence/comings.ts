/**
 * Who joined and left the room on screen while we were in it: the conversation's quiet
 * "Bob joined" / "Bob left" lines (never stored, never unread). Loaded with the contacts, in a
 * chunk of its own right after start (see presence-controller.ts): it costs nothing in the
 * first download, and until it arrives nobody is seen coming or going.
 */
import type { RosterMember } from './roster.js';

/** Joins and leaves kept for the conversation's lines (the oldest go first). */
export const PRESENCE_LINES_MAX = 50;

/** A join or a leave as the conversation shows it: a quiet line, never stored, never unread. */
export interface PresenceLine {
  /** When it was seen (ms since the epoch). */
  ts: number;
  /** "Bob joined", "Bob left". */
  text: string;
  /** Unique among the lines. */
  key: string;
}

/**
 * Compares who is listed with the last look taken while the link was open, and keeps a line
 * for each change. Only changes seen while the link is open and not switching count: the
 * members listed when we arrive, or come back after an outage or a switch, did not "join".
 */
export class Comings {
  /** The lines of the room on screen, oldest first, at most {@link PRESENCE_LINES_MAX}. */
  lines: readonly PresenceLine[] = [];
  /**
   * The room of {@link lines}, the others on the roster at the last open look (id → name), and
   * everyone the link listed then, said to be here or not (ids).
   */
  private here: { room: string; names?: Map<string, string>; waiting?: Set<string> } | undefined;
  private count = 0;

  /**
   * The roster of `room` changed (`open`: the link is open and not switching); `listed` is every
   * identity the link lists, whether or not its own hello has come yet. Someone listed when we
   * arrived whose hello arrives later was already here: not "joined". Returns whether
   * {@link lines} changed (a new array then, so a view sees it).
   */
  look(
    room: string,
    members: readonly RosterMember[],
    open: boolean,
    listed: ReadonlySet<string> = new Set(),
  ): boolean {
    let changed = false;
    if (this.here?.room !== room) {
      changed = this.lines.length > 0;
      this.here = { room };
      this.lines = [];
    }
    const before = this.here.names;
    const names = new Map(members.filter((m) => !m.self).map((m) => [m.userId, m.name]));
    this.here.names = open ? names : undefined;
    if (!open || !before) {
      this.here.waiting = open ? new Set([...listed].filter((id) => !names.has(id))) : undefined;
      return changed;
    }
    const waiting = this.here.waiting ?? new Set<string>();
    const already = new Set([...waiting].filter((id) => names.has(id)));
    // Heard from at last, or gone: either way no longer waited for.
    for (const id of waiting) if (names.has(id) || !listed.has(id)) waiting.delete(id);
    const added: PresenceLine[] = [];
    const add = (text: string) => added.push({ ts: Date.now(), text, key: String(++this.count) });
    for (const [id, name] of names) {
      if (!before.has(id) && !already.has(id)) add(`${name} joined`);
    }
    for (const [id, name] of before) if (!names.has(id)) add(`${name} left`);
    if (added.length === 0) return changed;
    this.lines = [...this.lines, ...added].slice(-PRESENCE_LINES_MAX);
    return true;
  }
}
