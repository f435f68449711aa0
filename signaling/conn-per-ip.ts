/**
 * A cap on connections from one address at the same time, checked at the engine.io handshake
 * (`allowRequest`), so the refused client gets a plain HTTP error saying why. A seat is taken
 * when the handshake is allowed and given back when that connection closes (or, should the
 * handshake fail after all, when it fails or its TCP socket closes).
 */
import type { IncomingMessage } from 'node:http';
import type { EngineServer } from './engine.js';

/** Settings for the cap (see `ServerLimits.maxConnPerIp`, `ServerConfig.trustProxy`). */
export interface ConnCapOptions {
  maxConnPerIp: number;
  trustProxy: boolean;
}

/**
 * Who a connection counts against: an IPv4 address, or an IPv6 address's /64 network — one
 * subscriber usually holds a whole /64 and can pick any address in it, so counting addresses
 * would give one person 2⁶⁴ × 32 seats. Anything unparseable counts as itself.
 */
export function addressKey(address: string): string {
  if (!address.includes(':')) return address;
  const [head = '', tail] = address.split('%')[0]!.toLowerCase().split('::');
  const left = head ? head.split(':') : [];
  const right = tail ? tail.split(':') : [];
  if (tail === undefined && left.length !== 8) return address;
  const groups = [...left, ...Array(8 - left.length - right.length).fill('0'), ...right];
  if (groups.length !== 8 || groups.some((g) => !/^[0-9a-f]{1,4}$/.test(g))) return address;
  return `${groups
    .slice(0, 4)
    .map((g) => g.replace(/^0+(?=.)/, ''))
    .join(':')}::/64`;
}

/**
 * The client's address: the first `X-Forwarded-For` entry when the proxy in front is trusted
 * (`PARLEY_TRUST_PROXY=1`), else the TCP peer; IPv4-mapped IPv6 (`::ffff:1.2.3.4`) as IPv4.
 */
export function clientAddress(req: IncomingMessage, trustProxy: boolean): string {
  const forwarded = trustProxy ? req.headers['x-forwarded-for'] : undefined;
  const header = Array.isArray(forwarded) ? forwarded[0] : forwarded;
  const first = header?.split(',')[0]?.trim();
  const address = first || req.socket.remoteAddress || 'unknown';
  return address.startsWith('::ffff:') && address.includes('.') ? address.slice(7) : address;
}

/** The cap for one server. */
export interface ConnectionCap {
  /**
   * For `allowRequest`: `undefined` if `req` may open a connection (its seat is then taken),
   * else the refusal, which engine.io sends as the HTTP error's message.
   */
  admit(req: IncomingMessage): string | undefined;
  /** Connections (and allowed handshakes) from `address` (its /64 for IPv6) now. */
  count(address: string): number;
}

/** Counts the connections `engine` holds per address and refuses those past the cap. */
export function capConnectionsPerAddress(
  engine: EngineServer,
  opts: ConnCapOptions,
): ConnectionCap {
  const counts = new Map<string, number>();
  /** Allowed handshakes not yet a connection: their address and how to give the seat back. */
  const pending = new WeakMap<IncomingMessage, { address: string; giveBack: () => void }>();

  const release = (address: string) => {
    const n = (counts.get(address) ?? 1) - 1;
    if (n > 0) counts.set(address, n);
    else counts.delete(address);
  };
  /** Stops watching `req` as a handshake; its seat is now its connection's (or given back). */
  const settle = (req: IncomingMessage) => {
    const seat = pending.get(req);
    if (!seat) return undefined;
    pending.delete(req);
    req.socket.off('close', seat.giveBack);
    return seat.address;
  };

  engine.on('connection', (conn) => {
    const address = settle(conn.request);
    if (address !== undefined) conn.once('close', () => release(address));
  });
  // A handshake that fails after it was allowed never becomes a connection.
  engine.on('connection_error', ({ req }) => pending.get(req)?.giveBack());

  return {
    admit(req) {
      const address = addressKey(clientAddress(req, opts.trustProxy));
      const n = counts.get(address) ?? 0;
      if (n >= opts.maxConnPerIp) {
        return `too many connections from this address (${opts.maxConnPerIp})`;
      }
      counts.set(address, n + 1);
      const giveBack = () => {
        if (settle(req) !== undefined) release(address);
      };
      pending.set(req, { address, giveBack });
      req.socket.once('close', giveBack);
      return undefined;
    },
    count: (address) => counts.get(addressKey(address)) ?? 0,
  };
}
