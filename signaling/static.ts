/**
 * Serves the built app from one folder: safe paths only, correct types, long caching for
 * hashed assets, the page itself for unknown extension-less paths (hash routing needs only
 * `/`, but deep links should not 404), and hardening headers on every answer: a
 * Content-Security-Policy that forbids inline script (so injected markup could never run),
 * lets no other site frame the app and lets the page connect only to its own server and the
 * configured ones; `nosniff`, no referrer, and no camera, microphone, location or the like.
 * Source maps (`*.map`) are only served when asked for (`PARLEY_SOURCEMAPS=1`).
 */
import { stat } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { basename, extname, join, normalize, sep } from 'node:path';
import { sendForm } from './static-send.js';
import { COMPRESSIBLE } from './static-encoding.js';
import { LiveCache, representationOf } from './static-variants.js';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.webmanifest': 'application/manifest+json',
  '.map': 'application/json',
};

/**
 * Powerful features the app never uses, denied to it and to anything it could embed. (The
 * Notification API is not governed by Permissions-Policy; WebRTC data channels need none.)
 */
const PERMISSIONS = [
  'accelerometer',
  'camera',
  'display-capture',
  'geolocation',
  'gyroscope',
  'magnetometer',
  'microphone',
  'midi',
  'payment',
  'usb',
]
  .map((feature) => `${feature}=()`)
  .join(', ');

/** Headers every answer of the server carries (pages, files, errors, `/healthz`). */
export const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'permissions-policy': PERMISSIONS,
};

/** How the files are served; both parts come from the server's configuration. */
export interface StaticOptions {
  /** Serve `*.map` files (`PARLEY_SOURCEMAPS=1`); otherwise they answer 404. */
  sourcemaps?: boolean;
  /**
   * The deployment's origins (`PARLEY_ORIGINS`): the page may connect to these relays besides
   * its own server. Empty (any origin may connect) keeps the page able to reach any relay a
   * visitor types in Settings over TLS, and any port of this machine.
   */
  origins?: readonly string[];
}

/** A `Host` header usable in a CSP source (name or IPv4, optional port); else undefined. */
function hostOf(req: IncomingMessage): string | undefined {
  const host = req.headers.host;
  return host && /^[a-z0-9.-]+(:\d{1,5})?$/i.test(host) ? host.toLowerCase() : undefined;
}

