import { css } from 'lit';

/**
 * Styles of `parley-search`: a panel that fills the box it is given (a column beside the
 * messages, or the whole chat on a phone). The field, with its own clear button, takes the
 * row's width beside "Close"; the scope is a two-way switch whose radios stay
 * keyboard-focusable; results scroll on their own, each a flat button of three lines at most,
 * tinted from the text colour under the pointer (so it shows on any background the chat gives
 * the panel); matches are tinted with the accent (not the browser's yellow, unreadable in the
 * dark theme). Touch targets are 44 px on coarse pointers. Said here: comments inside the CSS
 * would ship with it.
 */
export const searchStyles = css`
  :host {
    display: flex;
    flex-direction: column;
    min-height: 0;
    min-width: 0;
    background: var(--_bg);
    color: var(--_fg);
  }
  :host([hidden]) {
    display: none;
  }
  .bar {
    display: flex;
    align-items: center;
    gap: 0.4rem;
    padding: calc(var(--_space) * 0.6) calc(var(--_space) * 0.75) calc(var(--_space) * 0.4);
  }
  .field {
    position: relative;
    flex: 1 1 auto;
    min-width: 0;
    display: flex;
    align-items: center;
  }
  .glass {
    position: absolute;
    left: 0.65rem;
    width: 1rem;
    height: 1rem;
    fill: none;
    stroke: var(--_muted);
    stroke-width: 1.7;
    stroke-linecap: round;
    pointer-events: none;
  }
  input[type='search'] {
    flex: 1 1 auto;
    min-width: 0;
    padding-left: 2.1rem;
    height: 2.4rem;
  }
  input[type='search'] {
    padding-right: 2.2rem;
  }
  input[type='search']::-webkit-search-cancel-button {
    appearance: none;
    display: none;
  }
  .clear {
    position: absolute;
    right: 0.4rem;
    display: inline-grid;
    place-items: center;
    width: 1.6rem;
    height: 1.6rem;
    padding: 0;
    border: none;
    border-radius: 999px;
    background: color-mix(in srgb, var(--_muted) 22%, transparent);
    color: var(--_fg);
  }
  .clear svg,
  .close svg {
    width: 1rem;
    height: 1rem;
    fill: none;
    stroke: currentColor;
    stroke-width: 1.8;
    stroke-linecap: round;
  }
  .close {
    flex: none;
    height: 2.4rem;
  }
  .under {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: 0.35rem 0.75rem;
    padding: 0 calc(var(--_space) * 0.75) calc(var(--_space) * 0.45);
    border-bottom: 1px solid var(--_line);
  }
  .scope {
    display: inline-flex;
    padding: 2px;
    border-radius: var(--_control-radius);
    border: 1px solid var(--_field-border);
  }
  .scope label {
    position: relative;
    padding: 0.2rem 0.7rem;
    font-size: 0.82rem;
    border-radius: calc(var(--_control-radius) - 2px);
    cursor: pointer;
    color: var(--_muted);
  }
  .scope input {
    position: absolute;
    inset: 0;
    margin: 0;
    opacity: 0;
    cursor: pointer;
  }
  .scope label:has(input:checked) {
    background: var(--_accent);
    color: var(--_accent-fg);
    font-weight: 600;
  }
  .scope label:has(input:focus-visible) {
    outline: 2px solid var(--_focus);
    outline-offset: 2px;
  }
  .status {
    flex: 1 1 8rem;
    margin: 0;
    min-height: 1.2em;
    font-size: 0.82rem;
    color: var(--_muted);
    overflow-wrap: anywhere;
  }
  .status.error {
    color: var(--_danger);
    font-weight: 600;
  }
  ul {
    flex: 1 1 auto;
    min-height: 0;
    overflow-y: auto;
    overscroll-behavior: contain;
    margin: 0;
    padding: 0.25rem 0;
    list-style: none;
  }
  ul.busy {
    opacity: 0.65;
  }
  li + li {
    border-top: 1px solid var(--_line);
  }
  .hit {
    display: grid;
    gap: 0.2rem;
    width: 100%;
    padding: 0.55rem calc(var(--_space) * 0.75);
    border: none;
    border-radius: 0;
    background: transparent;
    text-align: start;
    line-height: 1.35;
  }
  .hit:hover:not(:disabled),
  .hit:focus-visible {
    background: color-mix(in srgb, var(--_fg) 7%, transparent);
  }
  .hit:focus-visible {
    outline-offset: -2px;
  }
  .meta {
    display: flex;
    align-items: baseline;
    gap: 0.25rem 0.5rem;
    min-width: 0;
    font-size: 0.78rem;
    color: var(--_muted);
  }
  .from {
    font-weight: 600;
    color: var(--_fg);
    overflow: hidden;
    text-overflow: ellipsis;
    white-space: nowrap;
    min-width: 0;
  }
  .where {
    flex: none;
    max-width: 40%;
    overflow: hidden;
    text-overflow: ellipsis;
    white-space: nowrap;
    min-width: 0;
  }
  time {
    flex: none;
    margin-left: auto;
    font-variant-numeric: tabular-nums;
  }
  .text {
    font-size: 0.9rem;
    overflow-wrap: anywhere;
    display: -webkit-box;
    -webkit-box-orient: vertical;
    -webkit-line-clamp: 3;
    line-clamp: 3;
    overflow: hidden;
  }
  mark {
    color: inherit;
    background: color-mix(in srgb, var(--_accent) 26%, transparent);
    border-radius: 3px;
    box-shadow: 0 0 0 1px color-mix(in srgb, var(--_accent) 26%, transparent);
    font-weight: 600;
  }
  .hint {
    margin: 0;
    padding: 0.75rem calc(var(--_space) * 0.75);
    font-size: 0.82rem;
    line-height: 1.4;
    color: var(--_muted);
  }
  .more {
    margin: 0;
    padding: 0.5rem calc(var(--_space) * 0.75);
    font-size: 0.8rem;
    color: var(--_muted);
    border-top: 1px solid var(--_line);
  }
  @media (pointer: coarse) {
    .close,
    input[type='search'] {
      height: 44px;
    }
    .clear {
      width: 2.2rem;
      height: 2.2rem;
    }
    .scope label {
      padding-block: 0.55rem;
    }
  }
`;
