/**
 * Shared design tokens. Every element reads `--parley-*` custom properties with fallbacks, so
 * an embedding page can theme Parley from outside the shadow roots.
 */
import { css } from 'lit';

/** Base styles every Parley element adopts. */
export const base = css`
  :host {
    --_accent: var(--parley-accent, #4f46e5);
    --_accent-fg: var(--parley-accent-fg, #ffffff);
    --_bg: var(--parley-bg, #ffffff);
    --_fg: var(--parley-fg, #1f2330);
    --_muted: var(--parley-muted, #656b7b);
    --_line: var(--parley-line, #e3e5ec);
    --_surface: var(--parley-surface, #f5f6fa);
    --_own-bg: var(--parley-own-bg, #e9e8fd);
    --_danger: var(--parley-danger, #b42318);
    --_ok: var(--parley-ok, #1c7c43);
    --_radius: var(--parley-radius, 10px);
    font-family: var(
      --parley-font,
      system-ui,
      -apple-system,
      'Segoe UI',
      Roboto,
      'Noto Sans',
      sans-serif
    );
    color: var(--_fg);
    box-sizing: border-box;
  }
  *,
  *::before,
  *::after {
    box-sizing: inherit;
  }
  button {
    font: inherit;
    border-radius: 8px;
    border: 1px solid var(--_line);
    background: var(--_bg);
    color: var(--_fg);
    padding: 0.45em 0.9em;
    cursor: pointer;
  }
  button:hover:not(:disabled) {
    border-color: var(--_accent);
  }
  button.primary {
    background: var(--_accent);
    border-color: var(--_accent);
    color: var(--_accent-fg);
  }
  button:disabled {
    opacity: 0.55;
    cursor: default;
  }
  button:focus-visible,
  input:focus-visible,
  textarea:focus-visible {
    outline: 2px solid var(--_accent);
    outline-offset: 2px;
  }
  input,
  textarea {
    font: inherit;
    color: inherit;
    background: var(--_bg);
    border: 1px solid var(--_line);
    border-radius: 8px;
    padding: 0.5em 0.7em;
  }
  .visually-hidden {
    position: absolute;
    width: 1px;
    height: 1px;
    overflow: hidden;
    clip: rect(0 0 0 0);
    white-space: nowrap;
  }
`;

/** The modal dialogs (login, settings): card, backdrop and title; each sets its own width. */
export const dialogBase = css`
  dialog {
    border: none;
    border-radius: 16px;
    padding: 0;
    max-height: calc(100dvh - 2rem);
    box-shadow: 0 20px 60px rgb(15 18 40 / 0.25);
    color: var(--_fg);
    background: var(--_bg);
  }
  dialog::backdrop {
    background: rgb(20 22 38 / 0.45);
    backdrop-filter: blur(3px);
  }
  h2 {
    margin: 0;
    font-size: 1.35rem;
  }
`;
