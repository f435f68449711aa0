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
  // A member's signed WebRTC offer or answer did not check out: the relay carries it instead.
  'unverified',
  // The server refused our join for now (the room is full, too many rooms, too fast): retrying.
  'busy',
  // The other side speaks another major version of the protocol: nothing can be exchanged.
  'incompatible',
] as const;

/** One of {@link TransportErrorCodes}. */
export type TransportErrorCode = (typeof TransportErrorCodes)[number];

/**
 * The one error type transports throw or report. `code` is for programs, `message` for people
 * (it reads `parley: <what> — <hint>`); `text` is the same without the `parley: ` prefix, for
 * an app that puts it in a sentence of its own.
 */
export class TransportError extends Error {
  override readonly name = 'TransportError';
  constructor(
    readonly code: TransportErrorCode,
    /** What went wrong, e.g. `cannot reach https://chat.example.org`. */
    readonly what: string,
    /** What to do about it, or what happens next, e.g. `retrying by itself`. */
    readonly hint?: string,
  ) {
    super(`parley: ${what}${hint ? ` — ${hint}` : ''}`);
  }

  /** `<what> — <hint>`: the message without the API's prefix. */
  get text(): string {
    return this.hint ? `${this.what} — ${this.hint}` : this.what;
  }
}
