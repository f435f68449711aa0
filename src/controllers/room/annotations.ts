/**
 * The merge rules of message events (protocol 1.3, docs/PROTOCOL.md §18): how edits,
 * deletions and reactions fold into the message they name, and how a reply shows the message
 * it answers. Pure: no I/O, no clock. The result depends only on the set of messages and
 * events held, never on the order they came in, so every member who holds the same history
 * shows the same list (`MessageList` applies it; test/controllers/room/annotations.test.ts).
 */
import type { ChatMessage, Reaction, ReplyRef } from './message-list.js';
import { REPLY_EXCERPT } from './message-list.js';

/** Most events kept waiting for a target not (yet) in the list; the oldest go first. */
export const MAX_WAITING = 20_000;
/** Most kinds of emoji one message shows (the first given, in the order all agree on). */
export const MAX_EMOJI_KINDS = 40;
/**
 * Most emoji one member's reactions count for on one message: the ones that sort first (by
 * UTF-16 code units), so every member keeps the same whatever order they came in.
 */
export const MAX_MEMBER_EMOJI = 20;

/** Whether `a` comes after `b` in (ts, id) order: the order every member agrees on. */
export function later(a: ChatMessage, b: ChatMessage): boolean {
  return a.ts > b.ts || (a.ts === b.ts && a.id > b.id);
}

/** Whether `msg` carries text of its author's: a chat message or a file message's caption. */
export function hasText(msg: ChatMessage): boolean {
  return (
    msg.event === undefined &&
    msg.note === undefined &&
    !msg.unreadable &&
    msg.unknown === undefined
  );
}

/** Whether `msg` carries fields the fold derives (it was handed back as shown). */
function derived(msg: ChatMessage): boolean {
  return (
    msg.edited !== undefined ||
    msg.deleted !== undefined ||
    msg.reactions !== undefined ||
    (msg.replyTo !== undefined && Object.keys(msg.replyTo).length > 1)
  );
}

/** The message as its author sent it: derived fields (a view of its events) taken off. */
function plain(msg: ChatMessage): ChatMessage {
  if (!derived(msg)) return msg;
  const { edited: _e, deleted: _d, reactions: _r, replyTo, ...rest } = msg;
  return replyTo ? { ...rest, replyTo: { id: replyTo.id } } : rest;
}

/**
 * Message `base` (as sent) with the events that name it folded in, whatever their order:
 * - the edit of greatest (ts, id) gives `text` and `edited`, on a message with text only;
 * - any deletion wins: `deleted`, `text` '', and no file, edits, reactions or reply;
 * - reactions are a set per member: for each (sender, emoji) the event of greatest (ts, id)
 *   decides; see {@link reactionsOf}.
 * Edits and deletions count only from the message's author (the room checked it already from
 * the ids; this keeps the fold safe on its own). A room-control line (`note`) takes no events.
 * `self` is our identity id, for `mine`.
 */
export function fold(base: ChatMessage, events: Iterable<ChatMessage>, self: string): ChatMessage {
  const out = plain(base);
  if (out.note !== undefined || out.event !== undefined) return out;
  let deleted = false;
  let edit: ChatMessage | undefined;
  const reacts: ChatMessage[] = [];
  for (const m of events) {
    const ev = m.event;
    if (!ev || ev.target !== base.id) continue;
    // A sealed message takes no event sent in the clear: the relay read it, and anyone without
    // the room's key could have sent it.
    if (base.sealed && m.inClear) continue;
    if (ev.kind === 'react') reacts.push(m);
    else if (m.from.id !== base.from.id) continue;
    else if (ev.kind === 'delete') deleted = true;
    else if (!edit || later(m, edit)) edit = m;
  }
  if (deleted) {
    const { file: _f, replyTo: _r, ...rest } = out;
    return { ...rest, text: '', deleted: true };
  }
  let shown = out;
  if (edit?.event?.kind === 'edit' && hasText(out)) {
    shown = { ...shown, text: edit.event.text, edited: edit.ts };
  }
  const reactions = reacts.length > 0 ? reactionsOf(reacts, self) : [];
  return reactions.length > 0 ? { ...shown, reactions } : shown;
}

/**
 * The reactions `reacts` (react events about one message) leave: for each (sender, emoji) the
 * event of greatest (ts, id) decides whether the sender is in that emoji's set. Emojis in the
 * order of the earliest (ts, id) of their deciding "on" events, then by emoji; within one,
 * members in the order of their deciding events. In that order, at most
 * {@link MAX_EMOJI_KINDS} kinds show.
 */
