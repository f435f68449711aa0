import { css } from 'lit';

/** Styles of `parley-roster`: compact, for a side panel about 14rem wide. */
export const rosterStyles = css`
  :host {
    display: block;
    background: var(--_bg);
    font-size: 0.9rem;
    min-width: 0;
  }
  h2 {
    margin: 0 0 0.5rem;
    font-size: 0.78rem;
    font-weight: 700;
    letter-spacing: 0.04em;
    text-transform: uppercase;
    color: var(--_muted);
  }
  ul {
    list-style: none;
    margin: 0;
    padding: 0;
    display: grid;
    gap: 0.15rem;
  }
  li {
    display: flex;
    align-items: center;
    gap: 0.35rem;
    min-width: 0;
    padding: 0.3rem 0.45rem;
    border-radius: 8px;
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
    margin-right: auto;
    font-weight: 400;
    color: var(--_muted);
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
