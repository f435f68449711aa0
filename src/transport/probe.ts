/**
 * A quick check that a Socket.IO relay answers at an address, made before a settings change
 * points the chat there: a bad address would otherwise only show up as "offline" after a reload.
 * Loaded lazily through `probeServer` in `./index.ts`, like the transports.
 */
import { io } from 'socket.io-client';

/** What a probe found: the server answered, or a short reason why not, for a sentence. */
export type ProbeResult = { ok: true } | { ok: false; reason: string };

/** Hosts a page served over https may still reach over plain http (browsers trust them). */
const LOOPBACK = /^(localhost|127(\.\d{1,3}){3}|\[::1\])$/;

/** "4 s", "1.5 s". */
const seconds = (ms: number) => `${Number((ms / 1000).toFixed(1))} s`;

/** Why the browser would refuse to connect before trying, if it would. */
function refusedUpfront(url: string): string | undefined {
  let target: URL;
  try {
    target = new URL(url);
  } catch {
    return 'it is not a valid address';
  }
  // Mixed content: the browser blocks it silently, so the user would only see "no answer".
  const pageIsSecure = globalThis.location?.protocol === 'https:';
  if (pageIsSecure && target.protocol === 'http:' && !LOOPBACK.test(target.hostname))
    return 'a page served over https cannot use an http:// server';
  return undefined;
}

/** Turns a Socket.IO `connect_error` into a short reason. */
function reasonOf(err: Error & { type?: string }, timeoutMs: number): string {
  if (err.message === 'timeout') return `no answer within ${seconds(timeoutMs)}`;
  // A failed WebSocket or HTTP request: browsers do not say whether the port was closed, the
  // name unknown or the request blocked, so neither can we.
  if (err.type === 'TransportError') return 'nothing answered at that address';
  return `the server refused the connection (${err.message})`;
}

/**
 * Tries one short Socket.IO connection to `url` and hangs up at once. Resolves (never rejects)
 * with `{ ok: true }` once connected, else with a reason such as "no answer within 4 s".
 * The socket is always closed and no timer outlives the answer.
 */
export function probeServer(url: string, timeoutMs = 4000): Promise<ProbeResult> {
  const refused = refusedUpfront(url);
  if (refused) return Promise.resolve({ ok: false, reason: refused });
  return new Promise((resolve) => {
    const socket = io(url, {
      reconnection: false,
      forceNew: true,
      transports: ['websocket', 'polling'],
      timeout: timeoutMs,
      autoConnect: false,
    });
    // Socket.IO's own timeout covers the transport only; ours also covers a server that
    // accepts the transport but never admits the socket.
    const timer = setTimeout(
      () => done({ ok: false, reason: `no answer within ${seconds(timeoutMs)}` }),
      timeoutMs,
    );
    function done(result: ProbeResult): void {
      clearTimeout(timer);
      socket.removeAllListeners();
      socket.disconnect();
      resolve(result);
    }
    socket.on('connect', () => done({ ok: true }));
    socket.on('connect_error', (err) => done({ ok: false, reason: reasonOf(err, timeoutMs) }));
    socket.connect();
  });
}
