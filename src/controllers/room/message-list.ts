/**
 * The messages on screen, kept sorted by time (then id) and unique by id, with the message
 * events (edits, deletions, reactions) folded into the messages they name.
 */
import type { Manifest } from '../../protocol/file-manifest.js';
import type { MessageEvent } from '../../protocol/message-events.js';
import type { MessageStatus, StoredMessage } from '../../store/schema.js';
import { Annotations, fold, MAX_WAITING, withReply } from './annotations.js';

/**
 * A message as views show it: the stored form (the envelope as signed, its body sealed in an
 * encrypted room; owner; delivery state) and its text in the clear.
 */
export interface ChatMessage extends Omit<StoredMessage, 'unreadBy'> {
  text: string;
  /** It travelled end-to-end encrypted. */
  sealed?: true;
  /**
   * It came in the clear to a room we hold a key for: sent before the room had one, or by
   * someone without it — shown as "not encrypted", never passed off as the others.
   */
  inClear?: true;
  /**
   * Opened with a key that is not the room's: neither the one the room seals with now nor a
   * passphrase typed in this browser for it — a key an invite link brought, behind the room's
   * (anyone can send such a link), so it is never passed off as the room's own.
   */
  otherKey?: true;
  /** The identifier of the key that sealed it, when its author named it (protocol 1.1). */
  kid?: string;
  /**
   * Sealed under a key we do not hold: `text` is '' and views show one quiet "can't read this
   * message yet" line; it never counts as unread and opens in place when the key comes.
   */
  unreadable?: true;
  /** On our messages: names of members whose receipt said they cannot open it. */
  cantRead?: string[];
  /**
   * A quiet line a room-control message carries ("Alice made this private room", "Bob joined
   * the room"): shown as a line, not as a chat message, never unread.
   */
  note?: string;
  /** Written or received while only this browser's tabs were used: it stays in this browser. */
  local?: 'tabs';
  /** The author's short fingerprint (the first three groups of the key's safety code, roster.ts). */
  fingerprint?: string;
  /**
   * The kind of message this version cannot show (a newer version's): `text` is then a quiet
   * line saying so, and the message is kept and passed on as it came.
   */
  unknown?: string;
  /** A file message's manifest (protocol 1.2); `text` is its caption ('' for none). */
  file?: Manifest;
  /**
   * A message event (protocol 1.3: an edit, a deletion, a reaction): never a row of its own;
   * the list folds it into the message it names (see `annotations.ts`).
   */
  event?: MessageEvent;
  /** Its author edited it: `text` is the newest edit's text; this is that edit's time (ms). */
  edited?: number;
  /** Its author deleted it: `text` is '' (and `file` gone); views show "message deleted". */
  deleted?: true;
  /** Reactions to it, in the order each emoji was first given. */
  reactions?: readonly Reaction[];
  /** The message this one answers (a reply, protocol 1.3). */
  replyTo?: ReplyRef;
}

/** One emoji's reactions to a message. */
export interface Reaction {
  emoji: string;
  /** Who reacted with it (ids and names), in the order they did. */
  by: ReadonlyArray<{ id: string; name: string }>;
  /** Whether we are among them (so the view offers to take ours back). */
  mine: boolean;
}

/**
 * The message a reply answers: its id always; its author's name and an excerpt of its text
 * (as it is now: edited, or "message deleted") once that message is known here.
 */
export interface ReplyRef {
  id: string;
  name?: string;
  /** Up to {@link REPLY_EXCERPT} characters of its text, as plain text. */
  excerpt?: string;
  /** The answered message was deleted by its author. */
  deleted?: true;
  /** The answered message is here, but sealed under a key we do not hold (yet). */
  unreadable?: true;
}

/** Longest excerpt of an answered message a reply shows. */
export const REPLY_EXCERPT = 140;
/** Longest message text views let the user send. */
export { MAX_TEXT } from '../../protocol/limits.js';

function before(a: ChatMessage, b: ChatMessage): boolean {
  return a.ts < b.ts || (a.ts === b.ts && a.id < b.id);
}

function order(a: ChatMessage, b: ChatMessage): number {
  return before(a, b) ? -1 : before(b, a) ? 1 : 0;
}

/**
 * A row as its author sent it. Views hand back rows they got from `get` (with a new status,
 * say): what the fold derived is taken off, and a row that shows an edit or a deletion keeps
 * the text, file and reply of the row it replaces.
 */
