/** Machine-readable reasons a transport (or the server behind it) refuses or fails. */
export const TransportErrorCodes = [
  'reserved',
  'invalid-payload',
  'too-large',
  'not-open',
  'unreachable',
  'refused',
  'unknown-peer',
  'mesh-full',
  'server',
] as const;

/** One of {@link TransportErrorCodes}. */
export type TransportErrorCode = (typeof TransportErrorCodes)[number];

/**
 * The one error type transports throw or report. `code` is for programs, `message` for people
 * (it reads `parley: <what> — <hint>`).
 */
export class TransportError extends Error {
  override readonly name = 'TransportError';
  constructor(
    readonly code: TransportErrorCode,
    what: string,
    hint?: string,
  ) {
    super(`parley: ${what}${hint ? ` — ${hint}` : ''}`);
  }
}
