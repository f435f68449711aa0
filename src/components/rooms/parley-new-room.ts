/**
 * "New room": the form that makes a room — in the room list (behind its "New room" button) and
 * in the chat's top bar (`compact`). A room is private unless "Public room" is ticked: an
 * unguessable id and a key of its own, the name typed kept as its title. A public room is the
 * name anyone can type, and the form says so in plain words before it is chosen. It renders
 * and fires its event only; `<parley-chat>` makes the room.
 */
import { css, html, LitElement, nothing } from 'lit';
import { property, state } from 'lit/decorators.js';
import { fire } from '../shared/events.js';
import { base } from '../shared/theme.styles.js';

/** What ticking "Public room" means, said beside it. */
export const PUBLIC_HINT = "Anyone who knows this room's name can join and read its history";

/** The longest name the form takes (the room controller cuts titles to its own limit too). */
const NAME_MAX = 64;

/**
 * @summary Makes a room: private by default, public when ticked.
 * @fires parley-room-create - `{ title, public }`: the person asks for a new room (private unless `public`).
 * @csspart form - The form.
 * @csspart input - The room's name.
 * @csspart public - The "Public room" checkbox's label.
 * @csspart hint - What a public room means.
 * @csspart submit - "Create" (private) or "Join" (public) in the top bar; "Create room" in the list.
 * @csspart button - Every button.
 */
export class ParleyNewRoom extends LitElement {
  static override styles = [
    base,
    css`
      :host {
        display: block;
      }
      form {
        display: flex;
        flex-wrap: wrap;
        align-items: center;
        gap: 0.4rem;
      }
      input[type='text'] {
        flex: 1 1 9rem;
        min-width: 0;
        padding: 0.3em 0.6em;
      }
      label.public {
        display: inline-flex;
        align-items: center;
        gap: 0.3rem;
        white-space: nowrap;
        font-size: 0.9rem;
      }
      .hint {
        flex-basis: 100%;
        margin: 0;
        font-size: 0.8rem;
        color: var(--_muted);
      }
      /* In the top bar, the hint shows under the form without moving the bar's other items. */
      :host([compact]) {
        position: relative;
      }
      :host([compact]) .hint {
        position: absolute;
        z-index: 4;
        top: calc(100% + 0.3rem);
        left: 0;
        right: 0;
        padding: 0.35rem 0.55rem;
        background: var(--_bg);
        border: 1px solid var(--_line);
        border-radius: 6px;
        box-shadow: 0 6px 18px rgb(0 0 0 / 0.15);
      }
      :host([compact]) input[type='text'] {
        flex: 1 1 8rem;
      }
      :host([compact]) button {
        padding: 0.25em 0.65em;
        font-size: 0.9rem;
      }
      :host(:not([compact])) label.name {
        flex-basis: 100%;
        font-size: 0.85rem;
        font-weight: 600;
      }
      @media (max-width: 40rem), (pointer: coarse) {
        input[type='text'],
        button,
        label.public {
          min-height: 44px;
          min-width: 44px;
        }
        input[type='checkbox'] {
          width: 1.3rem;
          height: 1.3rem;
        }
      }
    `,
  ];

  static override shadowRootOptions = { ...LitElement.shadowRootOptions, delegatesFocus: true };

  /** The top bar's form: one row, the name's label "Room", the public room's meaning as a hint only when ticked. */
  @property({ type: Boolean, reflect: true }) compact = false;

  /** "Public room" is ticked. */
  @state() private public = false;

  private submit(e: SubmitEvent): void {
    e.preventDefault();
    const form = e.target as HTMLFormElement;
    const input = form.elements.namedItem('room') as HTMLInputElement;
    const title = input.value.trim();
    if (!title) return void input.focus();
    fire(this, 'parley-room-create', { title, public: this.public });
    form.reset();
    this.public = false;
  }

  override render() {
    const compact = this.compact;
    // The top bar keeps its field's name ("Room") and, for a public room, its "Join".
    const submit = compact ? (this.public ? 'Join' : 'Create') : 'Create room';
    const hint =
      this.public || !compact
        ? html`<p class="hint" part="hint" id="hint">${PUBLIC_HINT}</p>`
        : nothing;
    return html`<form part="form" @submit=${this.submit}>
      ${compact ? nothing : html`<label class="name" for="name">Room name</label>`}
      <input
        type="text"
        id="name"
        name="room"
        part="input"
        aria-label=${compact ? 'Room' : nothing}
        placeholder=${compact ? 'New room' : nothing}
        maxlength=${NAME_MAX}
        autocomplete="off"
        required
      />
      <label class="public" part="public" title=${PUBLIC_HINT}
        ><input
          type="checkbox"
          name="public"
          .checked=${this.public}
          aria-describedby="hint"
          @change=${(e: Event) => (this.public = (e.target as HTMLInputElement).checked)}
        />Public room</label
      >
      ${compact ? nothing : hint}
      <button type="submit" part="button submit">${submit}</button>
      ${compact ? hint : nothing}
    </form>`;
  }
}
