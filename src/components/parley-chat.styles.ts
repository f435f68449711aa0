import { css } from 'lit';

/**
 * Styles of `parley-chat`. The `theme` attribute sets the colour scheme, which the inner
 * elements inherit and the palette's `light-dark()` defaults follow (see theme.styles.ts):
 * `light`, `dark`, or `auto`/absent for the reader's `prefers-color-scheme`.
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
  }
  header {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: calc(var(--_space) * 0.5) calc(var(--_space) * 0.6);
    padding: calc(var(--_space) * 0.6) var(--_space);
    border-bottom: 1px solid var(--_line);
  }
  .brand {
    font-weight: 800;
    color: var(--_accent);
    letter-spacing: -0.02em;
  }
  h1 {
    font-size: 1.05rem;
    margin: 0;
    font-weight: 700;
  }
  h1 .hash {
    color: var(--_muted);
    font-weight: 500;
  }
  form.room {
    display: flex;
    gap: 0.4rem;
  }
  form.room input {
    width: 9rem;
    padding: 0.3em 0.6em;
  }
  header button {
    padding: 0.25em 0.65em;
    font-size: 0.9rem;
  }
  .unread {
    font-size: 0.75rem;
    font-weight: 700;
    padding: 0.1rem 0.5rem;
    border-radius: 999px;
    color: var(--_accent-fg);
    background: var(--_accent);
  }
  .spacer {
    flex: 1;
  }
  .conn {
    display: inline-flex;
    align-items: center;
    gap: 0.4rem;
    font-size: 0.85rem;
    color: var(--_muted);
  }
  .dot {
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
  .conn.offline .dot {
    background: var(--_danger);
  }
  .user {
    font-size: 0.9rem;
    font-weight: 600;
  }
  .banner {
    padding: 0.45rem var(--_space);
    font-size: 0.85rem;
    background: color-mix(in srgb, var(--_danger) 9%, var(--_bg));
    color: var(--_danger);
    border-bottom: 1px solid var(--_line);
  }
  .banner.info {
    background: color-mix(in srgb, var(--_accent) 8%, var(--_bg));
    color: var(--_fg);
  }
  .body {
    flex: 1;
    min-height: 0;
    display: flex;
  }
  parley-messages {
    flex: 1;
    min-width: 0;
  }
  parley-roster {
    width: 13rem;
    flex: none;
    padding: calc(var(--_space) * 0.8) calc(var(--_space) * 0.5);
    border-left: 1px solid var(--_line);
    overflow-y: auto;
  }
  @media (max-width: 640px) {
    parley-roster {
      display: none;
    }
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
`;
