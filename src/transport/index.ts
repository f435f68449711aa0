/**
 * Transport registry: name → lazily imported implementation, so a page downloads only the
 * transports it uses (a page that never picks WebRTC never loads simple-peer), and what each
 * kind means for our own line in the roster. A new transport is its own file plus an entry
 * here (and its name in `TransportKinds`).
 */
import type {
  EventsMap,
  LinkKind,
  PeerHello,
  Transport,
  TransportKind,
  TransportOptions,
} from './types.js';

/** Options any registered transport accepts (each ignores what it does not use). */
export interface AnyTransportOptions extends TransportOptions {
  /** Server origin(s) for server-backed transports; a list fails over in order. */
  url?: string | readonly string[] | undefined;
  /** STUN/TURN servers for WebRTC. */
  iceServers?: RTCIceServer[] | undefined;
  /** Whom WebRTC may link to directly (see `WebRtcOptions.directTo`). */
  directTo?: ((hello: PeerHello) => boolean) | undefined;
  /** `false`: WebRTC takes no direct links and no mesh seat (see `WebRtcOptions.directLinks`). */
  directLinks?: boolean | undefined;
}

/** Makes a transport of one kind. */
export type TransportFactory = <L extends EventsMap, E extends EventsMap = L>(
  kind: TransportKind,
  options: AnyTransportOptions,
) => Promise<Transport<L, E>>;

/** How a transport of each kind carries our own messages (our line in the roster says it). */
export const OWN_LINK: Readonly<Record<TransportKind, LinkKind>> = {
  socketio: 'relay',
  webrtc: 'direct',
  broadcast: 'tab',
  memory: 'memory',
};

// One hub per page, so two `memory` transports made by the registry can talk.
let pageHub: import('./memory.js').MemoryHub | undefined;

/** The default factory: imports the implementation on first use. */
export async function loadTransport<L extends EventsMap, E extends EventsMap = L>(
  kind: TransportKind,
  options: AnyTransportOptions,
): Promise<Transport<L, E>> {
  switch (kind) {
    case 'socketio': {
      const { SocketIoTransport } = await import('./socketio.js');
      return new SocketIoTransport<L, E>(options);
    }
    case 'webrtc': {
      const { WebRtcTransport } = await import('./webrtc.js');
      return new WebRtcTransport<L, E>(options);
    }
    case 'broadcast': {
      const { BroadcastTransport } = await import('./broadcast.js');
      return new BroadcastTransport<L, E>(options);
    }
    case 'memory': {
      const { MemoryHub } = await import('./memory.js');
      pageHub ??= new MemoryHub();
      return pageHub.transport<L, E>(options);
    }
  }
}

/**
 * Whether a Socket.IO relay answers at `url`: a short connection attempt, hung up at once.
 * Imported on first use, so pages that never change their server never download it.
 */
export async function probeServer(
  url: string,
  timeoutMs?: number,
): Promise<import('./probe.js').ProbeResult> {
  const { probeServer: probe } = await import('./probe.js');
  return probe(url, timeoutMs);
}
