/**
 * The composer's reply and edit modes, in a chunk of their own (loaded right after the
 * composer first renders, like composer-files.ts): the composer's first download holds only
 * their two properties and the calls into this.
 *
 * Replying, a bar above the field says "Replying to Alice: <excerpt>" with "Cancel reply";
 * Enter sends `parley-send` `{ text, reply }`. Editing, the bar says "Editing your message"
 * with "Cancel edit", the field holds the message's text (what was being written waits, and
 * comes back after), and Enter sends `{ text, edit }` — unchanged text just ends the edit, an
 * empty one is refused in words (that is what Delete is for). Escape cancels either. A send
 * that is not cancelled ends the mode; the composer clears its own `replying`/`editing` and
 * fires `parley-compose-end` so its owner forgets them too. ArrowUp in an empty field, outside
 * both modes, fires `parley-edit-last` (the owner starts editing our newest message).
 */
import { adoptStyles, css, html, nothing, type LitElement, type PropertyValues } from 'lit';
import { emit } from '../messages/row-events.js';

/** A message being answered. */
export interface Replying {
  id: string;
  name: string;
  excerpt: string;
}
/** One of our messages being edited, and its current text. */
export interface Editing {
  id: string;
  text: string;
}

/** What the modes need of the composer. */
export interface ModesHost extends LitElement {
  replying: Replying | undefined;
  editing: Editing | undefined;
}

/** What the composer's note says of an empty edit. */
export const EMPTY_EDIT = 'An edited message cannot be empty: to remove it, use Delete instead';

/** Looks of the bar, adopted by the composer with this chunk. */
export const styles = css`
  .mode {
    display: flex;
    align-items: center;
    gap: 0.5rem;
    margin-bottom: 0.35rem;
    padding: 0.15rem 0.2rem 0.15rem 0.6rem;
    border-left: 3px solid var(--_accent);
    border-radius: 4px;
    background: color-mix(in srgb, var(--_accent) 8%, var(--_bg));
    font-size: 0.85rem;
    color: var(--_muted);
  }
  .mode-text {
    flex: 1;
    min-width: 0;
    overflow: hidden;
    text-overflow: ellipsis;
    white-space: nowrap;
  }
  .mode b {
    color: var(--_fg);
  }
  .mode button {
    flex: none;
    min-width: 32px;
    min-height: 32px;
    padding: 0;
    font-size: 1.1rem;
    line-height: 1;
  }
`;

/** The modes of one composer; `field` is its text field, `show` puts a text in it. */
export class ComposerModes {
  /** What was in the field when an edit began: it comes back when the edit ends. */
  private saved = '';
  /** The id of the edit or reply the field was last set up for. */
  private started: string | undefined;
  /** Words for the note under the field (an empty edit), '' for none. */
  hint = '';

  constructor(
    private readonly host: ModesHost,
    private readonly field: HTMLTextAreaElement,
    private readonly show: (text: string) => void,
  ) {
    const sheets = (host.constructor as typeof LitElement).elementStyles;
    adoptStyles(host.renderRoot as ShadowRoot, [...sheets, styles]);
    this.sync();
  }

  /** After an update: a mode just given sets the field up (and takes the focus). */
  updated(changed: PropertyValues<ModesHost>): void {
    if (changed.has('editing') || changed.has('replying')) this.sync();
  }

  private sync(): void {
    const { editing, replying } = this.host;
    const key = editing ? `e:${editing.id}` : replying ? `r:${replying.id}` : undefined;
    if (key === this.started) return;
    const wasEditing = this.started?.startsWith('e:');
    this.started = key;
    this.hint = '';
    if (editing) {
      if (!wasEditing) this.saved = this.field.value;
      this.host.replying = undefined; // the newer mode wins
      this.show(editing.text);
    } else if (wasEditing) this.show(this.saved);
    if (!key) return;
    this.field.focus();
    const end = this.field.value.length;
    this.field.setSelectionRange(end, end);
  }

  /** The send's extra field: `{ reply }` or `{ edit }`, or nothing outside the modes. */
  detail(): { reply: string } | { edit: string } | Record<string, never> {
    const { editing, replying } = this.host;
    return editing ? { edit: editing.id } : replying ? { reply: replying.id } : {};
  }

  /**
   * Before a send of `text`: true when the modes took care of it (an unchanged edit ends, an
   * empty one is refused in words) and nothing is sent.
   */
  before(text: string): boolean {
    const editing = this.host.editing;
    if (!editing) return false;
    if (text === editing.text) this.end();
    else if (text.trim() === '') this.hint = EMPTY_EDIT;
    else return false;
    this.host.requestUpdate();
    return true;
  }

  /** After a send went out: the mode ends; returns what the field holds now. */
  sent(): string {
    const text = this.host.editing ? this.saved : '';
    this.end();
    return text;
  }

  /**
   * Ends the mode (the field gets back what was written before an edit), clears the
   * composer's properties and tells the owner.
   */
  end(): void {
    if (!this.host.editing && !this.host.replying) return;
    if (this.host.editing) this.show(this.saved);
    this.host.editing = undefined;
    this.host.replying = undefined;
    this.started = undefined;
    this.hint = '';
    emit(this.host, 'parley-compose-end', {});
  }

  /** Keys of the field: Escape cancels a mode, ArrowUp in an empty field edits our last. */
  key(e: KeyboardEvent): boolean {
    const { editing, replying } = this.host;
    if (e.key === 'Escape' && (editing || replying)) {
      this.end();
    } else if (e.key === 'ArrowUp' && !editing && !replying && this.field.value === '') {
      emit(this.host, 'parley-edit-last', {});
    } else return false;
    e.preventDefault();
    e.stopPropagation();
    return true;
  }

  /** The bar above the field, in a mode. */
  bar() {
    const { editing, replying } = this.host;
    if (!editing && !replying) return nothing;
    const cancel = editing ? 'Cancel edit' : 'Cancel reply';
    // prettier-ignore
    const words = editing
      ? html`Editing your message`
      : html`Replying to <b>${replying!.name}</b>: ${replying!.excerpt}`;
    // prettier-ignore
    return html`<div class="mode" part="mode" id="mode"><span class="mode-text">${words}</span><button type="button" part="button cancel" aria-label=${cancel} title=${cancel} @click=${() => { this.end(); this.field.focus(); }}>×</button></div>`;
  }
}
