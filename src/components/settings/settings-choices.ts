/**
 * A group of radio buttons for the Settings panel (the transport, "Connect directly to"): one
 * per choice, each with its label and, where given, a hint it is described by.
 */
import { html, nothing } from 'lit';
import { live } from 'lit/directives/live.js';

/**
 * One radio button per choice in `choices` (named `name`), each with its label and, when
 * `hints` has one, a hint it is described by.
 */
export function radios<C extends string>(
  name: string,
  choices: readonly C[],
  current: string,
  choose: (c: C) => void,
  labels: Record<C, string>,
  hints?: Record<C, string>,
) {
  return choices.map(
    (c) => html`
      <div class="choice">
        <input
          part="radio"
          type="radio"
          id="${name}-${c}"
          name=${name}
          value=${c}
          .checked=${live(current === c)}
          aria-describedby=${hints ? `${name}-${c}-hint` : nothing}
          @change=${() => choose(c)}
        />
        <label part="label" for="${name}-${c}">${labels[c]}</label>
        ${
          hints
            ? html`<span class="hint" part="hint" id="${name}-${c}-hint">${hints[c]}</span>`
            : nothing
        }
      </div>
    `,
  );
}
