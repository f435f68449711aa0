/**
 * The messages on screen, kept sorted by time (then id) and unique by id. Insertion is a
 * binary search, so merging history pages or late arrivals never re-sorts the whole list.
 */
import type { Manifest } from '../../protocol/file-manifest.js';
import type { MessageEvent } from '../../protocol/message-events.js';
import type { MessageStatus, StoredMessage } from '../../store/schema.js';

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
  /** The author's short fingerprint (the first group of the key's safety code). */
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
}

/** Longest excerpt of an answered message a reply shows. */
export const REPLY_EXCERPT = 140;
/** Longest message text views let the user send. */
export { MAX_TEXT } from '../../protocol/limits.js';

function before(a: ChatMessage, b: ChatMessage): boolean {
  return a.ts < b.ts || (a.ts === b.ts && a.id < b.id);
}

/** Sorted, de-duplicated list of messages. */
export class MessageList {
  private list: ChatMessage[] = [];
  private readonly byId = new Map<string, ChatMessage>();

  /** Messages, oldest first. A new array after every change, so views can compare. */
  get items(): readonly ChatMessage[] {
    return this.list;
  }

  has(id: string): boolean {
    return this.byId.has(id);
  }

  /** The message with `id`, if shown. */
  get(id: string): ChatMessage | undefined {
    return this.byId.get(id);
  }

  /** Adds a message, or replaces the one with the same id. */
  upsert(msg: ChatMessage): void {
    const next = [...this.list];
    if (this.byId.has(msg.id)) {
      const i = next.findIndex((m) => m.id === msg.id);
      next[i] = msg;
    } else {
      let lo = 0;
      let hi = next.length;
      while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        if (before(next[mid]!, msg)) lo = mid + 1;
        else hi = mid;
      }
      next.splice(lo, 0, msg);
    }
    this.byId.set(msg.id, msg);
    this.list = next;
  }

  /** Adds or replaces many messages at once: one sort, one new array (catch-up pages). */
  upsertMany(msgs: readonly ChatMessage[]): void {
    if (msgs.length < 8) return msgs.forEach((m) => this.upsert(m));
    for (const m of msgs) this.byId.set(m.id, m);
    this.list = [...this.byId.values()].sort((a, b) => (before(a, b) ? -1 : before(b, a) ? 1 : 0));
  }

  /**
   * Takes the stored state (delivery, receipts) of messages on screen; their text stays.
   * Messages not on screen are left out: older pages read the new state when loaded.
   */
  refresh(stored: readonly StoredMessage[]): void {
    const shown = stored.flatMap((m) => {
      const old = this.byId.get(m.id);
      if (!old) return [];
      const { cantRead: _c, ...rest } = old;
      const cantRead = m.unreadBy?.length ? { cantRead: m.unreadBy } : {};
      return [{ ...rest, status: m.status, ackedBy: m.ackedBy, ...cantRead }];
    });
    if (shown.length > 0) this.upsertMany(shown);
  }

  /** Changes the delivery state of one message. */
  setStatus(id: string, status: MessageStatus): void {
    const msg = this.byId.get(id);
    if (msg && msg.status !== status) this.upsert({ ...msg, status });
  }

  /** Takes message `id` off the list (a control message of ours that says nothing). */
  remove(id: string): void {
    if (!this.byId.delete(id)) return;
    this.list = this.list.filter((m) => m.id !== id);
  }

  clear(): void {
    this.list = [];
    this.byId.clear();
  }
}
