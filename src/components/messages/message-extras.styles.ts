import { css } from 'lit';

/**
 * Styles of what a message row shows besides its text (message-extras.ts) and of its actions
 * (message-actions.ts). Why some rules are there (said here, not shipped inside the CSS):
 * - `.quote`: a reply's quote is a quiet button with a bar on its left, one line of name and
 *   excerpt (a space between them, so its accessible name reads as it shows), cut with an
 *   ellipsis; it spans the bubble like the text.
 * - `.foot`: the reactions' chips and "edited", wrapping, under the text; a chip is at least
 *   24 px high (a touch target), ours (`aria-pressed="true"`) in the accent colour.
 * - `.acts`, `.picker`, `.confirm`: positioned over the row (the toolbar on its top right
 *   corner; the picker and the question under it, from the side where the bubble has room,
 *   as wide as their content up to nearly the list's width), never changing its size, so neither the full list
 *   nor the virtualizer moves when the toolbar comes and goes. The row that holds them is
 *   raised above the rows after it, which the virtualizer paints later.
 * - `.lit`: a message shown in context after a jump: an outline and background that fade
 *   after about 2 s (the part `highlight` stays while it is the one asked for).
 */
export const extrasStyles = css`
  .quote {
    display: block;
    align-self: start;
    overflow: hidden;
    text-overflow: ellipsis;
    white-space: nowrap;
    min-height: 24px;
    max-width: 100%;
    margin: 0.2rem 0 0.1rem;
    padding: 0.1rem 0.5rem;
    border: 0;
    border-left: 3px solid var(--_line);
    border-radius: 4px;
    background: color-mix(in srgb, var(--_fg) 5%, transparent);
    color: var(--_muted);
    font: inherit;
    font-size: 0.8rem;
    text-align: start;
    cursor: pointer;
  }
  .quote-name {
    font-weight: 650;
    color: var(--_fg);
  }
  .quote.quiet .quote-text,
  .text.deleted {
    font-style: italic;
    color: var(--_muted);
  }
  .foot {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: 0.3rem;
    margin-top: 0.25rem;
  }
  .foot:not(:has(.chip)) {
    margin-top: 0;
  }
  .chip {
    min-height: 24px;
    min-width: 2.5rem;
    padding: 0 0.45rem;
    border-radius: 999px;
    border: 1px solid var(--_line);
    background: var(--_bg);
    font-size: 0.85rem;
    line-height: 1.3;
    font-variant-numeric: tabular-nums;
  }
  .chip[aria-pressed='true'] {
    border-color: var(--_accent);
    background: color-mix(in srgb, var(--_accent) 14%, var(--_bg));
    color: var(--_fg);
  }
  .edited {
    margin-left: auto;
    font-size: 0.72rem;
    color: var(--_muted);
  }
  .msg:has(.acts) {
    z-index: 3;
  }
  .acts,
  .picker,
  .confirm {
    position: absolute;
    z-index: 3;
    display: flex;
    gap: 2px;
    padding: 2px;
    background: var(--_bg);
    border: 1px solid var(--_line);
    border-radius: var(--_control-radius);
    box-shadow: 0 2px 8px rgb(0 0 0 / 0.18);
  }
  .acts {
    top: -1rem;
    right: 0.4rem;
  }
  .picker,
  .confirm {
    top: calc(100% - 0.3rem);
    right: 0;
    flex-wrap: wrap;
    width: max-content;
    max-width: 90cqw;
  }
  .msg:not(.own) :is(.picker, .confirm) {
    right: auto;
    left: 0;
  }
  .bar {
    display: flex;
    gap: 2px;
  }
  .acts button,
  .picker button {
    display: grid;
    place-items: center;
    min-width: 32px;
    min-height: 32px;
    padding: 0;
    border: 0;
    background: transparent;
    color: var(--_fg);
  }
  .acts button:hover,
  .picker button:hover,
  .acts button[aria-expanded='true'] {
    background: color-mix(in srgb, var(--_accent) 14%, var(--_bg));
  }
  .picker button {
    font-size: 1.2rem;
  }
  .confirm {
    align-items: center;
    gap: 0.4rem;
    padding: 0.35rem 0.5rem;
    color: var(--_fg);
    font-size: 0.85rem;
  }
  .confirm button {
    min-height: 32px;
    font-size: 0.85rem;
  }
  .confirm .danger {
    background: var(--_danger);
    border-color: var(--_danger);
    color: var(--_bg);
  }
  .lit {
    animation: parley-lit 2.4s ease-out;
  }
  @keyframes parley-lit {
    from,
    40% {
      outline: 3px solid var(--_focus);
      background: color-mix(in srgb, var(--_accent) 22%, var(--_bg));
    }
  }
  @media (pointer: coarse) {
    .acts button {
      min-width: 44px;
      min-height: 44px;
    }
    .picker button {
      min-width: 36px;
      min-height: 44px;
    }
  }
`;
