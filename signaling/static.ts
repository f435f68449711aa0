/**
 * Serves the built app from one folder: safe paths only, correct types, long caching for
 * hashed assets, the page itself for unknown extension-less paths (hash routing needs only
 * `/`, but deep links should not 404), and a Content-Security-Policy that forbids inline
 * script so injected markup could never run.
 */
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { extname, join, normalize, sep } from 'node:path';

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

const CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  // The relay may live on another origin (settings), over ws(s) or http(s) polling.
  'connect-src *',
  "object-src 'none'",
  "base-uri 'none'",
].join('; ');

async function fileAt(path: string): Promise<string | undefined> {
  try {
    const s = await stat(path);
    return s.isFile() ? path : undefined;
  } catch {
    return undefined;
  }
}

/** Makes a request handler serving `root`; answers 404 when nothing matches. */
export function serveStatic(root: string) {
  const base = normalize(root.endsWith(sep) ? root : root + sep);
  return async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { allow: 'GET, HEAD' }).end();
      return;
    }
    let pathname: string;
    try {
      pathname = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    } catch {
      res.writeHead(400).end('bad path');
      return;
    }
    const wanted = normalize(
      join(base, pathname.endsWith('/') ? pathname + 'index.html' : pathname),
    );
    let file = wanted.startsWith(base) ? await fileAt(wanted) : undefined;
    if (!file && extname(pathname) === '') file = await fileAt(join(base, 'index.html'));
    if (!file) {
      res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end('not found');
      return;
    }
    const lib = file.startsWith(`${base}lib${sep}`);
    const hashed = file.includes(`${sep}assets${sep}`) || /-[\w-]{8}\.js$/.test(file);
    res.writeHead(200, {
      'content-type': TYPES[extname(file)] ?? 'application/octet-stream',
      'cache-control': hashed ? 'public, max-age=31536000, immutable' : 'no-cache',
      // The library is made to be loaded by other sites' pages: module scripts are fetched
      // with CORS, so they must say anyone may use them.
      ...(lib
        ? { 'access-control-allow-origin': '*', 'cross-origin-resource-policy': 'cross-origin' }
        : {}),
      'content-security-policy': CSP,
      'x-content-type-options': 'nosniff',
      'referrer-policy': 'no-referrer',
    });
    if (req.method === 'HEAD') res.end();
    else createReadStream(file).pipe(res);
  };
}
