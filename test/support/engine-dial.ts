/**
 * A page's entry for test/e2e/engine-transports.e2e.test.ts: built with the browser builds'
 * Engine.IO transports (vite.lib.config.ts, `engineTransports`), it dials a Socket.IO server
 * with the transports asked for and says how it went.
 */
import { io } from 'socket.io-client';

/** How a dial went: connected (and over which transport), and the echo heard back. */
export interface Dialled {
  connected: boolean;
  transport?: string;
  echo?: string;
  error?: string;
}

/**
 * Dials `url` with `transports`, sends `text` to the server's echo and waits for it back;
 * then disconnects. `tryAll`: Engine.IO tries the next transport when one fails.
 */
export function dial(url: string, transports: string[], tryAll: boolean, text: string) {
  return new Promise<Dialled>((resolve) => {
    const socket = io(url, { transports, tryAllTransports: tryAll, reconnection: false });
    const done = (d: Dialled) => {
      socket.disconnect();
      resolve(d);
    };
    socket.on('connect_error', (err) => done({ connected: false, error: err.message }));
    socket.on('connect', () => {
      const transport = socket.io.engine.transport.name;
      socket.emit('echo', text, (echo: string) => done({ connected: true, transport, echo }));
    });
  });
}
