/**
 * Not a script: the text the browser builds use for Engine.IO's list of transports
 * (engine.io-client/build/esm/transports/index.js, replaced by `engineTransports()` in
 * vite.lib.config.ts; its relative imports are resolved from that folder).
 *
 * - No WebTransport: the relay link asks for WebSocket and long-polling by name only
 *   (src/transport/relay-link.ts) and our server offers no WebTransport.
 * - Long-polling is a stand-in that loads the real transport (a chunk of its own) when it is
 *   opened: it is used only when WebSocket fails, so most visitors never fetch it. It keeps
 *   Engine.IO's contract: the same name, `writable` as the real one says, its events passed on,
 *   and the query object shared (the socket sets `sid` on it after the handshake).
 */
import { Transport } from '../transport.js';
import { WS } from './websocket.js';

class LazyPolling extends Transport {
  get name() {
    return 'polling';
  }

  get writable() {
    return this.inner ? this.inner.writable : this.ready === true;
  }

  set writable(on) {
    this.ready = on;
  }

  doOpen() {
    import('./polling-xhr.js').then(
      ({ XHR }) => {
        if (this.readyState !== 'opening') return;
        const inner = new XHR(this.opts);
        this.inner = inner;
        inner.on('open', () => this.onOpen());
        inner.on('packet', (packet) => this.onPacket(packet));
        inner.on('drain', () => this.emitReserved('drain'));
        inner.on('error', (err) => this.emitReserved('error', err));
        inner.on('close', (details) => this.readyState !== 'closed' && this.onClose(details));
        inner.open();
      },
      (err) => this.onError('polling transport did not load', err),
    );
  }

  doClose() {
    const inner = this.inner;
    // The stand-in says it closed (Transport.close): the real one's own "close" would be a second.
    inner?.off();
    inner?.close();
  }

  write(packets) {
    this.inner?.send(packets);
  }

  pause(onPause) {
    if (this.inner) this.inner.pause(onPause);
    else onPause();
  }
}

export const transports = { websocket: WS, polling: LazyPolling };
