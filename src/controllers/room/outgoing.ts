/**
 * Our messages on their way out, for the room controller: composed, sealed in an encrypted
 * room, signed with our identity key, written to IndexedDB (history and outbox in one
 * transaction), then handed to delivery. A message shows at once as "saving…"; the page asks
 * before it goes while one is not stored yet; a failed write can be retried.
 */
import { uuidv7 } from '../../protocol/message-id.js';
import * as v from 'valibot';
import { ChatBodySchema, type ChatBody, type Envelope } from '../../protocol/chat-events.js';
import { describeIssues } from '../../protocol/fields.js';
import type { FileBody, Manifest } from '../../protocol/file-manifest.js';
import type { EventBody, MessageEvent, ReplyBody } from '../../protocol/message-events.js';
import { pageSize, tooLong } from './page-size.js';
import {
  messageIdOf,
  signEnvelope,
  type UnsignedEnvelope,
} from '../../protocol/signed-envelope.js';
import { queueOutgoing } from '../../store/outbox.js';
import type { ChatMessage, MessageList } from './message-list.js';
import { report, type MessageReport } from './message-report.js';
import type { ProblemCode } from '../shared/problem.js';
import type { ActiveRoom } from './room-context.js';
import type { RoomSealing } from './room-sealing.js';
import { UnsavedGuard } from './unsaved-guard.js';

/** What the outgoing side needs of the room controller. */
export interface OutgoingServices {
  list: MessageList;
  sealing: RoomSealing;
  /** Whether `active` is still the room being shown. */
  current: (active: ActiveRoom) => boolean;
  changed: () => void;
  /** Sends what the outbox holds, after the storage work queued so far (`env` was just stored). */
  flush: (active: ActiveRoom, env: Envelope) => void;
  /** Told of each of our messages once stored, even if another room is shown by then. */
  stored?: (active: ActiveRoom, env: Envelope) => void;
  /** Resends a message that is stored but was not acknowledged. */
  resend: (active: ActiveRoom, id: string) => void;
  fail: (code: ProblemCode, message: string) => false;
  /** Told of every message we send. */
  sent?: (report: MessageReport) => void;
  /** The payload cap of the link now (the server's announced one), in bytes. */
  cap: () => number;
  /** Whether only this browser's tabs are used now (what we write then stays in this browser). */
  tabsOnly: () => boolean;
}

/** Composes, signs and stores our messages. */
export class Outgoing {
  private seq = 0;
  /** Asks before the page goes while a sent message is not stored yet. */
  private readonly guard = new UnsavedGuard();
  /** Our messages whose write failed: Retry stores them first. */
  private readonly unsaved = new Map<string, Envelope>();
  /** Messages being sealed and signed, one after another, so they keep their order. */
  private signing: Promise<unknown> = Promise.resolve();
  /** Messages written while their room was still opening (history, keys): sent once it is. */
  private held: Array<{ room: string; text: string; reply?: string }> = [];

  constructor(private readonly s: OutgoingServices) {}

  /** Messages of ours that are on screen but not yet in IndexedDB. */
  get saving(): number {
    return this.guard.count;
  }

  /**
   * Sends `text` to `active`'s room. It shows at once as "saving…", is sealed and signed (a
   * few tens of µs, off this task) and written to IndexedDB, then shows as "queued" until the
   * transport takes it: what the user sees as queued is already stored, so a reload or a crash
   * cannot lose it. Returns false (with the problem reported) when the text is refused.
   */
  send(active: ActiveRoom, text: string, reply?: string): boolean {
    const body = this.checked(text);
    if (!body) return false;
    if (reply === undefined) return this.compose(active, body, { text });
    // A reply names the message it answers; an older member shows it as the text it is.
    return this.compose(active, { ...body, reply }, { text, replyTo: { id: reply } });
  }

  /** `text` as a chat body, or undefined (the problem reported) when it is refused. */
  private checked(text: string): ChatBody | undefined {
    const body = v.safeParse(ChatBodySchema, { text });
    if (body.success && text.trim() !== '') return body.output;
    const why = body.success ? 'A message cannot be blank.' : describeIssues(body.issues);
    this.s.fail('invalid-message', why);
    return undefined;
  }

  /**
   * Sends a message event (protocol 1.3): an edit of our message (its text checked like a
   * message's), a deletion, or a reaction. It is a message of its own — signed, sealed in an
   * encrypted room, stored and delivered like one — and the list folds it in at once.
   */
  postEvent(active: ActiveRoom, body: EventBody): boolean {
    if (body.kind === 'edit' && !this.checked(body.text)) return false;
    const event: MessageEvent = { ...body };
    return this.compose(active, body, { text: '', event });
  }

  /**
   * Sends a room-control body (a private room's charter, a member's announcement, a rotation):
   * signed, sealed and stored like a message, shown as the quiet line `note`.
   */
  post(
    active: ActiveRoom,
    body: { kind: string },
    note: string,
    sealWith?: string,
  ): ChatMessage | undefined {
    let shown: ChatMessage | undefined;
    this.compose(active, body, { text: '', note }, sealWith, (m) => (shown = m));
    return shown;
  }

