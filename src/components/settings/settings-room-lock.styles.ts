import { css } from 'lit';

/** Styles of `parley-room-lock` (Settings' *This room*) and its members list. */
export const roomLockStyles = css`
  :host {
    display: block;
    min-width: 0;
  }
  section {
    display: grid;
    gap: 0.5rem;
  }
  h3 {
    margin: 0;
    font-size: 0.95rem;
  }
  p {
    margin: 0;
    font-size: 0.85rem;
    line-height: 1.4;
  }
  .muted {
    color: var(--_muted);
  }
  form,
  .invite {
    display: flex;
    flex-wrap: wrap;
    gap: 0.4rem;
    align-items: end;
  }
  label {
    display: grid;
    gap: 0.2rem;
    flex: 1 1 12rem;
    font-size: 0.85rem;
  }
  input {
    min-width: 0;
    font: inherit;
    padding: 0.4rem 0.5rem;
    border: 1px solid var(--_line);
    border-radius: var(--_control-radius);
    background: transparent;
    color: inherit;
  }
  .invite input {
    flex: 1 1 14rem;
    font-size: 0.8rem;
  }
  .error,
  .warn {
    color: var(--_danger);
  }
  .warn {
    padding: 0.4rem 0.6rem;
    border-radius: 8px;
    background: color-mix(in srgb, var(--_danger) 8%, transparent);
  }
  .kind b {
    font-weight: 600;
  }
  h4 {
    margin: 0.3rem 0 0;
    font-size: 0.9rem;
  }
  ul {
    list-style: none;
    margin: 0;
    padding: 0;
    display: grid;
    gap: 0.35rem;
  }
  .member {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: 0.2rem 0.5rem;
    font-size: 0.9rem;
  }
  .member-name {
    flex: 1 1 10rem;
    min-width: 0;
    overflow-wrap: anywhere;
  }
  .member-actions {
    display: flex;
    flex-wrap: wrap;
    gap: 0.3rem;
  }
  .fp {
    font-family: ui-monospace, 'SFMono-Regular', Menlo, Consolas, monospace;
    font-size: 0.8rem;
    color: var(--_muted);
  }
  .will {
    flex-basis: 100%;
    order: 3;
    font-size: 0.8rem;
    color: var(--_danger);
  }
  .members,
  .rekey {
    display: grid;
    gap: 0.4rem;
    justify-items: start;
  }
  .members ul {
    justify-self: stretch;
  }
  button {
    font-size: 0.85rem;
    padding: 0.35em 0.75em;
  }
  button[aria-pressed='true'] {
    border-color: var(--_danger);
    color: var(--_danger);
  }
  @media (pointer: coarse) {
    button {
      min-height: 44px;
    }
  }
`;
