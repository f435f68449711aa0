import { css } from 'lit';

/** Styles of `parley-rooms`: a compact list for a side panel or drawer about 15rem wide. */
export const roomsStyles = css`
  li.current {
    background: var(--_surface);
    box-shadow: inset 3px 0 0 var(--_accent);
  }
  /* A room's line is one button: title and count on top, the last message under them. */
  .open {
    display: grid;
    grid-template-columns: minmax(0, 1fr) auto;
    gap: 0.1rem 0.4rem;
    width: 100%;
    padding: 0.4rem 0.5rem;
    border: 0;
    background: transparent;
    color: inherit;
    text-align: start;
    font: inherit;
  }
  .open:hover:not(:disabled) {
    background: var(--_surface);
  }
  .title,
  .last {
    overflow: hidden;
    text-overflow: ellipsis;
    white-space: nowrap;
    min-width: 0;
  }
  .title {
    font-weight: 600;
  }
  .unread {
    align-self: center;
    min-width: 1.4rem;
    padding: 0.05rem 0.4rem;
    border-radius: 999px;
    background: var(--_accent);
    color: var(--_accent-fg);
    font-size: 0.75rem;
    font-weight: 700;
    text-align: center;
  }
  .last {
    grid-column: 1 / -1;
    color: var(--_muted);
    font-size: 0.8rem;
  }
  .fp {
    font-family: ui-monospace, 'SFMono-Regular', Menlo, Consolas, monospace;
    font-size: 0.75rem;
  }
  .waiting {
    grid-column: 1 / -1;
    justify-self: start;
    padding: 0 0.4rem;
    border-radius: 999px;
    border: 1px solid var(--_accent);
    font-size: 0.75rem;
    font-weight: 600;
  }
  .tools {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: 0.3rem;
    padding: 0 0.5rem 0.45rem;
  }
  .tools button,
  .leave-dialog button {
    padding: 0.2rem 0.55rem;
    font-size: 0.8rem;
  }
  /* On a phone (or any touch screen) every button is a finger's size. */
  @media (max-width: 40rem), (pointer: coarse) {
    button {
      min-height: 44px;
    }
  }
  .copied {
    font-size: 0.78rem;
    color: var(--_ok);
  }
  .leave-dialog {
    margin: 0 0.5rem 0.5rem;
    padding: 0.5rem;
    border: 1px solid var(--_line);
    border-radius: 8px;
    background: var(--_bg);
    display: grid;
    gap: 0.3rem;
    font-size: 0.82rem;
  }
  fieldset {
    display: grid;
    gap: 0.3rem;
    margin: 0;
    padding: 0;
    border: 0;
    min-width: 0;
  }
  legend {
    padding: 0 0 0.2rem;
    font-weight: 600;
    overflow-wrap: anywhere;
  }
  .leave-dialog .actions {
    display: flex;
    gap: 0.3rem;
    margin-top: 0.2rem;
  }
  button.new {
    width: 100%;
    margin: 0 0 0.4rem;
    padding: 0.3rem 0.55rem;
    font-size: 0.85rem;
  }
  parley-new-room {
    margin: 0 0 0.6rem;
    padding: 0.5rem;
    border: 1px solid var(--_line);
    border-radius: 8px;
    background: var(--_bg);
    font-size: 0.85rem;
  }
  .empty {
    margin: 0;
    color: var(--_muted);
  }
`;
