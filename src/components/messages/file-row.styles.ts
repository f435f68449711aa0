import { css } from 'lit';

/**
 * Styles of `<parley-file>`: a card inside the message bubble — the preview or a document
 * icon, the name and facts, the transfer line and the actions — and the image viewer. The
 * preview's box comes from the image's own width and height attributes (set from the manifest),
 * so a row keeps its height while the thumbnail loads. The viewer fits the window, whatever
 * the image's size; on a phone it takes the whole screen.
 */
export const fileStyles = css`
  :host {
    display: block;
    margin: 0.3rem 0 0.1rem;
    font-size: 0.85rem;
    color: var(--_fg);
  }
  .file {
    display: grid;
    grid-template-columns: auto 1fr;
    gap: 0.35rem 0.6rem;
    align-items: center;
    max-width: 22rem;
  }
  .file.image {
    grid-template-columns: 1fr;
  }
  .icon {
    width: 2.2rem;
    height: 2.6rem;
    color: var(--_muted);
  }
  .about {
    display: flex;
    flex-direction: column;
    min-width: 0;
  }
  .name {
    font-weight: 600;
    overflow-wrap: anywhere;
  }
  .facts,
  .line,
  .rate {
    color: var(--_muted);
    font-size: 0.78rem;
  }
  .line {
    margin: 0;
  }
  .line.failed {
    color: var(--_danger);
  }
  .wide {
    grid-column: 1 / -1;
  }
  .moving {
    display: flex;
    align-items: center;
    gap: 0.5rem;
    flex-wrap: wrap;
  }
  progress {
    flex: 1;
    min-width: 6rem;
    height: 0.5rem;
    accent-color: var(--_accent);
  }
  .actions {
    display: flex;
    flex-wrap: wrap;
    gap: 0.4rem;
  }
  .actions:empty {
    display: none;
  }
  .actions button {
    font-size: 0.8rem;
    padding: 0.3em 0.8em;
  }
  .thumb {
    display: block;
    padding: 0;
    border: 1px solid var(--_line);
    border-radius: var(--_control-radius);
    overflow: hidden;
    background: var(--_surface);
    max-width: 100%;
    width: fit-content;
    line-height: 0;
  }
  .thumb img {
    display: block;
    max-width: 100%;
    height: auto;
    object-fit: cover;
  }
  .thumb .empty {
    display: grid;
    place-items: center;
    width: 12rem;
    max-width: 100%;
    aspect-ratio: 4 / 3;
    line-height: normal;
    color: var(--_muted);
  }
  dialog {
    border: 1px solid var(--_line);
    border-radius: calc(var(--_radius) * 1.6);
    background: var(--_bg);
    color: var(--_fg);
    padding: 0.8rem;
    max-width: min(96vw, 80rem);
    max-height: 94vh;
  }
  dialog::backdrop {
    background: rgb(0 0 0 / 0.7);
  }
  dialog[open] {
    display: flex;
    flex-direction: column;
    gap: 0.6rem;
  }
  .view {
    flex: 1;
    display: grid;
    place-items: center;
    min-width: min(20rem, 80vw);
    min-height: 10rem;
  }
  .view img {
    max-width: 100%;
    max-height: calc(94vh - 6rem);
    object-fit: contain;
  }
  .bar {
    display: flex;
    gap: 0.5rem;
    align-items: center;
  }
  .bar .name {
    flex: 1;
    min-width: 0;
  }
  @media (pointer: coarse) {
    button {
      min-height: 44px;
      min-width: 44px;
    }
  }
  @media (max-width: 30rem) {
    dialog {
      max-width: 100vw;
      max-height: 100vh;
      width: 100vw;
      height: 100vh;
      border-radius: 0;
      margin: 0;
    }
    .view img {
      max-height: calc(100vh - 6rem);
    }
  }
`;