export function reactionsOf(reacts: readonly ChatMessage[], self: string): Reaction[] {
  const decided = new Map<string, ChatMessage>();
  for (const m of reacts) {
    if (m.event?.kind !== 'react') continue;
    const key = `${m.from.id}\n${m.event.emoji}`;
    const now = decided.get(key);
    if (!now || later(m, now)) decided.set(key, m);
  }
  const on = [...decided.values()]
    .filter((m) => m.event?.kind === 'react' && m.event.on)
    .sort((a, b) => (later(a, b) ? 1 : later(b, a) ? -1 : 0));
  const byEmoji = new Map<string, ChatMessage[]>();
  for (const m of on) {
    const emoji = m.event?.kind === 'react' ? m.event.emoji : '';
    const list = byEmoji.get(emoji);
    // Bounded, and the same for everyone: the first kinds in the agreed order of `on`.
    if (!list && byEmoji.size >= MAX_EMOJI_KINDS) continue;
    if (list) list.push(m);
    else byEmoji.set(emoji, [m]);
  }
  // `on` is sorted, so each emoji's first event is its earliest; ties of (ts, id) cannot
  // happen between different events, and Map keeps first-insertion order.
  return [...byEmoji].map(([emoji, ms]) => ({
    emoji,
    by: ms.map((m) => ({ id: m.from.id, name: m.from.name })),
    mine: ms.some((m) => m.from.id === self),
  }));
}

/**
 * Up to {@link REPLY_EXCERPT} characters of what `msg` says now, as one line of plain text
 * (whitespace runs made one space; never a cut surrogate pair); a file message without a
 * caption gives its file name. Undefined when it has no text to quote.
 */
export function excerptOf(msg: ChatMessage): string | undefined {
  if (!hasText(msg) || msg.deleted) return undefined;
  const line = msg.text.replace(/\s+/gu, ' ').trim() || msg.file?.name || '';
  if (line === '') return undefined;
  const chars = Array.from(line);
  return chars.length <= REPLY_EXCERPT ? line : chars.slice(0, REPLY_EXCERPT).join('');
}

/**
 * Reply `msg` with the message it answers (`answered`, as shown now, when in the list)
 * described in `replyTo`: its author's name and excerpt, or that it was deleted. Without
 * `answered` the reference is its id alone. A message that answers nothing is returned as is.
 */
export function withReply(msg: ChatMessage, answered: ChatMessage | undefined): ChatMessage {
  if (!msg.replyTo) return msg;
  const ref: ReplyRef = { id: msg.replyTo.id };
  if (answered && answered.event === undefined && answered.id === ref.id) {
    ref.name = answered.from.name;
    if (answered.deleted) ref.deleted = true;
    else if (answered.unreadable) ref.unreadable = true;
    else {
      const excerpt = excerptOf(answered);
      if (excerpt !== undefined) ref.excerpt = excerpt;
    }
  }
  const was = msg.replyTo;
  const same =
    was.id === ref.id &&
    was.name === ref.name &&
    was.excerpt === ref.excerpt &&
    was.deleted === ref.deleted &&
    was.unreadable === ref.unreadable &&
    Object.keys(was).length === Object.keys(ref).length;
  return same ? msg : { ...msg, replyTo: ref };
}

/** Whether two events say the same thing (a copy of one signed event, perhaps another state). */
function sameEvent(a: ChatMessage, b: ChatMessage): boolean {
  return a.ts === b.ts && JSON.stringify(a.event) === JSON.stringify(b.event);
}

/**
 * The events a list holds, by id and by the message they name. An event whose target is not
 * in the list waits (bounded by {@link MAX_WAITING}, oldest arrival dropped first) and counts
 * as soon as the target comes, in whichever order they arrive.
 */
export class Annotations {
  private readonly byId = new Map<string, ChatMessage>();
  private readonly byTarget = new Map<string, Map<string, ChatMessage>>();
  /** Ids of events whose target is not in the list, oldest arrival first. */
  private readonly waiting = new Map<string, string>();
  /** The deciding react event's id per (target, sender, emoji): the others say nothing. */
  private readonly deciding = new Map<string, string>();
  /** The emoji held per (target, sender): at most {@link MAX_MEMBER_EMOJI}, those sorting first. */
  private readonly emojiOf = new Map<string, Set<string>>();

  /**
   * @param present whether a message with this id is a row of the list now
   * @param maxWaiting most events kept waiting for their target
   */
  constructor(
    private readonly present: (id: string) => boolean,
    private readonly maxWaiting = MAX_WAITING,
  ) {}

  /** Whether event `id` is held (applied or waiting). */
  has(id: string): boolean {
    return this.byId.has(id);
  }

