import { css } from 'lit';

/** Styles of `parley-login`: a modal card, or (`inline`) a card centred in its host's box. */
export const loginStyles = css`
  dialog {
    width: min(24rem, calc(100vw - 2rem));
  }
  :host([inline]) {
    display: block;
    overflow: auto;
    container-type: inline-size;
    padding: clamp(0.25rem, 4cqi, 1rem);
  }
  :host([inline]:not([open])) {
    display: none;
  }
  dialog.panel {
    position: static;
    max-height: none;
    width: min(24rem, 100%);
    margin: 0 auto;
    background: var(--_bg);
    border: 1px solid var(--_line);
    border-radius: calc(var(--_radius) * 1.6);
    box-shadow: 0 6px 24px rgb(0 0 0 / 0.12);
  }
  form {
    display: grid;
    gap: 0.9rem;
    padding: calc(var(--_space) * 1.6) calc(var(--_space) * 1.6) calc(var(--_space) * 1.4);
  }
  /* A narrow embedded chat: less padding, so the fields keep their width. */
  :host([inline]) form {
    gap: 0.7rem;
    padding: clamp(0.75rem, 6cqi, calc(var(--_space) * 1.4));
  }
  p.lead {
    margin: -0.4rem 0 0.2rem;
    color: var(--_muted);
    font-size: 0.92rem;
  }
  label {
    display: grid;
    gap: 0.3rem;
    font-size: 0.9rem;
    font-weight: 600;
  }
  input {
    min-width: 0;
  }
  .error {
    display: grid;
    gap: 0.5rem;
    justify-items: start;
    color: var(--_danger);
    background: color-mix(in srgb, var(--_danger) 8%, transparent);
    border-radius: 8px;
    padding: 0.5rem 0.7rem;
    font-size: 0.9rem;
  }
  .error p {
    margin: 0;
  }
  .actions {
    display: flex;
    flex-wrap: wrap;
    gap: 0.6rem;
    margin-top: 0.3rem;
  }
  .hint {
    font-size: 0.8rem;
    color: var(--_muted);
    margin: 0;
  }
  input[aria-invalid='true'] {
    border-color: var(--_danger);
  }
  @media (pointer: coarse) {
    button,
    input {
      min-height: 44px;
    }
  }
  /* A squeezed embed: drop the lead line and the longer hint; the fields keep their room. */
  @container (max-width: 16rem) {
    p.lead,
    .hint.long {
      display: none;
    }
    h2 {
      font-size: 1.1rem;
    }
    dialog.panel {
      border: none;
      box-shadow: none;
    }
  }
`;
