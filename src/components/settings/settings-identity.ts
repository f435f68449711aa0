/**
 * Settings' *You*: the name we go by here, and our identity — a key pair this browser holds
 * for the account (made here, or imported) — as our safety code: what other members see beside
 * our name in their roster (the short fingerprint) and what they compare with us in full. The
 * code is worked out by a controller (`PresenceController.contacts.ownCode`) and passed in: this
 * view does no I/O.
 */
import { css, html, LitElement, nothing } from 'lit';
import { property } from 'lit/decorators.js';
import { fingerprintOf } from '../../controllers/presence/roster.js';
import { base } from '../shared/theme.styles.js';

export { IDENTITY_CARD_PARTS } from './settings-parts.js';

/**
 * @summary "You": our name, and "Your safety code" — our identity in a form people can compare.
 * @csspart identity - The card.
 * @csspart name - Our name.
 * @csspart identity-heading - The "Your safety code" heading.
 * @csspart fingerprint - The short fingerprint (the code's first three groups), as others see it beside our name and on our messages.
 * @csspart code - The full safety code: six groups of five digits.
 * @csspart hint - How to use it.
 * @cssproperty --parley-fg - Text.
 * @cssproperty --parley-muted - The hint and the labels.
 * @cssproperty --parley-surface - Background of the code.
 * @cssproperty --parley-line - Border of the code.
 */
export class ParleyIdentityCard extends LitElement {
  static override styles = [
    base,
    css`
      :host {
        display: block;
        min-width: 0;
      }
      section {
        display: grid;
        gap: 0.4rem;
      }
      h3 {
        margin: 0;
        font-size: 0.95rem;
      }
      .short {
        margin: 0;
        font-size: 0.85rem;
        color: var(--_muted);
      }
      .short b,
      .code {
        font-family: ui-monospace, 'SFMono-Regular', Menlo, Consolas, monospace;
        font-variant-numeric: tabular-nums;
      }
      .short b {
        color: var(--_fg);
      }
      .code {
        display: grid;
        grid-template-columns: repeat(3, max-content);
        gap: 0.15rem 0.9rem;
        width: fit-content;
        margin: 0;
        padding: 0.5rem 0.8rem;
        font-size: 1.05rem;
        letter-spacing: 0.04em;
        border: 1px solid var(--_line);
        border-radius: var(--_control-radius);
        background: var(--_surface);
      }
      .hint {
        margin: 0;
        font-size: 0.82rem;
        line-height: 1.4;
        color: var(--_muted);
      }
    `,
  ];

  /**
   * The safety code of our identity (30 digits in six groups, from `safetyCode()`); while it
   * is unset (the account's key is still being made or read) the card says so.
   */
  @property() code: string | undefined;
  /** The name we go by in this room (others see it beside the short fingerprint). */
  @property() name = '';

  override render() {
    const code = this.code;
    return html`
      <section part="identity" aria-labelledby="identity-heading">
        ${
          this.name
            ? html`<p class="short">You are <strong part="name">${this.name}</strong> here.</p>`
            : nothing
        }
        <h3 id="identity-heading" part="identity-heading">Your safety code</h3>
        ${
          code
            ? html`
                <p class="short">
                  Others see <b part="fingerprint">${fingerprintOf(code)}</b> beside your name.
                </p>
                <p class="code" part="code">
                  ${code.split(' ').map((g) => html`<span>${g}</span>`)}
                </p>
              `
            : html`<p class="short">Working out your code…</p>`
        }
        <p class="hint" part="hint">
          Read it to the people you talk to, in person or by phone: when it matches the code they
          see for you under "Safety code", they can mark you as verified. It comes from your
          identity: a key this browser holds for your account, whose secret half leaves it only
          sealed, in a file you make with "Export identity".
        </p>
      </section>
    `;
  }
}