  /** The event with `id`, as held. */
  get(id: string): ChatMessage | undefined {
    return this.byId.get(id);
  }

  /** How many events wait for their target. */
  get waitingCount(): number {
    return this.waiting.size;
  }

  /** The events that name message `target`. */
  of(target: string): Iterable<ChatMessage> {
    return this.byTarget.get(target)?.values() ?? [];
  }

  /**
   * Takes event `msg` (or a newer state of one held). Returns the ids of the rows it changes:
   * its target when in the list and it says something new there (and the target a copy of
   * the same id named before, if another).
   */
  add(msg: ChatMessage): string[] {
    const ev = msg.event;
    if (!ev) return [];
    const changed: string[] = [];
    if (ev.kind === 'react' && !this.byId.has(msg.id)) {
      // Only the latest reaction of a member with an emoji decides: an earlier one is not kept,
      // so toggling a thousand times costs what toggling once does.
      const key = `${ev.target}\n${msg.from.id}\n${ev.emoji}`;
      const held = this.byId.get(this.deciding.get(key) ?? '');
      if (held && later(held, msg)) return [];
      if (held) {
        const was = this.remove(held.id);
        if (was !== undefined) changed.push(was);
      } else if (!this.roomFor(ev.target, msg.from.id, ev.emoji, changed)) return changed;
      this.deciding.set(key, msg.id);
      const mine = `${ev.target}\n${msg.from.id}`;
      const set = this.emojiOf.get(mine);
      if (set) set.add(ev.emoji);
      else this.emojiOf.set(mine, new Set([ev.emoji]));
    }
    let old = this.byId.get(msg.id);
    if (old && old.event?.target !== ev.target) {
      const was = this.remove(msg.id);
      if (was !== undefined) changed.push(was);
      old = undefined;
    }
    this.byId.set(msg.id, msg);
    let named = this.byTarget.get(ev.target);
    if (!named) this.byTarget.set(ev.target, (named = new Map()));
    named.set(msg.id, msg);
    if (!this.present(ev.target)) {
      if (!this.waiting.has(msg.id)) this.wait(msg.id, ev.target);
    } else if (!old || !sameEvent(old, msg)) changed.push(ev.target);
    return changed;
  }

  /** Forgets event `id`. Returns the id of the row that changes, if its target is in the list. */
  remove(id: string): string | undefined {
    const msg = this.byId.get(id);
    if (!msg?.event) return undefined;
    this.byId.delete(id);
    this.waiting.delete(id);
    const target = msg.event.target;
    if (msg.event.kind === 'react') {
      const key = `${target}\n${msg.from.id}\n${msg.event.emoji}`;
      if (this.deciding.get(key) === id) {
        this.deciding.delete(key);
        const mine = `${target}\n${msg.from.id}`;
        const set = this.emojiOf.get(mine);
        set?.delete(msg.event.emoji);
        if (set?.size === 0) this.emojiOf.delete(mine);
      }
    }
    const named = this.byTarget.get(target);
    named?.delete(id);
    if (named?.size === 0) this.byTarget.delete(target);
    return this.present(target) ? target : undefined;
  }

  /** Message `id` is now a row: the events waiting for it stop waiting. */
  arrived(id: string): void {
    for (const ev of this.of(id)) this.waiting.delete(ev.id);
  }

  /** Message `id` left the list: its events wait for it again. */
  left(id: string): void {
    for (const ev of [...this.of(id)]) this.wait(ev.id, id);
  }

  clear(): void {
    this.byId.clear();
    this.byTarget.clear();
    this.waiting.clear();
    this.deciding.clear();
    this.emojiOf.clear();
  }

  /**
   * Whether a new emoji of `sender` on `target` is kept: while fewer than
   * {@link MAX_MEMBER_EMOJI} are held, or when it sorts before the last held (which then goes,
   * its row noted in `changed`).
   */
  private roomFor(target: string, sender: string, emoji: string, changed: string[]): boolean {
    const set = this.emojiOf.get(`${target}\n${sender}`);
    if (!set || set.size < MAX_MEMBER_EMOJI) return true;
    let last = '';
    for (const e of set) if (e > last) last = e;
    if (emoji > last) return false;
    const was = this.remove(this.deciding.get(`${target}\n${sender}\n${last}`) ?? '');
    if (was !== undefined) changed.push(was);
    return true;
  }

  private wait(id: string, target: string): void {
    this.waiting.set(id, target);
    while (this.waiting.size > this.maxWaiting) {
      const oldest = this.waiting.keys().next().value as string;
      this.remove(oldest);
    }
  }
}
