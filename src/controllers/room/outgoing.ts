/**
 * Our messages on their way out, for the room controller: composed, sealed in an encrypted
 * room, signed with our identity key, then put on the wire and written to IndexedDB (history
 * and outbox in one transaction) at the same time. A message shows as "saving…" until that
 * write commits, then as sent (or queued, when no link took it: the outbox flush sends it);
 * the page asks before it goes while one is not stored yet; a failed write can be retried.
 */
import { uuidv7 } from '../../protocol/message-id.js';
import * as v from 'valibot';
import { ChatBodySchema, type ChatBody, type Envelope } from '../../protocol/chat-events.js';
import { describeIssues } from '../../protocol/fields.js';
import type { FileBody, Manifest } from '../../protocol/file-manifest.js';
import type { EventBody, MessageEvent, ReplyBody } from '../../protocol/message-events.js';
import { pageSize, tooLong } from './page-size.js';
import { messageIdOf, signEnvelope, type EnvelopeHeader } from '../../protocol/signed-envelope.js';
import { queueOutgoing, type SentEarly } from '../../store/outbox.js';
import type { ChatMessage, MessageList } from './message-list.js';
import { report, type MessageReport } from './message-report.js';
import type { ProblemCode } from '../shared/problem.js';
import type { ActiveRoom } from './room-context.js';
import type { RoomSealing } from './room-sealing.js';
import { UnsavedGuard } from './unsaved-guard.js';
import { phase } from './phase-marks.js';

/** What the outgoing side needs of the room controller. */
export interface OutgoingServices {
  list: MessageList;
  sealing: RoomSealing;
  /** Whether `active` is still the room being shown. */
  current: (active: ActiveRoom) => boolean;
  changed: () => void;
  /**
   * `env` was just stored: `went` says whether {@link send} already put it on the wire; when
   * not, what the outbox holds is sent after the storage work queued so far.
   */
  flush: (active: ActiveRoom, env: Envelope, went: boolean) => void;
  /**
   * Puts one of our messages on the wire at once, before it is stored (receivers drop repeats
   * by id; the outbox keeps it until acknowledged), if `active` is shown and a link carries it.
   * Returns undefined when it did not go.
   */
  send: (active: ActiveRoom, env: Envelope, local: boolean) => SentEarly | undefined;
  /** Told of each of our messages once stored, even if another room is shown by then. */
  stored?: (active: ActiveRoom, env: Envelope) => void;
  /** Resends a message that is stored but was not acknowledged. */
  resend: (active: ActiveRoom, id: string) => void;
  fail: (code: ProblemCode, message: string) => false;
  /** Told of every message we send, once it went on the wire (or is stored to go later). */
  sent?: (report: MessageReport) => void;
  /** The payload cap of the link now (the server's announced one), in bytes. */
  cap: () => number;
  /** Whether only this browser's tabs are used now (what we write then stays in this browser). */
  tabsOnly: () => boolean;
}

/**
 * How long a row of ours may wait to be drawn for its message to go out first (ms): a render
 * started at once would hold the signature's answer (and the wire) behind it, and the frame
 * that shows the row comes later anyway. Only a slow signature (a key imported first) waits
 * this long.
 */
const DRAW_WITHIN_MS = 16;

/** Composes, signs and stores our messages. */
export class Outgoing {
  private seq = 0;
  /** Asks before the page goes while a sent message is not stored yet. */
  private readonly guard = new UnsavedGuard();
  /** Our messages whose write failed: Retry stores them first. */
  private readonly unsaved = new Map<string, Envelope>();
  /** Messages being sealed and signed, one after another, so they keep their order. */
  private signing: Promise<unknown> = Promise.resolve();
  /** How many of those have not settled yet (none: the next one starts at once). */
  private signingNow = 0;
  /** Messages written while their room was still opening (history, keys): sent once it is. */
  private held: Array<{ room: string; text: string; reply?: string }> = [];

  constructor(private readonly s: OutgoingServices) {}

  /** Messages of ours that are on screen but not yet in IndexedDB. */
  get saving(): number {
    return this.guard.count;
  }

