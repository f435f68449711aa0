/**
 * User settings: which transport, which server, which STUN/TURN servers, whom to link to
 * directly. Kept in IndexedDB by the settings controller; checked here so views can show inline
 * errors before anything is applied.
 */
import type { PeerHello } from '../../protocol/peer.js';
import { DEFAULT_HISTORY_MAX } from '../../store/history.js';

/** Transports a user can choose in settings. */
export const UserTransports = ['socketio', 'webrtc', 'broadcast'] as const;
/** One of {@link UserTransports}. */
export type UserTransport = (typeof UserTransports)[number];

/**
 * Whom WebRTC may link to directly. A direct link shows each side the other's IP address, so
 * the visitor may keep it to people whose identity they have verified, or to nobody (the
 * server then carries every message).
 */
export const DirectChoices = ['everyone', 'verified', 'nobody'] as const;
/** One of {@link DirectChoices}. */
export type DirectChoice = (typeof DirectChoices)[number];

/** Whether `value` is one of {@link DirectChoices}. */
export function isDirectChoice(value: unknown): value is DirectChoice {
  return DirectChoices.includes(value as DirectChoice);
}

/**
 * The WebRTC transport's `directTo` for `choice`: whether a member may be linked directly.
 * `verified` says whom the visitor has verified (nobody, unless the app knows).
 */
export function directPolicy(
  choice: DirectChoice,
  verified: (hello: PeerHello) => boolean = () => false,
): (hello: PeerHello) => boolean {
  if (choice === 'everyone') return () => true;
  if (choice === 'nobody') return () => false;
  return (hello) => verified(hello);
}

/** One STUN or TURN server, as `RTCIceServer` takes it (one URL per entry). */
export interface IceServerEntry {
  urls: string;
  username?: string;
  credential?: string;
}

/** Everything the settings panel edits. */
export interface ParleySettings {
  transport: UserTransport;
  /**
   * Relay/signaling server origin, or several (spaces or commas between) to fail over in that
   * order; empty means the server that served this page.
   */
  server: string;
  /** STUN/TURN servers for WebRTC; an empty list uses none (direct links on a LAN only). */
  iceServers: IceServerEntry[];
  /** Whom WebRTC links to directly; everyone else is reached through the server. */
  direct: DirectChoice;
  /** Messages kept per room in this browser; older ones are deleted (the `history-max` attribute wins). */
  historyMax: number;
}

/** A public STUN server: lets peers behind ordinary NATs find each other. */
export const DEFAULT_ICE_SERVERS: readonly IceServerEntry[] = [
  { urls: 'stun:stun.l.google.com:19302' },
];

/** Settings for a first visit. */
export const DEFAULT_SETTINGS: ParleySettings = {
  transport: 'socketio',
  server: '',
  iceServers: [...DEFAULT_ICE_SERVERS],
  direct: 'everyone',
  historyMax: DEFAULT_HISTORY_MAX,
};

/** Fewest and most messages per room the Settings field takes. */
export const HISTORY_MAX_RANGE = [100, 1_000_000] as const;

/** Checks "Messages kept per room"; the problem, or undefined. */
export function historyMaxProblem(n: number): string | undefined {
  const [min, max] = HISTORY_MAX_RANGE;
  return Number.isInteger(n) && n >= min && n <= max
    ? undefined
    : `Keep a whole number from ${min} to ${max.toLocaleString('en')} messages.`;
}

/** Inline problems per field; an empty object means the settings can be applied. */
export interface SettingsProblems {
  transport?: string;
  server?: string;
  direct?: string;
  historyMax?: string;
  /** Problems per ICE server row, by index. */
  iceServers?: Record<number, string>;
}

const MAX_ICE_SERVERS = 8;

/** Most servers in a fail-over list. */
export const MAX_SERVERS = 8;

/**
 * The servers in a list written by a person or an attribute: separated by spaces, commas or
 * new lines, in order, without repeats. Empty means the page's own server.
 */
export function serverList(servers: string | undefined): string[] {
  const list = (servers ?? '').split(/[\s,]+/).filter(Boolean);
  return [...new Set(list)];
}

function urlProblem(server: string): string | undefined {
  let url: URL;
  try {
    url = new URL(server);
  } catch {
    return `"${server.slice(0, 80)}" is not a full address such as https://chat.example.org.`;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    return 'A server address starts with http:// or https://.';
  }
  if (url.username || url.password) return 'Leave user names and passwords out of the address.';
  return undefined;
}

