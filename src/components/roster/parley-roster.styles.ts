import { css } from 'lit';

/**
 * Styles of `parley-roster`: compact, for a side panel about 14rem wide. A line wraps rather
 * than squeezing the name (a badge moves to the next line in a narrow panel); the short
 * fingerprint has digits in fixed width, so two namesakes line up for comparing; touch targets
 * are 44 px, and the summary keeps its disclosure triangle (display: list-item). Said here:
 * comments inside the CSS would ship with it.
 */
export const rosterStyles = css`
  :host {
    background: var(--_bg);
  }
  li {
    padding: 0.3rem 0.45rem;
  }
  .row {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: 0.2rem 0.35rem;
    min-width: 0;
  }
  li:hover {
    background: var(--_surface);
  }
  li.self {
    font-weight: 600;
  }
  .name {
    overflow: hidden;
    text-overflow: ellipsis;
    white-space: nowrap;
    min-width: 0;
  }
  .you {
    flex: none;
    font-weight: 400;
    color: var(--_muted);
  }
  .fp,
  .unproven {
    flex: none;
    font-weight: 400;
    font-size: 0.78rem;
    color: var(--_muted);
  }
  .fp {
    font-family: ui-monospace, 'SFMono-Regular', Menlo, Consolas, monospace;
    font-variant-numeric: tabular-nums;
  }
  .unproven {
    font-style: italic;
  }
  .verified {
    flex: none;
    font-size: 0.72rem;
    font-weight: 600;
    padding: 0.05rem 0.4rem;
    border-radius: 999px;
    color: var(--_ok);
    border: 1px solid color-mix(in srgb, var(--_ok) 45%, transparent);
    background: color-mix(in srgb, var(--_ok) 10%, transparent);
    white-space: nowrap;
  }
  li.warned {
    background: color-mix(in srgb, var(--_danger) 7%, transparent);
    box-shadow: inset 3px 0 0 var(--_danger);
  }
  .unconfirmed {
    margin: 0.3rem 0 0.1rem;
    font-size: 0.78rem;
    line-height: 1.35;
    color: var(--_muted);
    overflow-wrap: anywhere;
  }
  .warning {
    margin: 0.3rem 0 0.1rem;
    font-size: 0.78rem;
    line-height: 1.35;
    font-weight: 600;
    color: var(--_danger);
    overflow-wrap: anywhere;
  }
  details {
    margin-top: 0.15rem;
    font-size: 0.8rem;
  }
  summary {
    width: fit-content;
    cursor: pointer;
    color: var(--_muted);
    border-radius: 4px;
  }
  .code {
    display: grid;
    grid-template-columns: repeat(3, max-content);
    gap: 0.1rem 0.6rem;
    margin: 0.35rem 0 0.25rem;
    font-family: ui-monospace, 'SFMono-Regular', Menlo, Consolas, monospace;
    font-size: 0.88rem;
    font-variant-numeric: tabular-nums;
    letter-spacing: 0.03em;
  }
  .hint {
    margin: 0 0 0.35rem;
    color: var(--_muted);
    line-height: 1.3;
  }
  details button {
    font-size: 0.8rem;
    padding: 0.3em 0.7em;
  }
  @media (pointer: coarse) {
    details button {
      min-height: 44px;
    }
    summary {
      padding-block: 0.8rem;
    }
  }
  .badge {
    flex: none;
    margin-left: auto;
    display: inline-grid;
    place-items: center;
    width: 1.5rem;
    height: 1.5rem;
    border-radius: 999px;
    border: 1px solid var(--_line);
    background: var(--_surface);
    color: var(--_muted);
    cursor: help;
  }
  .badge svg {
    width: 0.95rem;
    height: 0.95rem;
    fill: none;
    stroke: currentColor;
    stroke-width: 1.6;
  }
  .badge.relay {
    color: var(--_accent);
    border-color: color-mix(in srgb, var(--_accent) 35%, transparent);
    background: color-mix(in srgb, var(--_accent) 8%, transparent);
  }
  .badge.direct {
    color: var(--_ok);
    border-color: color-mix(in srgb, var(--_ok) 35%, transparent);
    background: color-mix(in srgb, var(--_ok) 8%, transparent);
  }
  .empty {
    margin: 0.5rem 0 0;
    padding: 0 0.45rem;
    font-size: 0.82rem;
    color: var(--_muted);
  }
`;
