/**
 * The part of `@thaunknown/simple-peer` (lite build: data channels only) that Parley uses;
 * the package ships no types.
 */
declare module '@thaunknown/simple-peer/lite.js' {
  /** Options of one peer connection. */
  export interface PeerOptions {
    initiator?: boolean;
    trickle?: boolean;
    objectMode?: boolean;
    config?: RTCConfiguration;
    channelConfig?: RTCDataChannelInit;
  }

  /** One WebRTC connection with one data channel, as a duplex stream. */
  export default class Peer {
    constructor(opts?: PeerOptions);
    readonly connected: boolean;
    readonly destroyed: boolean;
    /** Bytes queued in the data channel. */
    readonly bufferSize: number;
    /** Feeds a signal from the other side. */
    signal(data: unknown): void;
    /** Sends at once on the data channel (throws if it cannot). */
    send(chunk: string): void;
    destroy(err?: Error): void;
    on(ev: 'signal', fn: (data: unknown) => void): this;
    on(ev: 'connect' | 'close', fn: () => void): this;
    on(ev: 'data', fn: (data: string | Uint8Array) => void): this;
    on(ev: 'error', fn: (err: Error & { code?: string }) => void): this;
    removeAllListeners(): this;
  }
}
