/**
 * The door to the banners under the top bar (connection, notices, a split room's key): their
 * chunk loads once someone is logged in (before, they have nothing to say); until it is here
 * only what went wrong is said, which must never wait.
 */
import { html } from 'lit';
import type { BannerView } from './chat-banners.js';

/** The banners (connection, notices, keys), once their chunk is here. */
let bannerChunk: typeof import('./chat-banners.js') | undefined;
/** Elements waiting to draw the banners once their chunk is here. */
const bannerWaiting = new Set<{ requestUpdate(): void }>();
let bannerLoad: Promise<unknown> | undefined;

/** Renders the banners that apply (see the file's comment); `host` is drawn again once they load. */
export function banners(v: BannerView & { host: { requestUpdate(): void } }) {
  if (bannerChunk) return bannerChunk.chatBanners(v);
  // Before a login there is nothing but errors to say: the chunk waits for one.
  if (v.loggedIn) {
    bannerWaiting.add(v.host);
    bannerLoad ??= import('./chat-banners.js').then((m) => {
      bannerChunk = m;
      bannerWaiting.forEach((h) => h.requestUpdate());
      bannerWaiting.clear();
    });
  }
  return v.errors.map((message) =>
    message ? html`<div class="banner" part="banner error" role="alert">${message}</div>` : '',
  );
}
