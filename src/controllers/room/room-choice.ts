/**
 * Which room the chat is in: the embedding page's fixed room, else the page address
 * (`#room=`, with an invite link's `#key=`), else the default; or what a person typed, made a
 * room name (see `room-slug.ts`). Split from the room controller, which follows `room`.
 */
import { slugRoom } from '../../protocol/room-slug.js';
import type { Problem } from '../shared/problem.js';
import { MAX_TITLE } from '../../protocol/limits.js';
import {
  DEFAULT_ROOM,
  keyFromHash,
  roomFromHash,
  titleFromHash,
  roomProblem,
  writeRoomToHash,
} from './room-address.js';

/** A room's title from what was typed: one space between words, trimmed, at most MAX_TITLE. */
export function titleFrom(typed: string): string {
  const title = [...typed.normalize('NFC').replace(/\s+/gu, ' ').trim()];
  return title.slice(0, MAX_TITLE).join('').trim();
}

/** Titles remembered at most (links followed in one visit). */
const MAX_TITLES = 32;

/** What the room choice tells its owner. */
export interface RoomChoiceHooks {
  /** A fixed room (embedding); when undefined the page address decides. */
  fixedRoom?: () => string | undefined;
  /** The address brought a room key for `linked` (an invite link); `wanted` is where we go. */
  invite: (linked: string, key: string, wanted: string) => void;
  /** The choice changed, or why it could not (undefined: no problem). */
  changed: (problem: Problem | undefined) => void;
}

/** The room being chosen and how it came to be. */
export class RoomChoice {
  /** The room we are in (or about to be). */
  room = DEFAULT_ROOM;
  /** Titles links and new rooms brought, by room (a few; the room list keeps them after). */
  private readonly titles = new Map<string, string>();

  constructor(private readonly hooks: RoomChoiceHooks) {}

  /** Takes the room (and an invite's key) from the page address, or the fixed room. */
  fromAddress(): void {
    const wanted = this.hooks.fixedRoom?.() ?? roomFromHash() ?? DEFAULT_ROOM;
    const key = keyFromHash();
    const linked = roomFromHash();
    // Only a link that names its room brings a key (never the host page's own `#key=`); kept in
    // the address until taken (a visitor may log in first, or reload meanwhile).
    if (key !== undefined && linked !== undefined) this.hooks.invite(linked, key, wanted);
    const title = titleFromHash();
    if (title !== undefined && linked !== undefined) this.title(linked, title);
    const problem = roomProblem(wanted);
    this.room = problem ? DEFAULT_ROOM : wanted;
    this.hooks.changed(
      problem
        ? {
            code: 'invalid-room',
            message: `The address names an unusable room (${problem}); you are in "${DEFAULT_ROOM}".`,
          }
        : undefined,
    );
  }

  /** Notes `title` as the title of `room` (from a link, or a room just made). */
  title(room: string, title: string): void {
    const cut = titleFrom(title);
    if (cut === '') return;
    if (this.titles.size >= MAX_TITLES) this.titles.delete(this.titles.keys().next().value!);
    this.titles.set(room, cut);
  }

  /** The title a link or a new room brought for `room`, if any. */
  titleOf(room: string): string | undefined {
    return this.titles.get(room);
  }

  /** An embedding page changed the `room` attribute: move there (if the name is usable). */
  followFixed(): void {
    const fixed = this.hooks.fixedRoom?.();
    if (fixed === undefined || fixed === this.room) return;
    const problem = roomProblem(fixed);
    if (!problem) this.room = fixed;
    this.hooks.changed(
      problem
        ? { code: 'invalid-room', message: `The page names an unusable room (${problem}).` }
        : undefined,
    );
  }

  /**
   * Moves to the room a person typed ("Design Team" → `design-team`, "#design" → `design`),
   * through the address so the link stays shareable. Returns the room's name, or undefined
   * when nothing usable was typed (the problem is reported).
   */
  set(typed: string): string | undefined {
    const room = slugRoom(typed);
    if (!room) {
      const message = 'Cannot join that room: a room name needs a letter or a digit.';
      this.hooks.changed({ code: 'invalid-room', message });
      return undefined;
    }
    return this.open(room);
  }

  /** Moves to `room`, a room name as it is (e.g. one from the room list). */
  open(room: string): string | undefined {
    const problem = roomProblem(room);
    if (problem) {
      this.hooks.changed({ code: 'invalid-room', message: `Cannot join that room: ${problem}.` });
      return undefined;
    }
    if (this.hooks.fixedRoom?.() === undefined) writeRoomToHash(room);
    this.room = room;
    this.hooks.changed(undefined);
    return room;
  }
}