function asSent(msg: ChatMessage, old: ChatMessage | undefined): ChatMessage {
  const bare = msg.replyTo === undefined || Object.keys(msg.replyTo).length === 1;
  const shown = msg.edited !== undefined || msg.deleted !== undefined || msg.reactions;
  if (bare && !shown) return msg;
  const derived = old !== undefined && (msg.edited !== undefined || msg.deleted === true);
  const { edited: _e, deleted: _d, reactions: _r, replyTo, text, file, ...rest } = msg;
  const out: ChatMessage = { ...rest, text: derived ? old.text : text };
  const kept = derived ? old.file : file;
  if (kept) out.file = kept;
  const answers = derived ? old.replyTo : replyTo;
  if (answers) out.replyTo = { id: answers.id };
  return out;
}

/** Takes a stored message's delivery state into a row, keeping what the row shows. */
function withState(row: ChatMessage, stored: StoredMessage): ChatMessage {
  const { cantRead: _c, ...rest } = row;
  const cantRead = stored.unreadBy?.length ? { cantRead: stored.unreadBy } : {};
  return { ...rest, status: stored.status, ackedBy: stored.ackedBy, ...cantRead };
}

/**
 * Sorted, de-duplicated list of messages, with message events folded into the rows they name
 * (`annotations.ts`). Events are never rows, but `has` and `get` know them by id. Insertion is
 * a binary search and a batch is one sort, so merging history pages or late arrivals never
 * re-sorts row by row; an event re-makes only its target and the replies to it.
 */
export class MessageList {
  private list: ChatMessage[] = [];
  /** Rows as shown (events folded in, replies described). */
  private readonly byId = new Map<string, ChatMessage>();
  /** Rows as sent, before any event. */
  private readonly sent = new Map<string, ChatMessage>();
  /** The ids of the rows answering each message id. */
  private readonly replies = new Map<string, Set<string>>();
  private readonly events: Annotations;
  private me: string;

  /**
   * @param self our identity id (`from.id` of our messages), for `mine` on reactions
   * @param maxWaiting most events kept waiting for a message not in the list
   */
  constructor(self = '', maxWaiting = MAX_WAITING) {
    this.me = self;
    this.events = new Annotations((id) => this.sent.has(id), maxWaiting);
  }

  /** Our identity id: set it when a room opens, so reactions know which are ours. */
  get self(): string {
    return this.me;
  }
  set self(id: string) {
    if (id === this.me) return;
    this.me = id;
    const mine = [...this.byId.values()].filter((m) => m.reactions).map((m) => m.id);
    this.patch(this.recompute(mine));
  }

  /** Messages, oldest first. A new array after every change, so views can compare. */
  get items(): readonly ChatMessage[] {
    return this.list;
  }

  /** Whether a message or an event with `id` is held. */
  has(id: string): boolean {
    return this.sent.has(id) || this.events.has(id);
  }

  /** The message with `id` as shown, or the event with `id` as held. */
  get(id: string): ChatMessage | undefined {
    return this.byId.get(id) ?? this.events.get(id);
  }

  /** How many events wait for a message not in the list. */
  get waiting(): number {
    return this.events.waitingCount;
  }

  /** Adds a message or an event, or replaces the one with the same id. */
  upsert(msg: ChatMessage): void {
    this.merge([msg]);
  }

  /** Adds or replaces many messages and events at once: one sort, one new array. */
  upsertMany(msgs: readonly ChatMessage[]): void {
    this.merge(msgs);
  }

  /**
   * Takes the stored state (delivery, receipts) of messages held; what they show stays.
   * Messages not on screen are left out: older pages read the new state when loaded.
   */
  refresh(stored: readonly StoredMessage[]): void {
    const changed = new Set<string>();
    for (const m of stored) {
      const row = this.byId.get(m.id);
      const sent = this.sent.get(m.id);
      if (row && sent) {
        this.sent.set(m.id, withState(sent, m));
        this.byId.set(m.id, withState(row, m));
        changed.add(m.id);
      }
      const ev = this.events.get(m.id);
      if (ev) this.events.add(withState(ev, m));
    }
    this.patch(changed);
  }

  /** Changes the delivery state of one message or event. */
  setStatus(id: string, status: MessageStatus): void {
    const ev = this.events.get(id);
    if (ev) {
      if (ev.status !== status) this.events.add({ ...ev, status });
      return;
    }
    const row = this.byId.get(id);
    const sent = this.sent.get(id);
    if (!row || !sent || row.status === status) return;
    this.sent.set(id, { ...sent, status });
    this.byId.set(id, { ...row, status });
    this.patch(new Set([id]));
  }

