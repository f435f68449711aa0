import { css } from 'lit';

/**
 * What the side panels' lists share (`parley-roster`, `parley-rooms`): a compact block, a small
 * upper-case heading, a list without bullets, lines that never squeeze past their panel.
 */
export const sideListStyles = css`
  :host {
    display: block;
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
    min-width: 0;
    border-radius: 8px;
  }
`;
