/**
 * The Socket.IO relay transport: app events travel through the Parley server, which relays
 * them to the other members of our room and stamps the sender. The connection itself —
 * fail-over, reconnection with backoff, pacing, rejoining — is its {@link RelayLink}.
 */
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
      { announce: ({ userId, name, key }) => ({ userId, name, ...(key ? { key } : {}) }) },
      options,
    );
  }

  /** The server in use now. */
  get url(): string {
    return this.relay.url;
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
