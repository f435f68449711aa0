import { css } from 'lit';

/**
 * What the chat's panels share (`parley-settings`, `parley-connection`): a body that scrolls
 * between their title and buttons; with `inline`, the dialog fills the host's box — no
 * backdrop, no frame, nothing page-wide — and a closed one takes no room.
 */
export const inlinePanelStyles = css`
  .body {
    flex: 1 1 auto;
    min-height: 0;
    overflow-y: auto;
    overscroll-behavior: contain;
    display: grid;
    align-content: start;
    gap: 1.1rem;
    padding: 0.2rem calc(var(--_space) * 1.6) calc(var(--_space) * 1.1);
  }
  :host([inline]:not([open])) {
    display: none;
  }
  :host([inline]) dialog {
    position: absolute;
    inset: 0;
    width: 100%;
    height: 100%;
    max-width: none;
    max-height: none;
    margin: 0;
    border: none;
    border-radius: 0;
    box-shadow: none;
  }
`;
