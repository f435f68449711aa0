/**
 * Shared design tokens and base styles.
 *
 * Every colour is `var(--parley-X, light-dark(<light>, <dark>))`: a value the embedding page
 * sets on the element (or any ancestor) always wins, and otherwise the element's used
 * `color-scheme` picks the light or the dark default. `<parley-chat>` sets that scheme from its
 * `theme` attribute (`light`, `dark`, or `auto`/none: the reader's `prefers-color-scheme`), and
 * its inner elements inherit it; an element used on its own follows the page's `color-scheme`.
 *
 * Shadow DOM keeps selectors in and out; the inherited text properties that would still cross
 * the boundary (letter-spacing, text-transform, line-height…) are reset on each host, so the
 * host page's typography does not reach in either.
 *
 * Custom properties (all optional):
 *
 * | property                  | styles                                                            |
 * | ------------------------- | ----------------------------------------------------------------- |
 * | `--parley-accent`         | primary buttons, the brand, the chosen transport, focus ring      |
 * | `--parley-accent-fg`      | text on the accent colour                                         |
 * | `--parley-bg`             | background of the chat, dialogs, messages and fields              |
 * | `--parley-fg`             | text                                                              |
 * | `--parley-muted`          | secondary text: times, hints, counters                            |
 * | `--parley-surface`        | background behind the messages; notices, badges                  |
 * | `--parley-own-bg`         | background of our own messages                                    |
 * | `--parley-line`           | dividers and card borders                                         |
 * | `--parley-field-border`   | borders of fields and buttons (keep 3:1 against the background)   |
 * | `--parley-danger`         | errors and "not delivered"                                        |
 * | `--parley-ok`             | "delivered", the connected dot, the "directly" icon               |
 * | `--parley-warn`           | the connecting dot                                                |
 * | `--parley-focus`          | the focus ring (default: the accent)                              |
 * | `--parley-font`           | font family                                                       |
 * | `--parley-radius`         | corners of messages and cards (dialogs use 1.6×); default 10px    |
 * | `--parley-control-radius` | corners of buttons and fields; default 8px                        |
 * | `--parley-spacing`        | base spacing unit: padding of bars, lists, dialogs; default 1rem  |
 */
import { css } from 'lit';

/** Base styles every Parley element adopts. */
export const base = css`
  :host {
    /* light-dark(light theme, dark theme); the page's --parley-* values win. */
    --_accent: var(--parley-accent, light-dark(#4f46e5, #9b9dff));
    --_accent-fg: var(--parley-accent-fg, light-dark(#ffffff, #14151c));
    --_bg: var(--parley-bg, light-dark(#ffffff, #1c1f28));
    --_fg: var(--parley-fg, light-dark(#1f2330, #e8eaf1));
    --_muted: var(--parley-muted, light-dark(#5d6373, #a3a9b8));
    --_surface: var(--parley-surface, light-dark(#f4f5f9, #14161d));
    --_own-bg: var(--parley-own-bg, light-dark(#ebeafd, #2d2b59));
    --_line: var(--parley-line, light-dark(#e3e5ec, #343846));
    --_field-border: var(--parley-field-border, light-dark(#7d8394, #747a8d));
    --_danger: var(--parley-danger, light-dark(#b42318, #ff9087));
    --_ok: var(--parley-ok, light-dark(#17703b, #5ad08a));
    --_warn: var(--parley-warn, light-dark(#b7860b, #e0b030));
    --_focus: var(--parley-focus, var(--_accent));
    --_radius: var(--parley-radius, 10px);
    --_control-radius: var(--parley-control-radius, 8px);
    --_space: var(--parley-spacing, 1rem);
    --_font: var(
      --parley-font,
      system-ui,
      -apple-system,
      'Segoe UI',
      Roboto,
      'Noto Sans',
      sans-serif
    );
    /* Inherited text properties, reset so the host page's typography stays out. */
    font-family: var(--_font);
    font-style: normal;
    font-weight: 400;
    line-height: normal;
    letter-spacing: normal;
    word-spacing: normal;
    text-align: start;
    text-indent: 0;
    text-transform: none;
    text-shadow: none;
    white-space: normal;
    cursor: auto;
    color: var(--_fg);
    box-sizing: border-box;
  }
  *,
  *::before,
  *::after {
    box-sizing: inherit;
  }
  [hidden] {
    display: none !important;
  }
  button {
    font: inherit;
    border-radius: var(--_control-radius);
    border: 1px solid var(--_field-border);
    background: var(--_bg);
    color: var(--_fg);
    padding: 0.45em 0.9em;
    cursor: pointer;
  }
  button:hover:not(:disabled) {
    border-color: var(--_accent);
    background: color-mix(in srgb, var(--_accent) 7%, var(--_bg));
  }
  button.primary {
    background: var(--_accent);
    border-color: var(--_accent);
    color: var(--_accent-fg);
  }
  button.primary:hover:not(:disabled) {
    background: color-mix(in srgb, var(--_accent) 88%, var(--_fg));
  }
  button:disabled {
    opacity: 0.55;
    cursor: default;
  }
  /* One visible focus ring for every control, keyboard focus only. */
  :focus-visible {
    outline: 2px solid var(--_focus);
    outline-offset: 2px;
  }
  input,
  textarea {
    font: inherit;
    color: inherit;
    background: var(--_bg);
    border: 1px solid var(--_field-border);
    border-radius: var(--_control-radius);
    padding: 0.5em 0.7em;
  }
  ::placeholder {
    color: var(--_muted);
    opacity: 1;
  }
  /* Read by screen readers, not shown. */
  .visually-hidden {
    position: absolute;
    width: 1px;
    height: 1px;
    margin: -1px;
    padding: 0;
    border: 0;
    overflow: hidden;
    clip-path: inset(50%);
    white-space: nowrap;
  }
  @media (prefers-reduced-motion: no-preference) {
    button,
    input,
    textarea {
      transition:
        background-color 0.12s,
        border-color 0.12s;
    }
  }
  @media (prefers-reduced-motion: reduce) {
    *,
    *::before,
    *::after {
      animation-duration: 0s !important;
      animation-iteration-count: 1 !important;
      transition-duration: 0s !important;
      scroll-behavior: auto !important;
    }
  }
`;

/** The modal dialogs (login, settings): card, backdrop and title; each sets its own width. */
export const dialogBase = css`
  dialog {
    border: 1px solid var(--_line);
    border-radius: calc(var(--_radius) * 1.6);
    padding: 0;
    max-height: calc(100dvh - 2rem);
    box-shadow: 0 20px 60px rgb(0 0 0 / 0.3);
    color: var(--_fg);
    background: var(--_bg);
  }
  dialog::backdrop {
    background: rgb(12 14 24 / 0.5);
    backdrop-filter: blur(3px);
  }
  h2 {
    margin: 0;
    font-size: 1.35rem;
  }
`;
