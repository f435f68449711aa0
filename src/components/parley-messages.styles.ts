import { css } from 'lit';

/** Styles of `parley-messages`. */
export const messagesStyles = css`
  :host {
    display: block;
    overflow-y: auto;
    overscroll-behavior: contain;
    background: var(--_surface);
  }
  ol {
    list-style: none;
    margin: 0;
    padding: 0.8rem 1rem 1rem;
    display: flex;
    flex-direction: column;
    gap: 0.45rem;
  }
  .older {
    display: flex;
    justify-content: center;
    padding-top: 0.8rem;
  }
  .day {
    align-self: center;
    font-size: 0.75rem;
    color: var(--_muted);
    background: var(--_bg);
    border: 1px solid var(--_line);
    border-radius: 999px;
    padding: 0.15rem 0.7rem;
    margin: 0.5rem 0 0.2rem;
  }
  .msg {
    max-width: min(42rem, 85%);
    align-self: flex-start;
    background: var(--_bg);
    border: 1px solid var(--_line);
    border-radius: var(--_radius);
    border-top-left-radius: 4px;
    padding: 0.45rem 0.75rem 0.4rem;
  }
  .msg.own {
    align-self: flex-end;
    background: var(--_own-bg);
    border-color: transparent;
    border-top-left-radius: var(--_radius);
    border-top-right-radius: 4px;
  }
  .head {
    display: flex;
    gap: 0.6rem;
    align-items: baseline;
    font-size: 0.78rem;
    color: var(--_muted);
  }
  .author {
    font-weight: 650;
    color: var(--_fg);
  }
  .text {
    margin: 0.15rem 0 0;
    white-space: pre-wrap;
    overflow-wrap: anywhere;
    line-height: 1.4;
  }
  .status {
    margin-left: auto;
    font-size: 0.72rem;
  }
  .status.queued {
    color: var(--_danger);
  }
  .empty {
    color: var(--_muted);
    text-align: center;
    padding: 3rem 1rem;
  }
`;
