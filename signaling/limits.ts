/**
 * Checks the relay applies to untrusted frames: payload size and origin allowlist.
 * Shapes and sizes of frames are checked with the shared protocol (`src/protocol/`).
 */
import type { IncomingMessage } from 'node:http';
import { MAX_CHUNK_FRAME } from '../src/protocol/file-events.js';

/**
 * Engine-level frame cap: room for the app cap plus framing, so we can answer with an error —
 * and always for one binary chunk frame (`MAX_CHUNK_FRAME`, base64 over long polling).
 */
export function frameCap(maxPayload: number): number {
  return Math.max(maxPayload * 2, Math.ceil((MAX_CHUNK_FRAME * 4) / 3)) + 4096;
}

/**
 * Whether a request's `Origin` may use the relay. With an empty allowlist every origin may
 * (the chat is made to be embedded); requests without `Origin` (non-browser) are allowed.
 */
export function originAllowed(req: IncomingMessage, origins: readonly string[]): boolean {
  const origin = req.headers.origin;
  return origins.length === 0 || origin === undefined || origins.includes(origin);
}
