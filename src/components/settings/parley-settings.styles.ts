import { css } from 'lit';

/** Styles of `parley-settings`. */
export const settingsStyles = css`
  dialog {
    width: min(34rem, calc(100vw - 2rem));
    overflow: hidden;
  }
  /* Title and buttons stay put; the body between them scrolls when the window is short. */
  dialog[open],
  form {
    display: flex;
    flex-direction: column;
    min-height: 0;
  }
  form {
    flex: 1 1 auto;
  }
  /* "Connection details" and what it holds, on one line when there is room. */
  .connection {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: 0.3rem 0.75rem;
  }
  .connection button {
    min-height: 44px;
  }
  h2 {
    padding: calc(var(--_space) * 1.5) calc(var(--_space) * 1.6) calc(var(--_space) * 0.6);
  }

  /* The strip: one button per part, above the scrolling body; the part in view underlined. */
  .strip {
    flex: none;
    display: flex;
    gap: 0.25rem;
    padding: 0 calc(var(--_space) * 1.6);
    border-bottom: 1px solid var(--_line);
    overflow-x: auto;
  }
  .strip button {
    min-height: 44px;
    padding: 0.3rem 0.7rem;
    border: none;
    border-bottom: 3px solid transparent;
    border-radius: 0;
    background: none;
    color: var(--_muted);
    font-weight: 600;
    white-space: nowrap;
  }
  .strip button:focus-visible {
    outline-offset: -3px;
  }
  .strip button[aria-current='true'] {
    color: var(--_fg);
    border-bottom-color: var(--_accent);
  }
  .body {
    padding-top: 0.9rem;
  }
  /* The parts: headed sections of the one body. */
  .part {
    display: grid;
    gap: 0.9rem;
    min-width: 0;
  }
  .part + .part {
    border-top: 1px solid var(--_line);
    padding-top: 1rem;
  }
  .part-heading {
    margin: 0;
    font-size: 1.05rem;
    scroll-margin-top: 0.5rem;
  }
  .part-heading:focus {
    outline: none;
  }
  .part-heading:focus-visible {
    outline: 2px solid var(--_focus, var(--_accent));
    outline-offset: 2px;
  }
  ::slotted([slot='diagnostics']) {
    margin: 0;
    font-size: 0.8rem;
    color: var(--_muted);
  }

  /* Inline: fills the host's box, inside the chat; no backdrop, nothing page-wide. */
  :host([inline]) {
    display: block;
    position: relative;
  }
  fieldset {
    margin: 0;
    padding: 0;
    border: none;
    display: grid;
    gap: 0.5rem;
    min-width: 0;
  }
  legend,
  .field label,
  summary {
    font-size: 0.9rem;
    font-weight: 600;
    padding: 0;
    margin-bottom: 0.4rem;
  }
  .field {
    display: grid;
    gap: 0.3rem;
  }
  .field label {
    margin-bottom: 0;
  }
  .field-head {
    display: flex;
    flex-wrap: wrap;
    align-items: baseline;
    justify-content: space-between;
    gap: 0.5rem;
  }
  .checking {
    font-size: 0.85rem;
    color: var(--_muted);
  }
  .server-actions {
    display: flex;
    flex-wrap: wrap;
    gap: 0.5rem;
  }
  .server-actions button {
    font-size: 0.85rem;
    padding: 0.35em 0.75em;
  }
  button[aria-disabled='true'] {
    opacity: 0.55;
    cursor: default;
    pointer-events: none;
  }

  /* Advanced: the STUN/TURN servers, folded away by default. */
  .advanced {
    border-top: 1px solid var(--_line);
    padding-top: 0.8rem;
  }
  summary {
    width: fit-content;
    cursor: pointer;
  }
  .advanced[open] > summary {
    margin-bottom: 0.6rem;
  }
  .hint,
  .empty {
    margin: 0;
    font-size: 0.8rem;
    color: var(--_muted);
  }
  .notice {
    margin: 0;
    padding: 0.55rem 0.75rem;
    border-radius: 8px;
    border-left: 3px solid var(--_accent);
    background: var(--_surface);
    font-size: 0.9rem;
  }
  .error {
    margin: 0;
    padding: 0.4rem 0.6rem;
    border-radius: 8px;
    color: var(--_danger);
    background: color-mix(in srgb, var(--_danger) 8%, transparent);
    font-size: 0.85rem;
  }
  input[aria-invalid='true'] {
    border-color: var(--_danger);
  }

  /* Transport choices: radio | name, hint under the name. */
  .choice {
    display: grid;
    grid-template-columns: auto 1fr;
    column-gap: 0.6rem;
    align-items: center;
    padding: 0.5rem 0.7rem;
    border: 1px solid var(--_line);
    border-radius: var(--_radius);
  }
  .choice:has(input:checked) {
    border-color: var(--_accent);
    background: color-mix(in srgb, var(--_accent) 6%, transparent);
  }
  .choice input {
    margin: 0;
    accent-color: var(--_accent);
  }
  .choice label {
    font-weight: 600;
    font-size: 0.95rem;
    cursor: pointer;
  }
  .choice .hint {
    grid-column: 2;
  }

  /* STUN/TURN rows. */
  .ice-list {
    list-style: none;
    margin: 0;
    padding: 0;
    display: grid;
    gap: 0.5rem;
  }
  .ice-row {
    display: grid;
    grid-template-columns: 1fr 1fr auto;
    grid-template-areas:
      'urls-l urls-l .'
      'urls urls remove'
      'user-l cred-l .'
      'user cred .'
      'error error error';
    gap: 0.2rem 0.5rem;
    padding: 0.6rem 0.7rem 0.7rem;
    border-radius: var(--_radius);
    background: var(--_surface);
  }
  .ice-row label {
    font-size: 0.8rem;
    font-weight: 600;
    color: var(--_muted);
  }
  .ice-row input {
    min-width: 0;
    width: 100%;
    padding: 0.4em 0.6em;
    font-size: 0.9rem;
  }
  label.urls {
    grid-area: urls-l;
  }
  input.urls {
    grid-area: urls;
    font-family: ui-monospace, 'SFMono-Regular', Menlo, Consolas, monospace;
  }
  .remove {
    grid-area: remove;
  }
  label.username {
    grid-area: user-l;
    margin-top: 0.25rem;
  }
  input.username {
    grid-area: user;
  }
  label.credential {
    grid-area: cred-l;
    margin-top: 0.25rem;
  }
  input.credential {
    grid-area: cred;
  }
  .ice-row .error {
    grid-area: error;
    margin-top: 0.3rem;
  }
  .ice-actions {
    display: flex;
    flex-wrap: wrap;
    gap: 0.5rem;
  }
  .ice-actions button,
  .remove {
    font-size: 0.85rem;
    padding: 0.35em 0.75em;
  }
  .actions {
    flex: none;
    display: flex;
    justify-content: flex-end;
    gap: 0.6rem;
    padding: 0.9rem calc(var(--_space) * 1.6) calc(var(--_space) * 1.3);
    border-top: 1px solid var(--_line);
  }

  /* Touch: every target at least 44 px tall. */
  @media (pointer: coarse) {
    button {
      min-height: 44px;
    }
    summary {
      padding-block: 0.7rem;
    }
  }
`;
