import { css } from 'lit';

/**
 * Styles of `parley-messages`. The `<ol>` is the scroller. Rows are laid out two ways: in
 * normal flow when the list is short (`ol.full`), and absolutely positioned by the virtualizer
 * when it is long (`ol.virtual`; the virtualizer sets each row's `top` and `transform` and
 * reads its margins). Vertical spacing is the rows' margins either way, collapsed between
 * neighbours.
 */
export const messagesStyles = css`
  :host {
    display: flex;
    flex-direction: column;
    min-height: 0;
    overflow: hidden;
    background: var(--_surface);
    /* Its width comes from the chat's layout, never from the messages: rows may ask for it. */
    container-type: inline-size;
  }
  ol {
    flex: 1;
    min-height: 0;
    overflow-y: auto;
    overscroll-behavior: contain;
    /* The element keeps the reader's place itself; the browser's anchoring would fight it. */
    overflow-anchor: none;
    /* Jumps are the element's own (follow, keep the place): never smooth. */
    scroll-behavior: auto;
    list-style: none;
    margin: 0;
    padding: 0;
  }
  /* The list clips its surroundings, so its focus ring goes inside. */
  ol:focus-visible {
    outline-offset: -2px;
  }
  ol.full {
    display: flow-root;
    padding: 0.35rem var(--_space) 0.55rem;
  }
  li {
    margin: 0.45rem 0;
    width: fit-content;
  }
  .older {
    flex: none;
    display: flex;
    justify-content: center;
    padding: 0.5rem 0 0.2rem;
  }
  .day {
    margin-inline: auto;
    font-size: 0.75rem;
    color: var(--_muted);
    background: var(--_bg);
    border: 1px solid var(--_line);
    border-radius: 999px;
    padding: 0.15rem 0.7rem;
  }
  .virtual > .day {
    left: 0;
    right: 0;
  }
  .msg {
    display: grid;
    grid-template-columns: auto auto 1fr auto;
    column-gap: 0.6rem;
    align-items: baseline;
    max-width: min(42rem, 85%);
    background: var(--_bg);
    border: 1px solid var(--_line);
    border-radius: var(--_radius);
    border-top-left-radius: 4px;
    padding: 0.45rem 0.75rem 0.4rem;
    font-size: 0.78rem;
    color: var(--_muted);
  }
  .virtual > .msg {
    left: var(--_space);
  }
  .msg.own {
    margin-left: auto;
    background: var(--_own-bg);
    border-color: transparent;
    border-top-left-radius: var(--_radius);
    border-top-right-radius: 4px;
  }
  .virtual > .msg.own {
    left: auto;
    right: var(--_space);
  }
  .author {
    font-weight: 650;
    color: var(--_fg);
  }
  /* The author's fingerprint, after the name: quiet, but there to tell two people of one name
     apart. Generated content, so it costs no DOM node per row (and is read with the name). */
  .author[data-fp]::after {
    content: ' ' attr(data-fp);
    font-weight: 400;
    color: var(--_muted);
    font-family: ui-monospace, 'SFMono-Regular', Menlo, Consolas, monospace;
    font-size: 0.72rem;
    font-variant-numeric: tabular-nums;
  }
  /* A clear message in an encrypted room says so. */
  .msg[data-clear] time::after {
    content: ' · not encrypted';
    color: var(--_danger);
    font-weight: 600;
  }
  /* "02:02 AM" and "delivered" read as one piece each: never broken over two lines. */
  time,
  .status {
    white-space: nowrap;
  }
  /* In a narrow chat (an embedded one beside its member list) a bubble may take nearly the
     whole width, so its name, time and delivery state still fit on one line. */
  @container (max-width: 20rem) {
    .msg {
      max-width: 94%;
    }
  }
  .text {
    grid-column: 1 / -1;
    margin: 0.15rem 0 0;
    font-size: 1rem;
    color: var(--_fg);
    white-space: pre-wrap;
    overflow-wrap: anywhere;
    line-height: 1.4;
  }
  .status {
    justify-self: end;
    font-size: 0.72rem;
  }
  /* Waiting is normal (muted); only a message that could not be delivered is an alarm. */
  .status.saving,
  .status.queued {
    color: var(--_muted);
    font-style: italic;
  }
  .status.failed {
    color: var(--_danger);
  }
  .status.delivered {
    color: var(--_ok);
  }
  .retry {
    font-size: 0.72rem;
    padding: 0.05em 0.6em;
  }
  .empty {
    color: var(--_muted);
    text-align: center;
    padding: 3rem var(--_space);
  }
`;
