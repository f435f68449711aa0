/**
 * A cap on TCP connections from one address at the same time, checked as each connection is
 * accepted: the one past the cap is reset at once, before a byte of it is read. The cap per
 * address on engine.io connections (`conn-per-ip.ts`) cannot see a client that opens plain
 * HTTP requests (or each long-polling request on a new connection) and never reads the
 * answers; this one bounds the sockets, and what the kernel holds for them, per address.
 *
 * Behind a trusted proxy (`PARLEY_TRUST_PROXY=1`) every connection comes from the proxy, so
 * this cap is off there: the proxy must cap connections per client itself.
 */
import type { Server } from 'node:http';
import type { Socket } from 'node:net';
import { addressKey } from './conn-per-ip.js';

/** Settings for the cap (see `ServerLimits.maxTcpPerIp`, `ServerConfig.trustProxy`). */
export interface TcpCapOptions {
  maxTcpPerIp: number;
  trustProxy: boolean;
}

/** The cap for one HTTP server. */
export interface TcpCap {
  /** TCP connections open now from `address` (its /64 for IPv6). */
  count(address: string): number;
}

/** The TCP peer's address, IPv4-mapped IPv6 (`::ffff:1.2.3.4`) as IPv4. */
function peerAddress(socket: Socket): string {
  const address = socket.remoteAddress ?? 'unknown';
  return address.startsWith('::ffff:') && address.includes('.') ? address.slice(7) : address;
}

/** Counts `server`'s open TCP connections per address and resets those past the cap. */
export function capTcpPerAddress(server: Server, opts: TcpCapOptions): TcpCap {
  const counts = new Map<string, number>();
  if (!opts.trustProxy) {
    server.on('connection', (socket: Socket) => {
      const address = addressKey(peerAddress(socket));
      const n = counts.get(address) ?? 0;
      if (n >= opts.maxTcpPerIp) {
        socket.resetAndDestroy();
        return;
      }
      counts.set(address, n + 1);
      socket.once('close', () => {
        const left = (counts.get(address) ?? 1) - 1;
        if (left > 0) counts.set(address, left);
        else counts.delete(address);
      });
    });
  }
  return { count: (address) => counts.get(addressKey(address)) ?? 0 };
}