  /**
   * Takes message `id` off the list (a control message of ours that says nothing); its
   * events wait for it again. Of an event: undoes what it did.
   */
  remove(id: string): void {
    if (this.events.has(id)) {
      const target = this.events.remove(id);
      if (target !== undefined) this.patch(this.recompute([target]));
      return;
    }
    if (!this.sent.has(id)) return;
    this.drop(id);
    this.list = this.list.filter((m) => m.id !== id);
    this.patch(this.recompute([id]));
  }

  clear(): void {
    this.list = [];
    this.byId.clear();
    this.sent.clear();
    this.replies.clear();
    this.events.clear();
  }

  private merge(msgs: readonly ChatMessage[]): void {
    const changed = new Set<string>();
    const added: string[] = [];
    let resort = false;
    let dropped = false;
    for (const m of msgs) {
      if (m.event) continue;
      if (this.events.has(m.id)) {
        const target = this.events.remove(m.id);
        if (target !== undefined) changed.add(target);
      }
      const old = this.sent.get(m.id);
      const row = asSent(m, old);
      if (old?.replyTo && old.replyTo.id !== row.replyTo?.id) this.unlink(m.id, old.replyTo.id);
      if (old && old.ts !== row.ts) resort = true;
      this.sent.set(m.id, row);
      if (row.replyTo) this.link(m.id, row.replyTo.id);
      if (!old) {
        added.push(m.id);
        this.events.arrived(m.id);
      }
      changed.add(m.id);
    }
    for (const m of msgs) {
      if (!m.event) continue;
      // A row until now (sealed, say) that turns out to be an event once opened.
      if (this.sent.has(m.id)) {
        this.drop(m.id);
        changed.add(m.id);
        dropped = true;
      }
      for (const target of this.events.add(m)) changed.add(target);
    }
    const touched = this.recompute(changed);
    if (dropped) this.list = this.list.filter((m) => this.byId.has(m.id));
    if (added.length > 1 || resort) {
      this.list = [...this.byId.values()].sort(order);
      return;
    }
    if (added.length === 1) this.insert(this.byId.get(added[0]!)!);
    this.patch(touched);
  }

  /** Re-folds rows `ids`, then describes anew the replies to them; returns the rows changed. */
  private recompute(ids: Iterable<string>): Set<string> {
    const touched = new Set<string>();
    const redo = new Set<string>();
    for (const id of ids) {
      const base = this.sent.get(id);
      if (base) {
        this.byId.set(id, fold(base, this.events.of(id), this.me));
        touched.add(id);
        redo.add(id);
      }
      for (const r of this.replies.get(id) ?? []) redo.add(r);
    }
    for (const id of redo) {
      const row = this.byId.get(id);
      if (!row?.replyTo) continue;
      const next = withReply(row, this.byId.get(row.replyTo.id));
      if (next === row) continue;
      this.byId.set(id, next);
      touched.add(id);
    }
    return touched;
  }

  /** Forgets row `id` (not its events: they wait for it again). */
  private drop(id: string): void {
    const sent = this.sent.get(id);
    if (sent?.replyTo) this.unlink(id, sent.replyTo.id);
    this.sent.delete(id);
    this.byId.delete(id);
    this.events.left(id);
  }

  private link(reply: string, answered: string): void {
    const set = this.replies.get(answered);
    if (set) set.add(reply);
    else this.replies.set(answered, new Set([reply]));
  }

  private unlink(reply: string, answered: string): void {
    const set = this.replies.get(answered);
    set?.delete(reply);
    if (set?.size === 0) this.replies.delete(answered);
  }

  /** Puts a new row in its place: a binary search, one new array. */
  private insert(msg: ChatMessage): void {
    const next = [...this.list];
    next.splice(lowerBound(next, msg), 0, msg);
    this.list = next;
  }

  /** Puts the rows `ids` as shown now in their places; a new array when any changed. */
  private patch(ids: ReadonlySet<string>): void {
    if (ids.size === 0) return;
    const next = [...this.list];
    for (const id of ids) {
      const msg = this.byId.get(id);
      if (!msg) continue;
      const i = lowerBound(next, msg);
      if (next[i]?.id === id) next[i] = msg;
    }
    this.list = next;
  }
}

/** Where `msg` goes in the sorted `list`: the first row not before it. */
function lowerBound(list: readonly ChatMessage[], msg: ChatMessage): number {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (before(list[mid]!, msg)) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