/** An `http(s)` origin and the WebSocket origin of the same server; nothing for anything else. */
function relaySources(origin: string): string[] {
  let url: URL;
  try {
    url = new URL(origin);
  } catch {
    return [];
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return [];
  if (!/^[a-z0-9.-]+(:\d{1,5})?$/i.test(url.host)) return [];
  const ws = url.protocol === 'https:' ? 'wss:' : 'ws:';
  return [url.origin, `${ws}//${url.host}`];
}

/**
 * Where the page may connect: its own server (over HTTP polling or WebSocket: `'self'` covers
 * `ws(s):` in current browsers, the explicit host the others), plus the deployment's relays.
 */
function connectSources(host: string | undefined, origins: readonly string[]): string {
  const own = host ? [`ws://${host}`, `wss://${host}`] : [];
  const others = origins.length
    ? origins.flatMap(relaySources)
    : // Open deployment: visitors may pick any relay in Settings. Only TLS ones elsewhere, and
      // anything on this machine (several local servers, tests, development).
      [
        'https:',
        'wss:',
        'http://localhost:*',
        'ws://localhost:*',
        'http://127.0.0.1:*',
        'ws://127.0.0.1:*',
      ];
  return ["'self'", ...new Set([...own, ...others])].join(' ');
}

/**
 * The Content-Security-Policy of an answer. The app (`lib` false) may be framed by no one; the
 * library under `/lib/` is what other sites load, so it says nothing about framing.
 */
function csp(connect: string, lib: boolean): string {
  return [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self' 'unsafe-inline'",
    // A file's images (thumbnails, the full image) are Blob URLs made by the page itself.
    "img-src 'self' data: blob:",
    `connect-src ${connect}`,
    "object-src 'none'",
    "base-uri 'none'",
    ...(lib ? [] : ["frame-ancestors 'none'"]),
  ].join('; ');
}

async function fileAt(path: string): Promise<string | undefined> {
  try {
    const s = await stat(path);
    return s.isFile() ? path : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Whether `file` (relative to the served folder) is named by its content, so it may be cached
 * for a year: everything Vite puts in `assets/`, and the library's chunks (`name-[hash].js`,
 * the hash 8 characters of base64url with a capital, digit or `_` in it — so a plain word such
 * as `-controls.js` is never mistaken for one). Entry files sites embed by a fixed URL
 * (`/lib/parley.js`), the page and the service worker are revalidated each time instead.
 */
export function isHashed(file: string): boolean {
  const path = file.split(sep).join('/');
  return path.startsWith('assets/') || /-(?=[\w-]*[A-Z0-9_])[\w-]{8}\.js(\.map)?$/.test(path);
}

/** Precompressed copies are forms of their original, never addressed themselves. */
const COPY = /\.(br|gz)$/;

/** Makes a request handler serving `root`; answers 404 when nothing matches. */
export function serveStatic(root: string, options: StaticOptions = {}) {
  const base = normalize(root.endsWith(sep) ? root : root + sep);
  const origins = options.origins ?? [];
  const live = new LiveCache();
  return async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const connect = connectSources(hostOf(req), origins);
    const refuse = (status: number, body: string, extra: Record<string, string> = {}) =>
      res
        .writeHead(status, {
          'content-type': 'text/plain; charset=utf-8',
          'content-security-policy': csp(connect, false),
          ...SECURITY_HEADERS,
          ...extra,
        })
        .end(body);
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      refuse(405, '', { allow: 'GET, HEAD' });
      return;
    }
    let pathname: string;
    try {
      pathname = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    } catch {
      refuse(400, 'bad path');
      return;
    }
    const wanted = normalize(
      join(base, pathname.endsWith('/') ? pathname + 'index.html' : pathname),
    );
    const hidden = (!options.sourcemaps && extname(wanted) === '.map') || COPY.test(wanted);
    let file = wanted.startsWith(base) && !hidden ? await fileAt(wanted) : undefined;
    if (!file && extname(pathname) === '') file = await fileAt(join(base, 'index.html'));
    const form = file && (await representationOf(file, req.headers['accept-encoding'], live));
    if (!file || !form) {
      refuse(404, 'not found');
      return;
    }
    const lib = file.startsWith(`${base}lib${sep}`);
    // The app's scripts are built without a `sourceMappingURL` comment (vite.config.ts), so
    // browsers only look for a map when this header points at one.
    const map: Record<string, string> =
      options.sourcemaps && extname(file) === '.js' && (await fileAt(`${file}.map`))
        ? { sourcemap: `${basename(file)}.map` }
        : {};
    const headers: Record<string, string> = {
      'cache-control': isHashed(file.slice(base.length))
        ? 'public, max-age=31536000, immutable'
        : 'no-cache',
      etag: form.etag,
      'last-modified': form.lastModified.toUTCString(),
      // Caches must keep each coding apart, also for a client that got the plain file.
      ...(COMPRESSIBLE.has(extname(file)) ? { vary: 'Accept-Encoding' } : {}),
      // The library is made to be loaded by other sites' pages: module scripts are fetched
      // with CORS, so they must say anyone may use them.
      ...(lib
        ? { 'access-control-allow-origin': '*', 'cross-origin-resource-policy': 'cross-origin' }
        : {}),
      ...map,
      'content-security-policy': csp(connect, lib),
      ...SECURITY_HEADERS,
    };
    sendForm(req, res, form, headers, TYPES[extname(file)] ?? 'application/octet-stream');
  };
}
