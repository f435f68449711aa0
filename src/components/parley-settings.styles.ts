import { css } from 'lit';

/** Styles of `parley-settings`. */
export const settingsStyles = css`
  dialog {
    width: min(34rem, calc(100vw - 2rem));
  }
  form {
    display: grid;
    gap: 1.1rem;
    padding: calc(var(--_space) * 1.5) calc(var(--_space) * 1.6) calc(var(--_space) * 1.3);
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
  .field > label {
    font-size: 0.9rem;
    font-weight: 600;
    padding: 0;
    margin-bottom: 0.4rem;
  }
  .field {
    display: grid;
    gap: 0.3rem;
  }
  .field > label {
    margin-bottom: 0;
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
    display: flex;
    justify-content: flex-end;
    gap: 0.6rem;
    padding-top: 0.9rem;
    border-top: 1px solid var(--_line);
  }
`;
