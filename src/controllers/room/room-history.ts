/**
 * What a person does with the history of the room on screen, for the room controller (which
 * extends this): edit and delete their own messages, react to anyone's, jump to a message in
 * context (a reply's quote, a search result), export the history and import an export. Edits,
 * deletions and reactions are message events (protocol 1.3, `message-events.ts`): messages of
 * their own, so they travel, wait in the outbox and come through catch-up like any message.
 */
import * as v from 'valibot';
import type { ImportReport } from './history-import.js';
import type { HistoryPort } from './history-port.js';
import type { ActiveRoom } from './room-context.js';
import { RoomAccess } from './room-access.js';

/** The export formats: every signed envelope (JSON), or a page to read (HTML). */
export type ExportFormat = 'json' | 'html';

/** The history half of the room controller. */
export abstract class RoomHistory extends RoomAccess {
  /** Whether older history can be loaded. */
  abstract hasOlder: boolean;
  /** The message a jump showed (views highlight it), until the next jump or room. */
  highlighted: string | undefined;
  /** What the last export or import did, in words (Settings' History says it). */
  historyNote = '';
  /** An export or import is under way. */
  historyBusy = false;
  /** A jump waiting for its room to open. */
  private jump: { id: string; room: string } | undefined;

  /** Our message `id` as shown, or undefined (with the problem said) when it is not ours. */
  private ours(active: ActiveRoom, id: string, what: string) {
    const msg = this.list.get(id);
    if (msg && msg.from.id === active.self.id && !msg.event && !msg.note && !msg.deleted)
      return msg;
    this.fail('not-allowed', `Only your own messages can be ${what}.`);
    return undefined;
  }

  /** The room, ready for what we send, or undefined (with the problem said). */
  private ready(): ActiveRoom | undefined {
    const active = this.opening ? undefined : this.active;
    if (!active) this.fail('not-joined', 'Log in and join a room first.');
    return active;
  }

  /**
   * Replaces the text of our message `id` with `text`, for everyone (a signed edit). Returns
   * false, with `problem` set, when it is refused (not ours, blank, too long).
   */
  edit(id: string, text: string): boolean {
    const active = this.ready();
    const msg = active && this.ours(active, id, 'edited');
    if (!active || !msg) return false;
    if (msg.text === text) return true;
    this.problem = undefined;
    return this.outgoing.postEvent(active, { kind: 'edit', target: id, text });
  }

  /** Deletes our message `id` (a signed deletion: others see "message deleted"); false when refused. */
  remove(id: string): boolean {
    const active = this.ready();
    if (!active || !this.ours(active, id, 'deleted')) return false;
    this.problem = undefined;
    return this.outgoing.postEvent(active, { kind: 'delete', target: id });
  }

  /**
   * Adds (`on`) or takes back our reaction `emoji` to message `id`. Resolves false, with
   * `problem` set, when it is refused (not an emoji, a message that takes none).
   */
  async react(id: string, emoji: string, on: boolean): Promise<boolean> {
    const msg = this.list.get(id);
    if (!msg || msg.event || msg.note || msg.deleted || msg.unreadable)
      return this.fail('invalid-message', 'That message cannot take reactions.');
    // The events' schemas come in a chunk of their own (see room-sealing.ts).
    const { EmojiSchema } = await import('../../protocol/message-events.js');
    if (!v.is(EmojiSchema, emoji)) return this.fail('invalid-message', 'A reaction is one emoji.');
    const active = this.ready();
    if (!active) return false;
    this.problem = undefined;
    return this.outgoing.postEvent(active, { kind: 'react', target: id, emoji, on });
  }

  /**
   * Shows message `id` of `room` (this room by default) in its context: older history is
   * loaded up to it (with a few messages before it), and it is `highlighted`. Resolves false,
   * with `problem` set, when this browser does not hold it.
   */
  async jumpTo(id: string, room: string = this.room): Promise<boolean> {
    this.jump = { id, room };
    if (room !== this.room) return this.openRoom(room) !== undefined;
    return this.takeJump();
  }

  /** Carries out the jump waiting for the room just opened (the room controller calls it). */
  protected async takeJump(): Promise<boolean> {
    const active = this.opening ? undefined : this.active;
    const jump = this.jump;
    if (!active || !jump || jump.room !== active.room) return false;
    this.jump = undefined;
    // Rare, and it may read much: in a chunk of its own.
    const shown =
      this.list.has(jump.id) ||
      (await import('./history-jump.js').then((m) => m.showUpTo(this.port(), active, jump.id)));
    if (!shown || this.active !== active) return false;
    this.highlighted = jump.id;
    this.host.requestUpdate();
    return true;
  }

  /** Forgets the highlight and any waiting jump (another room is shown). */
  protected forgetJump(keepWaiting: boolean): void {
    this.highlighted = undefined;
    if (!keepWaiting) this.jump = undefined;
  }

  /**
   * Saves the room's history as a file: `json` holds every signed envelope (sealed ones
   * sealed), so it can be verified and imported; `html` is a page to read, with the text as
   * this account sees it (opened). Resolves false, with `problem` set, when it fails.
   */
  async exportHistory(format: ExportFormat, title: string = `#${this.room}`): Promise<boolean> {
    const active = this.ready();
    const io = active && (await import('./history-io.js'));
    return io ? io.exportFor(this.port(), active!, format, title) : false;
  }

  /** What the history's chunks (jumps, export, import) need of the room controller. */
  private port(): HistoryPort {
    return {
      list: this.list,
      sealing: this.sealing,
      current: (active) => this.active === active,
      older: (more) => (this.hasOlder = more),
      busy: (busy, note) => {
        this.historyBusy = busy;
        this.historyNote = note;
        this.host.requestUpdate();
      },
      fail: (code, message) => this.fail(code, message),
      imported: (active, report) => this.imported(active, report),
    };
  }

  /**
   * Imports a JSON export into this account: every message is verified, known ones are
   * skipped, the rest merged into the room's history (and shown, if it is this room).
   * Resolves with what happened, or undefined (with `problem` set) when storage failed.
   */
  async importHistory(file: Blob): Promise<ImportReport | undefined> {
    const active = this.ready();
    const io = active && (await import('./history-io.js'));
    return io ? io.importFor(this.port(), active!, file) : undefined;
  }

  /** Takes the messages an import added (shows those of the room on screen). */
  protected abstract imported(active: ActiveRoom, report: ImportReport): void;
}
