import { css } from 'lit';

/**
 * What the panels that open inside the chat's own box share (`parley-settings`,
 * `parley-connection` with `inline`): the dialog fills the host's box — no backdrop, no frame,
 * nothing page-wide — and a closed one takes no room.
 */
export const inlinePanelStyles = css`
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
