/**
 * The Socket.IO relay transport: app events travel through the Parley server, which relays
 * them to the other members of our room and stamps the sender. The connection itself —
 * fail-over, reconnection with backoff, pacing, rejoining — is its {@link RelayLink}.
 */
import type { ChunkHead } from '../protocol/file-events.js';
import { BaseTransport } from './base.js';
import { RelayLink, type RelayLinkOptions } from './relay-link.js';
import type { EventsMap, PeerId, PeerProfile, ServerInfo, TransportOptions } from './types.js';

/** Options of the Socket.IO transport. */
export interface SocketIoOptions extends TransportOptions, RelayLinkOptions {}

/** Socket.IO implementation of the transport contract. */
export class SocketIoTransport<
  Listen extends EventsMap,
  Emit extends EventsMap = Listen,
> extends BaseTransport<Listen, Emit> {
  private readonly relay: RelayLink;

  constructor(options: SocketIoOptions = {}) {
    super('socketio', 'relay', options);
    this.relay = new RelayLink(
      this.port,
      // The key stays: the relay requires it (with a signer, the proof sets key and id anyway).
      {
        announce: ({ userId, name, key }) => ({ userId, name, ...(key ? { key } : {}) }),
        // The byte budget the server announced for chunk frames (the default until it did).
        joined: () => (this.byteBudget = this.relay.byteBudget),
      },
      options,
    );
  }

  /** The server in use now. */
  get url(): string {
    return this.relay.url;
  }

  /** The largest file the server's rooms carry, as it announced at the last join. */
  get fileCap(): number | undefined {
    return this.relay.limits?.maxFile;
  }

  /** Sends a chunk frame through the server; see the contract. */
  sendBytes(peer: PeerId, head: ChunkHead, bytes: Uint8Array): Promise<boolean> {
    return this.relay.bytes(peer, head, bytes);
  }

  /** The server in use, its round trip now and its announced limits; see the contract. */
  async serverInfo(): Promise<ServerInfo> {
    const { url, limits } = this.relay;
    return { url, rttMs: await this.relay.ping(), limits };
  }

  connect(room: string, me: PeerProfile): Promise<void> {
    this.assertFresh();
    return this.relay.connect(room, me);
  }

  close(): void {
    this.relay.close();
    this.finishClose('closed by the app');
  }

  protected send(to: PeerId | undefined, ev: string, args: unknown[], json: string): void {
    this.relay.relay(to, ev, args, json);
  }
}
