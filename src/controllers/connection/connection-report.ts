/**
 * What Connection details shows, and the same as plain text for "Copy report": the transport,
 * the server in use and its limits, how each member is reached and how long a round trip to
 * them takes, what was refused, and the last STUN/TURN test. A report names the servers and
 * the members' display names; it never holds a message, a key, a passphrase or an address of
 * this device (see {@link REPORT_CONTENTS}).
 */
import type { IntakeCounts } from '../room/intake.js';
import type {
  DropCounts,
  LinkKind,
  PeerId,
  ServerInfo,
  TransportKind,
  TransportState,
} from '../../transport/types.js';
import type { StunVerdict } from './stun-test.js';

/**
 * What kind of address one side of a direct link is: `host` (the device's own, same network),
 * `srflx`/`prflx` (its public address, as a STUN server or the other side saw it), `relay`
 * (a TURN server passing the data on).
 */
export type CandidateKind = 'host' | 'srflx' | 'prflx' | 'relay';

/** A direct link's candidate pair in use and its traffic. */
export interface PairStats {
  local: CandidateKind | undefined;
  remote: CandidateKind | undefined;
  bytesSent: number;
  bytesReceived: number;
}

/** One member, as Connection details shows it. */
export interface MemberDetails {
  id: PeerId;
  name: string;
  link: LinkKind;
  /** The last measured round trip, in ms. */
  rttMs: number | undefined;
  /** The last probe got no answer in time. */
  noAnswer: boolean;
  /** The direct link's pair and bytes, for members reached directly. */
  pair: PairStats | undefined;
}

/** Everything Connection details shows. */
export interface ConnectionReport {
  transport: TransportKind;
  state: TransportState;
  /** The servers configured, in order (empty: this page's own). */
  servers: string[];
  /** The server in use now, if any. */
  server: ServerInfo | undefined;
  members: MemberDetails[];
  refused: IntakeCounts;
  /** Members whose direct-link offer could not be verified. */
  unverified: number;
  dropped: DropCounts | undefined;
  stun: StunVerdict | undefined;
}

/** What a copied report holds, said under "Copy report". */
export const REPORT_CONTENTS =
  'The report holds the transport, the server addresses and their limits, each member’s ' +
  'name with how they are reached and the round-trip times, and the counts above. It holds ' +
  'no messages, no keys and no passphrase.';

/** How we reach a member, in words. */
export function linkWords(link: LinkKind): string {
  switch (link) {
    case 'relay':
      return 'through the server';
    case 'direct':
      return 'directly';
    case 'tab':
      return 'another tab of this browser';
    case 'memory':
      return 'in this page';
  }
}

/** One side of a direct link's path, in words. */
export function candidateWords(kind: CandidateKind | undefined): string {
  switch (kind) {
    case 'host':
      return 'same network (device address)';
    case 'srflx':
    case 'prflx':
      return 'across networks (public address found by STUN)';
    case 'relay':
      return 'through a TURN relay server';
    default:
      return 'not chosen yet';
  }
}

/** A byte count in words: "812 B", "14.2 KB", "3.1 MB". */
export function bytesWords(n: number): string {
  if (n < 1000) return `${n} B`;
  if (n < 1e6) return `${(n / 1000).toFixed(1)} KB`;
  return `${(n / 1e6).toFixed(1)} MB`;
}

/** A round trip in words: "23 ms", "no answer", "measuring…". */
export function rttWords(rttMs: number | undefined, noAnswer: boolean): string {
  if (rttMs !== undefined) return `${Math.max(1, Math.round(rttMs))} ms`;
  return noAnswer ? 'no answer within 5 s' : 'measuring…';
}

/** The server's announced limits in words. */
export function limitsWords(limits: ServerInfo['limits']): string {
  if (!limits) return 'not announced';
  return (
    `${limits.rate} messages a second (bursts of ${limits.burst}), ` +
    `each at most ${bytesWords(limits.maxPayload)}`
  );
}

/** The report as plain text for a support request ("Copy report"). */
export function reportText(r: ConnectionReport, at = new Date()): string {
  const lines = [
    `Parley connection report, ${at.toISOString()}`,
    `Transport: ${r.transport} (state: ${r.state})`,
    `Servers configured: ${r.servers.length ? r.servers.join(', ') : 'this page’s own'}`,
  ];
  if (r.server)
    lines.push(
      `Server in use: ${r.server.url}`,
      `Server round trip: ${rttWords(r.server.rttMs, r.server.rttMs === undefined)}`,
      `Server limits: ${limitsWords(r.server.limits)}`,
    );
  else lines.push('Server in use: none');
  lines.push(`Members (${r.members.length}):`);
  for (const m of r.members) {
    let line = `- ${m.name}: ${linkWords(m.link)}, round trip ${rttWords(m.rttMs, m.noAnswer)}`;
    if (m.pair)
      line +=
        `; path: us ${m.pair.local ?? '?'}, them ${m.pair.remote ?? '?'}; ` +
        `sent ${bytesWords(m.pair.bytesSent)}, received ${bytesWords(m.pair.bytesReceived)}`;
    lines.push(line);
  }
  const { malformed, forged, conflicts, overBudget } = r.refused;
  lines.push(
    `Refused messages: malformed ${malformed}, signature failed ${forged}, ` +
      `conflicting copies ${conflicts}, over budget ${overBudget}`,
    `Direct-link offers not verified: ${r.unverified}`,
  );
  if (r.dropped)
    lines.push(
      `Frames dropped: too large ${r.dropped.oversize}, too fast ${r.dropped.rateLimited}`,
    );
  if (r.stun)
    lines.push(
      `STUN/TURN test: ${r.stun.servers} server(s); found ${r.stun.host} device, ` +
        `${r.stun.srflx} public (STUN), ${r.stun.relay} relay (TURN) address(es). ${r.stun.words}`,
    );
  return lines.join('\n');
}