  /**
   * Sends a file message (its manifest, and a caption): shown, sealed, signed and stored like
   * a chat message. Returns its id, or undefined when refused (the problem reported).
   */
  postFile(active: ActiveRoom, body: FileBody): string | undefined {
    let id: string | undefined;
    const shownAs = { text: body.text ?? '', file: body.file };
    this.compose(active, body, shownAs, undefined, (m) => (id = m.id));
    return id;
  }

  /** Shows, seals, signs and stores one body of ours (see {@link send}). */
  private compose(
    active: ActiveRoom,
    body: ChatBody | ReplyBody | { kind: string },
    shownAs: {
      text: string;
      note?: string;
      file?: Manifest;
      event?: MessageEvent;
      replyTo?: { id: string };
    },
    sealWith?: string,
    shownNow?: (msg: ChatMessage) => void,
  ): boolean {
    const { self } = active;
    const header = {
      id: messageIdOf(self.id, uuidv7()),
      room: active.room,
      from: { id: self.id, name: active.name, key: self.publicKey },
      ts: Date.now(),
      seq: this.seq,
    };
    // Refused before it is shown or stored when it could never travel: every receiver (and
    // every catch-up page that carries it) takes at most the server's payload cap.
    const size = pageSize(header, body, this.s.sealing.encrypted);
    if (size > this.s.cap()) return this.s.fail('invalid-message', tooLong(size, this.s.cap()));
    this.seq++;
    // Written while only this browser's tabs are used: it stays in this browser.
    const local = this.s.tabsOnly() ? { local: 'tabs' as const } : {};
    const sealed = this.s.sealing.encrypted ? { sealed: true as const } : {};
    const kid = sealWith ?? this.s.sealing.current?.kid;
    const shown = {
      ...header,
      body,
      sig: '',
      ...shownAs,
      owner: active.owner,
      ...local,
      ...sealed,
      ...(sealed.sealed && kid ? { kid } : {}),
    };
    const row: ChatMessage = { ...shown, status: 'saving' };
    this.s.list.upsert(row);
    shownNow?.(row);
    this.s.changed();
    const signed = this.signing.then(async () => {
      const sealed = await this.s.sealing.seal(header, body, sealWith);
      const unsigned: UnsignedEnvelope = { ...header, body: sealed };
      return signEnvelope(self, unsigned);
    });
    this.signing = signed.catch(() => undefined);
    this.save(active, header.id, signed, local.local !== undefined);
    // Notes and events are no words of ours to announce (the page hears messages only).
    if (shownAs.note === undefined && !shownAs.event) this.s.sent?.(report(shown, 'out'));
    return true;
  }

  /** Keeps `text` for `room`, which is still opening; {@link release} sends it. */
  hold(room: string, text: string, reply?: string): void {
    this.held.push({ room, text, reply });
  }

  /** `active`'s room is open: what was written for it meanwhile is sent, in order. */
  release(active: ActiveRoom): void {
    const mine = this.held.filter((h) => h.room === active.room);
    this.held = this.held.filter((h) => h.room !== active.room);
    for (const h of mine) this.send(active, h.text, h.reply);
  }

  /** Sends one of our failed messages again (storing it first if that is what failed). */
  retry(active: ActiveRoom, id: string): void {
    const env = this.unsaved.get(id);
    if (!env) return this.s.resend(active, id);
    this.unsaved.delete(id);
    this.s.list.setStatus(id, 'saving');
    this.s.changed();
    this.save(active, id, Promise.resolve(env), this.s.list.get(id)?.local !== undefined);
  }

  /** Forgets failed writes (the room was left); with `held`, also what waited (a logout). */
  clear(held = false): void {
    this.unsaved.clear();
    if (held) this.held = [];
  }

  /**
   * Stores one of our messages once signed: the transaction starts as soon as it is (never
   * behind network work; IndexedDB commits overlapping transactions in the order they were
   * made, so messages keep their order). Once committed it shows as queued and is sent.
   */
  private save(active: ActiveRoom, id: string, signed: Promise<Envelope>, local = false): void {
    let env: Envelope | undefined;
    const stored = signed.then((e) => queueOutgoing(active.db, active.owner, (env = e), local));
    this.guard.track(stored).then(
      () => {
        if (env) this.s.stored?.(active, env);
        if (!this.s.current(active)) return;
        const shown = this.s.list.get(id);
        if (shown && env) {
          const status = shown.status === 'saving' ? 'queued' : shown.status;
          this.s.list.upsert({ ...shown, body: env.body, sig: env.sig, status });
        }
        this.s.changed();
        if (env) this.s.flush(active, env);
      },
      (err: unknown) => {
        if (!this.s.current(active)) return;
        if (env) this.unsaved.set(id, env);
        this.s.list.setStatus(id, 'failed');
        const what = env ? "this browser's storage" : 'your identity key (signing failed)';
        this.s.fail('storage', `Could not save your message in ${what}: ${String(err)}`);
      },
    );
  }
}
