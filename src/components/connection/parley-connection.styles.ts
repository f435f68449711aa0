/** Styles of `<parley-connection>`: a dialog like Settings, its facts as term / value rows. */
import { css } from 'lit';

/** The panel's own styles (on top of `base` and `dialogBase`). */
export const connectionStyles = css`
  dialog {
    width: min(34rem, calc(100vw - 2rem));
    overflow: hidden;
  }
  /* Title and Close stay put; the body between them scrolls when the window is short. */
  dialog[open] {
    display: flex;
    flex-direction: column;
    min-height: 0;
  }
  h2 {
    padding: calc(var(--_space) * 1.5) calc(var(--_space) * 1.6) calc(var(--_space) * 0.8);
  }
  h2:focus {
    outline: none;
  }
  h2:focus-visible {
    outline: 2px solid var(--_focus, var(--_accent));
    outline-offset: 2px;
  }
  h3 {
    margin: 0 0 0.4rem;
    font-size: 1rem;
  }
  h4 {
    margin: 0 0 0.3rem;
    font-size: 0.95rem;
    overflow-wrap: anywhere;
  }
  section + section {
    border-top: 1px solid var(--_line);
    padding-top: 0.8rem;
  }
  dl {
    display: grid;
    grid-template-columns: 10.5rem 1fr;
    gap: 0.25rem 0.8rem;
    margin: 0;
    font-size: 0.9rem;
  }
  dt {
    color: var(--_muted);
  }
  dd {
    margin: 0;
    overflow-wrap: anywhere;
  }
  .members {
    list-style: none;
    margin: 0.5rem 0 0;
    padding: 0;
    display: grid;
    gap: 0.5rem;
  }
  .member {
    padding: 0.6rem 0.7rem;
    border-radius: var(--_radius);
    background: var(--_surface);
  }
  .hint,
  .empty {
    margin: 0 0 0.3rem;
    font-size: 0.8rem;
    color: var(--_muted);
  }
  .row {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: 0.6rem;
    margin: 0.4rem 0;
  }
  .result {
    margin: 0;
    font-size: 0.9rem;
  }
  .result:empty {
    display: none;
  }
  .copied {
    font-size: 0.85rem;
    color: var(--_ok);
  }
  .manual {
    display: grid;
    gap: 0.3rem;
    font-size: 0.85rem;
  }
  .manual textarea {
    width: 100%;
    font:
      0.8rem ui-monospace,
      'SFMono-Regular',
      Menlo,
      Consolas,
      monospace;
  }
  button[aria-disabled='true'] {
    opacity: 0.55;
    cursor: default;
  }
  .actions {
    flex: none;
    display: flex;
    justify-content: flex-end;
    gap: 0.6rem;
    padding: 0.9rem calc(var(--_space) * 1.6) calc(var(--_space) * 1.3);
    border-top: 1px solid var(--_line);
  }

  /* Inline: covers the chat's body, like the Settings panel; nothing page-wide. */
  :host([inline]) {
    position: absolute;
    inset: 0;
    z-index: 3;
    display: block;
    background: var(--_surface);
  }
  :host([inline]:not([open])),
  :host(:not([open])) {
    display: none;
  }
  @media (max-width: 30rem) {
    dl {
      grid-template-columns: 1fr;
      gap: 0 0;
    }
    dd + dt {
      margin-top: 0.35rem;
    }
  }
  /* Touch: every target at least 44 px tall. */
  @media (pointer: coarse) {
    button {
      min-height: 44px;
    }
  }
`;
