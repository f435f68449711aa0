import { css } from 'lit';

/**
 * Styles of `parley-chat`. The `theme` attribute sets the colour scheme, which the inner
 * elements inherit and the palette's `light-dark()` defaults follow (see theme.styles.ts):
 * `light`, `dark`, or `auto`/absent for the reader's `prefers-color-scheme`.
 *
 * Layout follows the element's own width (a container query), not the window's: an embedded
 * chat may be narrow on a wide page. Below 56rem the room list is a drawer behind "Rooms".
 * Below 40rem the top bar folds into one row ("Rooms", room, the state as its light only,
 * "Members (N)", "Menu") and the member list opens over the messages. Wide, the tools sit in
 * the bar itself, the room form after the title. The accent dot means reachable, but not everyone (tabs of this browser, or direct
 * links while the server is away); calm notices (`info`, `calm`) are not failures. Embedded,
 * the login and the settings take the chat's own box, over the messages.
 *
 * (The library build strips comments and indents from `css` templates: see vite.lib.config.ts.)
 */
export const chatStyles = css`
  :host {
    color-scheme: light;
  }
  @media (prefers-color-scheme: dark) {
    :host {
      color-scheme: dark;
    }
  }
  :host([theme='light']) {
    color-scheme: light;
  }
  :host([theme='dark']) {
    color-scheme: dark;
  }
  :host {
    display: flex;
    flex-direction: column;
    height: 100%;
    min-height: 20rem;
    background: var(--_bg);
    border: var(--parley-border, none);
    overflow: hidden;
    container: chat / inline-size;
  }
  /* The layout lives here, not on the element: a page may set the element's own display. */
  .frame {
    display: flex;
    flex-direction: column;
    flex: 1 1 auto;
    height: 100%;
    min-height: inherit;
  }
  header {
    position: relative;
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: calc(var(--_space) * 0.5) calc(var(--_space) * 0.6);
    padding: calc(var(--_space) * 0.6) var(--_space);
    border-bottom: 1px solid var(--_line);
  }
  .brand {
    order: 0;
    font-weight: 800;
    color: var(--_accent);
    letter-spacing: -0.02em;
  }
  h1 {
    order: 1;
    font-size: 1.05rem;
    margin: 0;
    font-weight: 700;
    min-width: 0;
    overflow: hidden;
    text-overflow: ellipsis;
    white-space: nowrap;
  }
  h1 .hash {
    color: var(--_muted);
    font-weight: 500;
  }
  .unread {
    order: 2;
    font-size: 0.75rem;
    font-weight: 700;
    padding: 0.1rem 0.5rem;
    border-radius: 999px;
    color: var(--_accent-fg);
    background: var(--_accent);
  }
  .tools {
    display: contents;
  }
  parley-new-room {
    order: 3;
  }
  .e2e {
    order: 1;
    font-size: 0.8rem;
    font-weight: 600;
    color: var(--_ok);
    white-space: nowrap;
  }
  .spacer {
    order: 4;
    flex: 1;
  }
  .conn {
    order: 5;
    display: inline-flex;
    align-items: center;
    gap: 0.4rem;
    font-size: 0.85rem;
    color: var(--_muted);
    white-space: nowrap;
  }
  /* The "Connection details" button beside the state: a small round "i". */
  header button.conn-details {
    justify-content: center;
    width: 1.9rem;
    height: 1.9rem;
    padding: 0;
    border-radius: 50%;
    font-family: Georgia, serif;
    font-style: italic;
    font-weight: 700;
  }
  .tools > :not(form) {
    order: 7;
  }
  .tools button.details-item,
  .tools button.search-item {
    display: none;
  }
  .rooms-toggle,
  .members-toggle,
  .menu-toggle {
    display: none;
    order: 8;
  }
  header button {
    padding: 0.25em 0.65em;
    font-size: 0.9rem;
  }
  .dot {
    flex: none;
    width: 0.6rem;
    height: 0.6rem;
    border-radius: 50%;
    background: var(--_muted);
  }
  .conn.connected .dot {
    background: var(--_ok);
  }
  .conn.connecting .dot {
    background: var(--_warn);
  }
  .conn.tabs .dot,
  .conn.direct .dot {
    background: var(--_accent);
  }
  .conn.offline .dot {
    background: transparent;
    border: 2px solid var(--_muted);
  }
  .user {
    font-size: 0.9rem;
    font-weight: 600;
    overflow: hidden;
    text-overflow: ellipsis;
    white-space: nowrap;
  }
  .banner {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: 0.3rem 0.8rem;
    padding: 0.45rem var(--_space);
    font-size: 0.85rem;
    background: color-mix(in srgb, var(--_danger) 9%, var(--_bg));
    color: var(--_danger);
    border-bottom: 1px solid var(--_line);
  }
  .banner.info,
  .banner.calm {
    background: color-mix(in srgb, var(--_accent) 8%, var(--_bg));
    color: var(--_fg);
  }
  .banner span {
    flex: 1 1 16rem;
  }
  .banner button {
    padding: 0.15em 0.7em;
    font-size: 0.85rem;
  }
  .body {
    position: relative;
    flex: 1;
    min-height: 0;
    display: flex;
  }
  parley-messages,
  .inbox-idle {
    flex: 1;
    min-width: 0;
  }
  .inbox-idle {
    padding: var(--_space);
    color: var(--_muted);
  }
  parley-rooms {
    width: 15.5rem;
    flex: none;
    padding: calc(var(--_space) * 0.8) calc(var(--_space) * 0.5);
    border-right: 1px solid var(--_line);
    overflow-y: auto;
  }
  /* The member list's heading while its chunk is on its way (light DOM; no inline style: a
     host page's CSP may forbid style attributes). Matches the list's own heading. */
  parley-roster:not(:defined) > h2.roster-waiting {
    margin: 0 0 0.5rem;
    font-size: 0.78rem;
    font-weight: 700;
    letter-spacing: 0.04em;
    text-transform: uppercase;
    color: var(--_muted);
  }
  parley-roster {
    width: 13rem;
    flex: none;
    padding: calc(var(--_space) * 0.8) calc(var(--_space) * 0.5);
    border-left: 1px solid var(--_line);
    overflow-y: auto;
  }
  parley-login[inline],
  parley-settings[inline] {
    position: absolute;
    inset: 0;
    z-index: 2;
    background: var(--_surface);
  }
  parley-search {
    position: absolute;
    inset: 0 0 0 auto;
    width: min(26rem, 100%);
    z-index: 2;
    background: var(--_surface);
    border-left: 1px solid var(--_line);
    box-shadow: -0.5rem 0 1.5rem rgb(0 0 0 / 0.12);
  }
  parley-search[hidden] {
    display: none;
  }
  .body.covered > parley-messages,
  .body.covered > parley-rooms,
  .body.covered > parley-roster {
    visibility: hidden;
  }
  .typing {
    margin: 0;
    min-height: 1.3rem;
    padding: 0.15rem var(--_space) 0;
    font-size: 0.8rem;
    font-style: italic;
    color: var(--_muted);
    border-top: 1px solid var(--_line);
  }
  parley-composer {
    padding: 0.2rem var(--_space) calc(var(--_space) * 0.5);
  }
  @media (pointer: coarse) {
    header button,
    .banner button {
      min-height: 44px;
      min-width: 44px;
    }
  }

  /* Below 56rem the room list is a drawer behind a "Rooms" button. */
  @container chat (max-width: 56rem) {
    .rooms-toggle {
      display: inline-block;
      order: -1;
      flex: none;
      white-space: nowrap;
    }
    parley-rooms {
      display: none;
    }
    parley-rooms.open {
      display: block;
      position: absolute;
      z-index: 1;
      inset: 0 auto 0 0;
      width: min(16rem, 85%);
      background: var(--_bg);
      box-shadow: 8px 0 24px rgb(0 0 0 / 0.15);
    }
  }
  @container chat (max-width: 40rem) {
    .conn-text {
      position: absolute;
      width: 1px;
      height: 1px;
      overflow: hidden;
      clip-path: inset(50%);
    }
    header {
      flex-wrap: nowrap;
      padding: 0.25rem calc(var(--_space) * 0.6);
      gap: 0.4rem;
    }
    .brand,
    .spacer,
    .conn-more {
      display: none;
    }
    /* The title wraps rather than be cut ("#Desig…"); the lock alone says it is encrypted. */
    h1 {
      flex: 1 1 auto;
      white-space: normal;
      overflow-wrap: break-word;
      line-height: 1.15;
      font-size: 0.95rem;
    }
    .e2e-words {
      display: none;
    }
    /* Narrow: the room's title keeps the room; the details are an item of the menu. */
    header button.conn-details,
    header button.search-button {
      display: none;
    }
    .tools button.details-item,
    .tools button.search-item {
      display: inline-block;
    }
    .rooms-toggle,
    .members-toggle,
    .menu-toggle {
      display: inline-block;
      flex: none;
      min-height: 44px;
      min-width: 44px;
      white-space: nowrap;
    }
    .tools {
      display: none;
    }
    .tools.open {
      position: absolute;
      z-index: 3;
      top: 100%;
      right: 0.5rem;
      display: flex;
      flex-direction: column;
      align-items: stretch;
      gap: 0.4rem;
      width: min(18rem, calc(100% - 1rem));
      padding: 0.6rem;
      background: var(--_bg);
      border: 1px solid var(--_line);
      border-radius: var(--_radius);
      box-shadow: 0 10px 30px rgb(0 0 0 / 0.18);
    }
    .tools.open .user {
      padding: 0.2rem 0.3rem;
      color: var(--_muted);
    }
    .tools.open button {
      min-height: 44px;
      text-align: start;
    }
    parley-roster {
      display: none;
    }
    .body.members-open > parley-roster {
      display: block;
      position: absolute;
      z-index: 1;
      inset: 0 0 0 auto;
      width: min(16rem, 85%);
      background: var(--_bg);
      box-shadow: -8px 0 24px rgb(0 0 0 / 0.15);
    }
    parley-composer {
      padding: 0.2rem calc(var(--_space) * 0.6) calc(var(--_space) * 0.4);
    }
  }
  @container chat (max-width: 20rem) {
    header {
      flex-wrap: wrap;
    }
  }
`;
