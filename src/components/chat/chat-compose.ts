/**
 * What the message box of `<parley-chat>` is writing: a new message, a reply to a message, or
 * a new text for one of ours. The list asks (`parley-compose`, from a row's "Reply" or "Edit"),
 * the composer shows it and sends (`parley-send` with `reply` or `edit`), and this hands the
 * words to the room controller: a reply as a message naming the one it answers, an edit as a
 * signed edit of ours. Another room, or a message deleted meanwhile, ends the mode.
 */
import type { ReactiveControllerHost } from 'lit';
import type { RoomController } from '../../controllers/room/room-controller.js';

/** A row's request to reply to or edit a message. */
export interface ComposeRequest {
  mode: 'reply' | 'edit';
  id: string;
  /** The message's current text (for an edit, the field starts with it). */
  text?: string;
  /** Its author's name (for a reply's bar). */
  name?: string;
  /** A short excerpt of it (for a reply's bar). */
  excerpt?: string;
}

/** What `parley-send` carries. */
export interface SendRequest {
  text: string;
  reply?: string;
  edit?: string;
}

/** The message box's mode for one chat element. */
export class ChatCompose {
  /** The message being answered, while replying. */
  replying: { id: string; name: string; excerpt: string } | undefined;
  /** Our message being edited, while editing. */
  editing: { id: string; text: string } | undefined;
  /** The room the mode was chosen in. */
  private room = '';

  constructor(
    private readonly host: ReactiveControllerHost,
    private readonly chat: () => RoomController,
    /** Moves the focus to the message box. */
    private readonly focus: () => void,
  ) {}

  /** A row asked to reply to or edit a message. */
  readonly compose = (e: CustomEvent<ComposeRequest>): void => {
    const { mode, id, text = '', name = '', excerpt = '' } = e.detail;
    this.room = this.chat().room;
    this.replying = mode === 'reply' ? { id, name, excerpt } : undefined;
    this.editing = mode === 'edit' ? { id, text } : undefined;
    this.host.requestUpdate();
    this.focus();
  };

  /** The composer ended the mode (Cancel, Escape, or it sent). */
  readonly end = (): void => {
    if (!this.replying && !this.editing) return;
    this.replying = undefined;
    this.editing = undefined;
    this.host.requestUpdate();
  };

  /** ArrowUp in an empty message box: edit our newest message that can be edited. */
  readonly editLast = (self: string): void => {
    const mine = [...this.chat().messages]
      .reverse()
      .find((m) => m.from.id === self && !m.note && !m.deleted && !m.unreadable && !m.unknown);
    if (!mine) return;
    this.room = this.chat().room;
    this.replying = undefined;
    this.editing = { id: mine.id, text: mine.text };
    this.host.requestUpdate();
  };

  /**
   * Sends what the composer wrote: a message, a reply or an edit. Cancels the event (so the
   * composer keeps the text) when the room controller refuses it.
   */
  readonly send = (e: CustomEvent<SendRequest>): void => {
    const chat = this.chat();
    const { text, reply, edit } = e.detail;
    const ok =
      edit !== undefined
        ? chat.edit(edit, text)
        : chat.send(text, reply === undefined ? {} : { reply });
    if (!ok) e.preventDefault();
    else this.end();
  };

  /** The mode, as the composer shows it: ended when the room changed. */
  current(): Pick<ChatCompose, 'replying' | 'editing'> {
    if (this.room !== this.chat().room) {
      this.replying = undefined;
      this.editing = undefined;
    }
    return { replying: this.replying, editing: this.editing };
  }
}