/**
 * Checks a server list: empty, or up to {@link MAX_SERVERS} absolute http(s) URLs; the first
 * problem found, or undefined.
 */
export function serverProblem(servers: string): string | undefined {
  const list = serverList(servers);
  if (list.length > MAX_SERVERS) return `At most ${MAX_SERVERS} servers.`;
  for (const server of list) {
    const problem = urlProblem(server);
    if (problem) return problem;
  }
  return undefined;
}

/**
 * STUN/TURN servers from an attribute: a JSON array of `{ urls, username?, credential? }`, or
 * STUN/TURN URLs separated by spaces. Undefined when absent or when any entry is unusable.
 */
export function iceServersFrom(attr: string | undefined): IceServerEntry[] | undefined {
  const text = attr?.trim();
  if (!text) return undefined;
  let entries: unknown;
  try {
    entries = text.startsWith('[') ? JSON.parse(text) : text.split(/\s+/).map((urls) => ({ urls }));
  } catch {
    return undefined;
  }
  if (!Array.isArray(entries) || entries.length > MAX_ICE_SERVERS) return undefined;
  const ok = entries.every(
    (e: unknown) =>
      typeof e === 'object' &&
      e !== null &&
      typeof (e as IceServerEntry).urls === 'string' &&
      !iceServerProblem(e as IceServerEntry),
  );
  return ok ? (entries as IceServerEntry[]).map((e) => ({ ...e })) : undefined;
}

/** Whether `kind` is a transport a visitor (or an embedding page) may choose. */
export function isUserTransport(kind: unknown): kind is UserTransport {
  return UserTransports.includes(kind as UserTransport);
}

/** Checks one STUN/TURN entry. */
export function iceServerProblem(entry: IceServerEntry): string | undefined {
  const urls = entry.urls.trim();
  const match = /^(stun|stuns|turn|turns):([^\s?#]+)(\?transport=(udp|tcp))?$/.exec(urls);
  if (!match) return 'Use stun:host[:port] or turn:host[:port] (turns:/stuns: for TLS).';
  const host = match[2]!;
  if (!/^(\[[0-9a-fA-F:.]+\]|[A-Za-z0-9.-]+)(:\d{1,5})?$/.test(host))
    return 'The host name is not valid.';
  const port = /:(\d{1,5})$/.exec(host)?.[1];
  if (port !== undefined && (Number(port) < 1 || Number(port) > 65535))
    return 'The port must be 1–65535.';
  const isTurn = match[1]!.startsWith('turn');
  if (isTurn && (!entry.username?.trim() || !entry.credential)) {
    return 'A TURN server needs a user name and a credential.';
  }
  if (!isTurn && (entry.username || entry.credential))
    return 'STUN servers take no user name or credential.';
  return undefined;
}

/** A field of a STUN/TURN entry. */
export type IceField = keyof Required<IceServerEntry>;

/** Which field of a faulty STUN/TURN entry most likely needs the fix, to focus it. */
export function faultyIceField({ urls, username = '', credential = '' }: IceServerEntry): IceField {
  const url = urls.trim();
  const turn = /^turns?:/.test(url);
  // The address alone: would it pass with whatever keys its kind needs?
  if (iceServerProblem(turn ? { urls: url, username: 'u', credential: 'c' } : { urls: url }))
    return 'urls';
  if (turn) return !username.trim() ? 'username' : !credential ? 'credential' : 'urls';
  return username.trim() ? 'username' : credential ? 'credential' : 'urls';
}

/** Checks a whole settings object; returns the problems per field. */
export function settingsProblems(s: ParleySettings): SettingsProblems {
  const problems: SettingsProblems = {};
  if (!UserTransports.includes(s.transport)) problems.transport = 'Choose one of the transports.';
  const server = serverProblem(s.server);
  if (server) problems.server = server;
  if (!isDirectChoice(s.direct)) problems.direct = 'Choose whom to connect to directly.';
  const kept = historyMaxProblem(s.historyMax);
  if (kept) problems.historyMax = kept;
  const ice: Record<number, string> = {};
  s.iceServers.forEach((entry, i) => {
    const p = iceServerProblem(entry);
    if (p) ice[i] = p;
  });
  if (s.iceServers.length > MAX_ICE_SERVERS)
    ice[MAX_ICE_SERVERS] = `At most ${MAX_ICE_SERVERS} servers.`;
  if (Object.keys(ice).length > 0) problems.iceServers = ice;
  return problems;
}

/** Whether a problems object has any problem. */
export const hasProblems = (p: SettingsProblems): boolean => Object.keys(p).length > 0;
