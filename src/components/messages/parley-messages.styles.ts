import { css } from 'lit';

/**
 * Styles of `parley-messages`. The `<ol>` is the scroller. Rows are laid out two ways: in a
 * flex column when the list is short (`ol.full`, its first row's `margin-top: auto` keeps a
 * short conversation at the bottom), and absolutely positioned by the virtualizer when it is
 * long (`ol.virtual`; the virtualizer sets each row's `top` and `transform` and reads its
 * margins). Vertical spacing is the rows' top margins either way (the virtualizer collapses
 * margins, flex does not: bottom margins would count differently).
 *
 * Why some rules are there (said here: comments inside the CSS would ship with it):
 * - `:host` `container-type`: its width comes from the chat's layout, never from the messages;
 *   rows may ask for it (`@container`: in a narrow chat, an embedded one beside its member
 *   list, a bubble may take nearly the whole width, so name, time and state fit on one line).
 * - `ol`: `overflow-x: hidden`, since a grouped message's time shows beside it, never widening
 *   the list; `overflow-anchor: none`, since the element keeps the reader's place itself and
 *   the browser's anchoring would fight it; `scroll-behavior: auto`, since jumps are the
 *   element's own (follow, keep the place). It clips its surroundings, so its focus ring goes
 *   inside.
 * - `.msg`: a column of its header (`.head`: name, time, state, Retry — a grid, so the state
 *   sits at the right edge) and what is under it (flag, quote, text, reactions). Only the
 *   header is a grid: a bubble whose text is a grid item is as wide as its content, and
 *   Chromium works that width out again for every row of the list at each layout (3 ms a new
 *   message at 100 rows, against 1 ms this way); a flex column does not, and keeps the
 *   margins between the parts as they were (no collapsing).
 * - `.msg.cont`: the rest of a group sits close under its first message, its name visually
 *   hidden, its time beside it on hover or focus (read by screen readers all along). A
 *   message's flag ("Not encrypted", …) and the quiet lines between messages are styled by
 *   timeline.ts, in its own chunk.
 * - `.msg:not(.own)`: others' messages leave room on their left for the avatar of each
 *   group's first; `.author` takes the author's colour (`--_who`, see avatar.ts), ours the
 *   text colour.
 * - `.author[data-fp]::after`: the author's fingerprint (one block: it wraps whole, never
 *   inside the code), quiet but there to tell two people of one name apart; generated content, so it costs no DOM node per row (read with the name).
 * - `time`, `.status`: "02:02 AM" and "delivered" read as one piece each, never broken.
 * - What a list needs only later (the virtualized list's rows, a folded long message and its
 *   "Show more", Retry, the new-messages pill, the colours of our messages' states, a kind of
 *   message this version cannot show, the narrowest bubbles) is in timeline.ts's sheet, loaded
 *   in a chunk of its own right after the list first renders: the first download stays small.
 */
export const messagesStyles = css`
  :host {
    position: relative;
    display: flex;
    flex-direction: column;
    min-height: 0;
    overflow: hidden;
    background: var(--_surface);
    container-type: inline-size;
  }
  ol {
    flex: 1;
    min-height: 0;
    overflow-y: auto;
    overflow-x: hidden;
    overscroll-behavior: contain;
    overflow-anchor: none;
    scroll-behavior: auto;
    list-style: none;
    margin: 0;
    padding: 0;
  }
  ol:focus-visible {
    outline-offset: -2px;
  }
  ol.full {
    display: flex;
    flex-direction: column;
    padding: 0.35rem var(--_space) 0.55rem;
  }
  li {
    margin: 0.45rem 0 0;
    width: fit-content;
  }
  ol.full > :first-child {
    margin-top: auto;
  }
  .msg.cont {
    margin-top: 0.15rem;
  }
  .begin {
    margin-inline: auto;
    padding: 0.6rem 0 0.2rem;
    font-size: 0.85rem;
    font-weight: 650;
    color: var(--_muted);
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
  .msg {
    position: relative;
    display: flex;
    flex-direction: column;
    max-width: min(42rem, 85%);
    background: var(--_bg);
    border: 1px solid var(--_line);
    border-radius: var(--_radius);
    border-top-left-radius: 4px;
    padding: 0.45rem 0.75rem 0.4rem;
    font-size: 0.78rem;
    color: var(--_muted);
  }
  .msg:not(.own) {
    margin-left: 2.1rem;
  }
  .head {
    display: grid;
    grid-template-columns: auto auto 1fr auto;
    column-gap: 0.6rem;
    align-items: baseline;
  }
  .avatar {
    position: absolute;
    left: -2.1rem;
    top: 0;
  }
  .msg.own {
    margin-left: auto;
    background: var(--_own-bg);
    border-color: transparent;
    border-top-left-radius: var(--_radius);
    border-top-right-radius: 4px;
  }
  .author {
    font-weight: 650;
    color: var(--_who, var(--_fg));
  }
  .cont time {
    position: absolute;
    top: 0.5rem;
    left: calc(100% + 0.4rem);
    opacity: 0;
  }
  .cont.own time {
    left: auto;
    right: calc(100% + 0.4rem);
  }
  .cont:hover time,
  .cont:focus-within time {
    opacity: 1;
  }
  .author[data-fp]::after {
    content: attr(data-fp);
    display: inline-block;
    margin-left: 0.35em;
    font-weight: 400;
    color: var(--_muted);
    font-family: ui-monospace, 'SFMono-Regular', Menlo, Consolas, monospace;
    font-size: 0.72rem;
    font-variant-numeric: tabular-nums;
  }
  time,
  .status {
    white-space: nowrap;
  }
  .text {
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
  .empty {
    color: var(--_muted);
    text-align: center;
    padding: 3rem var(--_space);
  }
`;
