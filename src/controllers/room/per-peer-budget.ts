/**
 * A small budget per connection (a token bucket each): how many costly checks — a signature
 * verification, say — one member's frames may cause at once and then per second. Bounded: the
 * connections least recently heard are forgotten first, and a forgotten one starts full.
 */
import type { PeerId } from '../../transport/types.js';

/** Connections remembered at once. */
const MAX_PEERS = 512;

/** Tokens per connection: `burst` at once, `perSecond` after. */
export class PerPeerBudget {
  private readonly peers = new Map<PeerId, { tokens: number; at: number }>();

  constructor(
    private readonly burst: number,
    private readonly perSecond: number,
  ) {}

  /** Takes one token of `peer`'s; false when it has none left now. */
  take(peer: PeerId, now = Date.now()): boolean {
    const known = this.peers.get(peer);
    const tokens = known
      ? Math.min(this.burst, known.tokens + ((now - known.at) / 1000) * this.perSecond)
      : this.burst;
    // Heard last now: it moves to the end, the oldest stay first in line to be forgotten.
    this.peers.delete(peer);
    this.peers.set(peer, { tokens: Math.max(0, tokens - 1), at: now });
    if (this.peers.size > MAX_PEERS) this.peers.delete(this.peers.keys().next().value!);
    return tokens >= 1;
  }
}
