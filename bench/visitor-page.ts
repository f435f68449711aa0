/**
 * The page side of bench/visitor-bytes.ts: the shop page that embeds the chat, served on an
 * origin of its own, and the probe that notes in the page when each moment first holds.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** The tag the shop page carries, as README's embed section shows it. */
export const EMBED_TAG =
  '<parley-chat room="support" server="APP" style="height:480px;width:400px">';

/** The shop page on another origin: a module script from the Parley server and the tag. */
function shopPage(app: string): string {
  return `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <title>Shop</title>
    <script type="module" src="${app}/lib/parley.js"></script>
  </head>
  <body>
    <main>
      <h1>Shop</h1>
      <p>Questions? Ask us below.</p>
      ${EMBED_TAG.replace('APP', app)}</parley-chat>
    </main>
  </body>
</html>`;
}

/** Serves the shop page at `/` on a port of its own on 127.0.0.1 (another origin). */
export async function serveShop(app: string): Promise<{ url: string; server: Server }> {
  const page = shopPage(app);
  const server = createServer((req, res) => {
    if (req.url === '/')
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(page);
    else res.writeHead(404).end();
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`, server };
}

/**
 * Runs in the page before its scripts: notes when each moment first holds
 * (`performance.now()`), looking through shadow roots. It checks on every DOM change — every
 * shadow root is observed as it is attached — so a moment is seen in the microtask after the
 * render that makes it, before any code reacting to that render can start a download; and on
 * every animation frame, for what changes by layout alone. Source text, so the page gets
 * exactly this (no helpers of the Node side's transpiler).
 */
export const MOMENT_PROBE = `(() => {
  performance.setResourceTimingBufferSize(2000);
  const moments = (window.__visitorMoments = {});
  const all = (root, selector, out = []) => {
    out.push(...root.querySelectorAll(selector));
    for (const el of root.querySelectorAll('*')) if (el.shadowRoot) all(el.shadowRoot, selector, out);
    return out;
  };
  const usable = (el) => el && !el.disabled && el.getClientRects().length > 0;
  const done = () => moments.inRoom !== undefined;
  const check = () => {
    const now = performance.now();
    if (moments.loginUsable === undefined) {
      const name = all(document, 'input[name=name]').find(usable);
      const create = all(document, 'button[value=register]').find(usable);
      if (name && create) moments.loginUsable = now;
    }
    if (moments.inRoom === undefined) {
      const conn = all(document, '.conn').find(
        (el) => /Connected/.test(el.textContent) && !/switching/.test(el.textContent),
      );
      const box = all(document, 'textarea[aria-label=Message]').find(usable);
      if (conn && box) moments.inRoom = now;
    }
    if (done()) observer.disconnect();
  };
  const observer = new MutationObserver(check);
  const watch = { subtree: true, childList: true, attributes: true, characterData: true };
  const attach = Element.prototype.attachShadow;
  Element.prototype.attachShadow = function (init) {
    const root = attach.call(this, init);
    if (!done()) observer.observe(root, watch);
    return root;
  };
  observer.observe(document, watch);
  const tick = () => {
    check();
    if (!done()) requestAnimationFrame(tick);
  };
  requestAnimationFrame(tick);
})();`;
