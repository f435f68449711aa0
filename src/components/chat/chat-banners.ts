/**
 * The notices under the chat's top bar, in plain words: why a link is not what it seems (the
 * mesh was full, the server is away but direct links still work, the server cannot be
 * reached) and problems the visitor must see. Reconnecting is not an error: it is told calmly
 * (`role="status"`), with a way to the Settings; only real failures are alerts.
 */
import { html, nothing } from 'lit';
import type { TransportController } from '../../controllers/connection/transport-controller.js';

/** What the banners need to know. */
export interface BannerView {
  /** Someone is logged in (link notices only matter then). */
  loggedIn: boolean;
  connection: TransportController['state'];
  /** The servers the visitor chose; empty: the page's own. */
  servers: readonly string[];
  /** A lasting remark about the link (e.g. the mesh was full). */
  notice: string | undefined;
  /** Whether the device says it is offline. */
  deviceOffline: boolean;
  /** Messages of the room that no key of ours opens. */
  locked: number;
  /** Someone's sealed messages name a key other than ours: the room is split (a passphrase typed differently). */
  mismatch: { name: string } | undefined;
  /** Problems to show as alerts (empty entries are skipped). */
  errors: ReadonlyArray<string | undefined>;
  onSettings: () => void;
}

/** "the server", or the host names of the servers the visitor chose. */
export function serverWords(servers: readonly string[]): string {
  const hosts = servers.map((s) => {
    try {
      return new URL(s).host;
    } catch {
      return s;
    }
  });
  if (hosts.length === 0) return 'the server';
  if (hosts.length === 1) return hosts[0]!;
  return `${hosts.slice(0, -1).join(', ')} or ${hosts.at(-1)!}`;
}

/** Why we are offline, in one sentence, with a way to the Settings when a server is at fault. */
function offline(v: BannerView) {
  if (v.deviceOffline) {
    return html`<div class="banner calm" part="banner offline" role="status">
      This device is offline. Messages you send are kept and go out when it is back online.
    </div>`;
  }
  return html`<div class="banner calm" part="banner offline" role="status">
    <span
      >Cannot reach ${serverWords(v.servers)} right now; reconnecting by itself. Messages you send
      are kept and go out when it is back.</span
    >
    <button part="button banner-settings" @click=${v.onSettings}>Settings</button>
  </div>`;
}

/** Renders every banner that applies. */
export function chatBanners(v: BannerView) {
  const link = !v.loggedIn
    ? nothing
    : v.connection === 'direct'
      ? html`<div class="banner info" part="banner direct" role="status">
          The server is unreachable; people you are linked to directly can still read you, newcomers
          cannot join until it is back.
        </div>`
      : v.connection === 'offline' || v.connection === 'closed'
        ? offline(v)
        : nothing;
  return html`
    ${
      v.loggedIn && v.notice
        ? html`<div class="banner info" part="banner notice" role="status">${v.notice}</div>`
        : nothing
    }
    ${link}
    ${
      v.loggedIn && (v.locked > 0 || v.mismatch)
        ? html`<div class="banner info" part="banner locked" role="status">
            <span
              >${
                v.mismatch
                  ? `This passphrase doesn't open ${v.mismatch.name}'s messages — check it with the others`
                  : lockedWords(v.locked)
              }</span
            >
            <button part="button banner-settings" @click=${v.onSettings}>Settings</button>
          </div>`
        : nothing
    }
    ${v.errors.map((message) =>
      message ? html`<div class="banner" part="banner error" role="alert">${message}</div>` : '',
    )}
  `;
}

/** "5 messages are encrypted with a key you don't have — enter the room passphrase in Settings." */
export function lockedWords(n: number): string {
  const what = n === 1 ? '1 message is' : `${n} messages are`;
  return `${what} encrypted with a key you don't have — enter the room passphrase in Settings.`;
}
