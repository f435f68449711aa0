/**
 * Writes one form of a static file as the answer: 304 when the client's copy is current, 206
 * or 416 for a range, else 200 with the whole body — with its `Content-Encoding`, exact
 * `Content-Length` and ETag; HEAD gets the same headers and no body.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { notModified, rangeOf } from './static-conditional.js';
import type { Representation } from './static-variants.js';

/** Closes the form's file, if it has one (errors are of no use by then). */
function release(form: Representation): void {
  if ('handle' in form.body) void form.body.handle.close().catch(() => undefined);
}

/**
 * Answers `req` with `form`: `headers` are the caching, policy and hardening headers every
 * answer about this file carries (304s included), `type` its Content-Type. Closes the form's
 * file in every case.
 */
export function sendForm(
  req: IncomingMessage,
  res: ServerResponse,
  form: Representation,
  headers: Record<string, string>,
  type: string,
): void {
  if (notModified(req, form.etag, form.lastModified)) {
    release(form);
    res.writeHead(304, headers).end();
    return;
  }
  const encoding = form.coding === 'identity' ? {} : { 'content-encoding': form.coding };
  const answer = { ...headers, 'content-type': type, 'accept-ranges': 'bytes', ...encoding };
  const range = rangeOf(req, form.size, form.etag);
  if (range === 'unsatisfiable') {
    release(form);
    res.writeHead(416, { ...answer, 'content-range': `bytes */${form.size}` }).end();
    return;
  }
  const { start, end } = range ?? { start: 0, end: form.size - 1 };
  res.writeHead(range ? 206 : 200, {
    ...answer,
    'content-length': String(end - start + 1),
    ...(range ? { 'content-range': `bytes ${start}-${end}/${form.size}` } : {}),
  });
  if (req.method === 'HEAD' || end < start) {
    release(form);
    res.end();
  } else if ('bytes' in form.body) {
    res.end(form.body.bytes.subarray(start, end + 1));
  } else {
    // Positions are explicit: the handle may have been read from already.
    const stream = form.body.handle.createReadStream({ start, end, autoClose: true });
    stream.on('error', () => res.destroy());
    // A client gone mid-way: stop reading (the handle closes with the stream).
    res.on('close', () => stream.destroy());
    stream.pipe(res);
  }
}
