import { css } from 'lit';

/**
 * Styles of `<parley-chat launcher>` (see chat-launcher.ts). The element itself takes no room
 * in the page (`display: contents`: no box, so no size container holding the fixed children
 * to it either); the button and the panel are fixed to the window, above the page by
 * `--parley-z-index`. The panel is the chat's box: it holds the layout `:host` holds inline,
 * and is the `chat` container the layout's narrow rules ask about. On a phone (≤ 480px wide)
 * the panel fills the screen and its button hides under it.
 *
 * (No comments inside the template: they would be shipped in the initial download.)
 */
export const launcherStyles = css`
  :host([launcher]) {
    --_offset: var(--parley-launcher-offset, 20px);
    --_size: var(--parley-launcher-size, 56px);
    --_right: var(--_offset);
    --_left: auto;
    display: contents;
    /* Should a page give the element a box anyway (display: block), it takes no room and
       contains nothing (no containment): the button and the panel stay fixed to the window. */
    height: 0;
    min-height: 0;
    border: none;
    background: none;
    container-type: normal;
  }
  .panel > .frame {
    height: auto;
    min-height: 0;
  }
  :host([launcher-position='bottom-left']) {
    --_right: auto;
    --_left: var(--_offset);
  }
  .launcher,
  .panel {
    position: fixed;
    z-index: var(--parley-z-index, 1000);
    right: var(--_right);
    left: var(--_left);
    box-shadow: 0 8px 30px rgb(0 0 0 / 0.25);
  }
  .launcher {
    bottom: var(--_offset);
    display: flex;
    align-items: center;
    gap: 0.45rem;
    min-width: var(--_size);
    height: var(--_size);
    padding: 0 1.1rem;
    border-radius: 99px;
    font-weight: 700;
  }
  .launcher svg {
    width: 1.4rem;
  }
  .launcher-badge {
    position: absolute;
    top: -6px;
    right: -6px;
    min-width: 1.4rem;
    padding: 0.1rem 0.3rem;
    border-radius: 99px;
    font-size: 0.75rem;
    color: #fff;
    background: #b3261e;
  }
  .panel {
    bottom: calc(var(--_offset) + var(--_size) + 12px);
    width: min(var(--parley-panel-width, 380px), 100vw - 2 * var(--_offset));
    height: min(var(--parley-panel-height, 600px), 100dvh - var(--_size) - 3 * var(--_offset));
    display: flex;
    flex-direction: column;
    container: chat / inline-size;
    background: var(--_bg);
    border: var(--parley-border, 1px solid var(--_line));
    border-radius: calc(var(--_radius) * 1.6);
    overflow: hidden;
  }
  .panel[hidden] {
    display: none;
  }
  .panel-bar {
    display: flex;
    align-items: center;
    padding: 0 0 0 var(--_space);
    color: var(--_accent-fg);
    background: var(--_accent);
  }
  .panel-title {
    flex: 1;
    margin: 0;
    font-size: 1rem;
  }
  .close {
    width: 44px;
    height: 44px;
    border: 0;
    color: inherit;
    background: none;
  }
  .close:hover:not(:disabled) {
    background: rgb(255 255 255 / 0.2);
  }
  @media (max-width: 480px) {
    .panel {
      inset: 0;
      width: auto;
      height: auto;
      border: 0;
      border-radius: 0;
    }
    :host([launcher-open]) .launcher {
      display: none;
    }
  }
`;
