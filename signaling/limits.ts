/**
 * Checks the relay applies to untrusted frames: payload size and origin allowlist.
 * Shape validation lives in the shared valibot schemas (`src/transport/protocol.ts`).
 */
import type { IncomingMessage } from 'node:http';
import { utf8Length } from '../src/transport/payload.js';

/**
 * JSON size of an argument list in bytes, or `undefined` when it cannot be measured
 * (not serialisable), which callers treat as malformed.
 */
export function payloadSize(args: unknown): number | undefined {
  try {
    const json = JSON.stringify(args);
    return json === undefined ? undefined : utf8Length(json);
  } catch {
    return undefined;
  }
}

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
