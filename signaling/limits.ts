/**
 * Checks the relay applies to untrusted frames: payload size and origin allowlist.
 * Shapes and sizes of frames are checked with the shared protocol (`src/protocol/`).
 */
import type { IncomingMessage } from 'node:http';

/** Engine-level frame cap: room for the app cap plus framing, so we can answer with an error. */
export function frameCap(maxPayload: number): number {
  return maxPayload * 2 + 4096;
}

/**
 * Whether a request's `Origin` may use the relay. With an empty allowlist every origin may
 * (the chat is made to be embedded); requests without `Origin` (non-browser) are allowed.
 */
export function originAllowed(req: IncomingMessage, origins: readonly string[]): boolean {
  const origin = req.headers.origin;
  return origins.length === 0 || origin === undefined || origins.includes(origin);
}