  /**
   * Sends `text` to `active`'s room. It is listed at once as "saving…", is sealed and signed
   * (a few tens of µs, off this task), then goes on the wire and into IndexedDB together; it
   * shows as "sent" once that write commits ("queued" when no link took it): what the user
   * sees as queued or sent is already stored, so a reload or a crash cannot lose it. Returns
   * false (with the problem reported) when the text is refused.
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
    phase('out-send', header.id);
    // Refused before it is shown or stored when it could never travel: every receiver (and
    // every catch-up page that carries it) takes at most the server's payload cap.
    const size = pageSize(header, body, this.s.sealing.encrypted);
    if (size > this.s.cap()) return this.s.fail('invalid-message', tooLong(size, this.s.cap()));
    this.seq++;
    // Written while only this browser's tabs are used: it stays in this browser.
    const local = this.s.tabsOnly() ? { local: 'tabs' as const } : {};
    const sealed = this.s.sealing.encrypted ? { sealed: true as const } : {};
    const kid = sealWith ?? this.s.sealing.current?.kid;
    // Signed before anything is drawn or announced: see `sign`.
    const signed = this.sign(self, header, body, sealWith);
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
    // Drawn once it went out (see DRAW_WITHIN_MS): listed now, so it is in `messages` at once.
    const draw = setTimeout(() => this.s.changed(), DRAW_WITHIN_MS);
    const drawn = () => {
      clearTimeout(draw);
      this.s.changed();
    };
    // Notes and events are no words of ours to announce (the page hears messages only).
    const announce = shownAs.note === undefined && !shownAs.event;
    void signed.catch(drawn);
    this.save(active, header.id, signed, local.local !== undefined, () => {
      drawn();
      // Announced once on its way (the page's listeners run after the wire, not before it).
      if (announce) this.s.sent?.(report(shown, 'out'));
    });
    return true;
  }

  /**
   * `header` and `body` sealed (in an encrypted room) and signed, in the order messages were
   * written: started at once when nothing is being signed (WebCrypto answers within this task,
   * so the message can be on the wire before the task ends), else after the one before.
   */
  private sign(
    self: ActiveRoom['self'],
    header: EnvelopeHeader,
    body: ChatBody | ReplyBody | { kind: string },
    sealWith: string | undefined,
  ): Promise<Envelope> {
    const work = async () => {
      // In the clear there is nothing to wait for before the signature.
      const sealed = this.s.sealing.encrypted
        ? await this.s.sealing.seal(header, body, sealWith)
        : (body as ChatBody);
      const env = await signEnvelope(self, { ...header, body: sealed });
      phase('out-signed', env.id);
      return env;
    };
    const signed = this.signingNow === 0 ? work() : this.signing.then(work);
    this.signingNow++;
    const done = () => void this.signingNow--;
    this.signing = signed.then(done, done);
    return signed;
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
    this.save(active, id, Promise.resolve(env), this.s.list.get(id)?.local !== undefined, () =>
      this.s.changed(),
    );
  }

  /** Forgets failed writes (the room was left); with `held`, also what waited (a logout). */
  clear(held = false): void {
    this.unsaved.clear();
    if (held) this.held = [];
  }

  /**
   * Sends and stores one of our messages once signed: it goes on the wire, then the write's
   * transaction is made, in one synchronous step (see `queueOutgoing`), so a receipt, which
   * comes in a later task, can never overtake the write, and storage never waits for the
   * network. IndexedDB commits overlapping transactions in the order they were made, so
   * messages keep their order. `went` runs once it went (or could not): the row is drawn then.
   * Once committed it shows as sent (queued when it did not go: the outbox flush sends it).
   */
  private save(
    active: ActiveRoom,
    id: string,
    signed: Promise<Envelope>,
    local: boolean,
    went: () => void,
  ): void {
    let env: Envelope | undefined;
    let early = false;
    const stored = signed.then((e) => {
      env = e;
      const sent = this.s.send(active, e, local);
      early = sent !== undefined;
      const write = queueOutgoing(active.db, active.owner, e, local, sent);
      went();
      return write;
    });
    this.guard.track(stored).then(
      () => {
        if (env) phase('out-stored', env.id);
        if (env) this.s.stored?.(active, env);
        if (!this.s.current(active)) return;
        const shown = this.s.list.get(id);
        if (shown && env) {
          // A receipt may have come first (delivered): it stays.
          const now = early ? 'sent' : 'queued';
          const status = shown.status === 'saving' ? now : shown.status;
          this.s.list.upsert({ ...shown, body: env.body, sig: env.sig, status });
        }
        this.s.changed();
        if (env) this.s.flush(active, env, early);
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
