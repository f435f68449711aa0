/**
 * The abuse benchmark's scenarios and their sizes, shared by the benchmark (`bench/abuse.ts`)
 * and the attackers' process (`attacker.ts`), and the messages the two exchange.
 */

/** What the attackers do: pause their reading, storm a room with joins, or open connections. */
export type Scenario = 'paused' | 'storm' | 'conns';

export const PAUSED = 10;
export const SENDERS = 5;
export const FLOOD_TEXT = 16 * 1024;
/** Senders' pace: under the default 20 events/s so none is slowed or dropped for its rate. */
export const FLOOD_EVERY_MS = 60;
/** Join storm: one re-join every this many ms (8/s, within the default 20/s). */
export const STORM_EVERY_MS = 125;
/**
 * Connections from one address: 500 attempts, 10 at a time every 100 ms (100/s, over 5 s of
 * the phase) — a steady flood, as a script would open them. On the 2-core machines we measure
 * on, a 1-second burst of all 500 mostly measures the attackers' own process taking a core
 * from the server and the honest clients.
 */
export const CONN_ATTEMPTS = 500;
export const CONN_BATCH = 10;
export const CONN_EVERY_MS = 100;

/** Benchmark → attackers. */
export type AttackCommand =
  { type: 'setup'; kind: Scenario; port: number } | { type: 'go'; until: number };

/** Attackers → benchmark. */
export type AttackReply =
  | { type: 'ready' }
  | { type: 'done'; did: Record<string, number> }
  | { type: 'failed'; error: string };
