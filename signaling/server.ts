/**
 * The Parley server: one process, one port, serving the built page, the Socket.IO relay and
 * `GET /healthz`. It stores nothing. Run directly (`node dist-server/server.js` or
 * `tsx signaling/server.ts`) it reads its configuration from the environment and stops
 * cleanly on SIGTERM/SIGINT.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { pathToFileURL } from 'node:url';
import { Server } from 'socket.io';
import { joinCluster, type Cluster } from './cluster.js';
import { configFromEnv, tcpCapOf, type ServerConfig } from './config.js';
import { capConnectionsPerAddress, clientAddress } from './conn-per-ip.js';
import { frameCap, originAllowed } from './limits.js';
import { answerHealth } from './health.js';
import { jsonLogger, type Logger } from './log.js';
import { assignPeerIds } from './peer-id.js';
import { limitRate } from './rate-limit.js';
import { attachRelay } from './relay.js';
import { presenceOf } from './presence.js';
import type { RelayServer } from './types.js';
import { attachSignaling, DEFAULT_MAX_SIGNAL } from './signal.js';
import { attachKeeperFeed, keeperAuth } from './keeper-feed.js';
import { dropSlowReaders } from './slow-readers.js';
import { oneSocketPerConnection } from './one-socket.js';
import { capTcpPerAddress } from './tcp-per-ip.js';
import { cutStalledWrites } from './write-stall.js';
import { serveStatic } from './static.js';

/** A running server. */
export interface ParleyServer {
  /** Base URL, e.g. `http://127.0.0.1:8080`. */
  url: string;
  port: number;
  io: RelayServer;
  /**
   * Stops accepting connections, tells every client to reconnect (elsewhere, if it knows
   * another server), disconnects them and stops listening.
   */
  close(): Promise<void>;
}

type Handler = (req: IncomingMessage, res: ServerResponse, next: () => void) => void;

async function pageHandler(config: ServerConfig, httpServer: import('node:http').Server) {
  if (config.dev) {
    // Dev only: Vite serves the sources with HMR on this same server and port.
    const { createServer: createVite } = await import('vite');
    const vite = await createVite({
      server: { middlewareMode: true, hmr: { server: httpServer } },
      appType: 'spa',
    });
    return vite.middlewares as unknown as Handler;
  }
  if (!config.staticDir) return undefined;
  const serve = serveStatic(config.staticDir, config);
  const handler: Handler = (req, res) => void serve(req, res);
  return handler;
}

/** Starts a server with `config`; resolves once it listens. */
export async function startParleyServer(
  config: ServerConfig,
  log: Logger = jsonLogger,
): Promise<ParleyServer> {
  const httpServer = createServer();
  // Bounds on raw TCP, below engine.io: connections per address, and no write waits for ever.
  capTcpPerAddress(httpServer, { maxTcpPerIp: tcpCapOf(config), trustProxy: config.trustProxy });
  const stopStallWatch = cutStalledWrites(httpServer, {
    writeTimeoutMs: config.writeTimeout * 1000,
  });
  const page = await pageHandler(config, httpServer);
  let cluster: Cluster | undefined;
  let closing = false;
  httpServer.on('request', (req: IncomingMessage, res: ServerResponse) => {
    if (req.url?.startsWith('/socket.io/')) return; // Socket.IO answers these itself
    if (req.url === '/healthz') {
      const source = { io, cluster: () => cluster, closing: () => closing };
      return answerHealth({ ...source, detail: config.healthDetail }, req, res);
    }
    if (page) page(req, res, () => res.writeHead(404).end('not found'));
    else res.writeHead(404).end('not found');
  });

  const io: RelayServer = new Server(httpServer, {
    maxHttpBufferSize: frameCap(config.maxPayload),
    cors: { origin: config.origins.length ? config.origins : true },
    // Checked at each handshake (not later requests of a connection): the origin, then a seat
    // among this address' PARLEY_MAX_CONN_PER_IP (a refusal's message is the HTTP error body).
    allowRequest: (req, done) => {
      if (!originAllowed(req, config.origins)) return done(null, false);
      const refusal = perAddress.admit(req);
      done(refusal ?? null, !refusal);
    },
    // Vite's HMR socket shares the server in dev; don't let engine.io kill other upgrades.
    destroyUpgrade: !config.dev,
    // Notice a vanished client (crash, lost network) within ~15 s, not Socket.IO's default 45 s.
    pingInterval: 10_000,
    pingTimeout: 5_000,
  });
  // Set before the server listens, so before allowRequest's first call.
  const perAddress = capConnectionsPerAddress(io.engine, config);
  // A client that does not read is dropped before what waits for it passes PARLEY_MAX_QUEUED.
  dropSlowReaders(io.engine, { maxQueued: config.maxQueued, log });
  // One socket per connection, so the per-address cap bounds sockets too.
  oneSocketPerConnection(io.engine, log);
  if (config.redisUrl) cluster = await joinCluster(io, config.redisUrl, log);
  io.on('connection', (socket) => {
    limitRate(socket, { rate: config.rate, burst: config.burst, log });
    // One line per connection, never a message body.
    const ip = clientAddress(socket.request, config.trustProxy);
    log('info', 'connected', { id: socket.id, ip });
    socket.on('disconnect', (reason) => log('info', 'disconnected', { id: socket.id, reason }));
  });
  assignPeerIds(io, log);
  // The keeper's member connections carry its token: their hellos say `keeper` (keeper-feed.ts).
  const isKeeper = keeperAuth();
  attachRelay(io, { ...config, log, keeper: (socket) => isKeeper(socket.handshake.auth) });
  attachSignaling(io, { maxSignal: DEFAULT_MAX_SIGNAL, log });
  // Only with PARLEY_KEEPER_TOKEN: tells the keeper which rooms exist (see keeper-feed.ts).
  attachKeeperFeed(io, log);

  await new Promise<void>((resolve, reject) => {
    httpServer.once('error', reject);
    httpServer.listen(config.port, config.host, () => resolve());
  });
  const { port } = httpServer.address() as AddressInfo;
  const shownHost =
    config.host === '0.0.0.0' || config.host === '127.0.0.1' ? 'localhost' : config.host;
  const url = `http://${shownHost.includes(':') ? `[${shownHost}]` : shownHost}:${port}`;

  return {
    url,
    port,
    io,
    close: async () => {
      closing = true;
      stopStallWatch();
      // Stop accepting first, then let every client know why it is being cut off.
      httpServer.close();
      io.local.emit('relay:error', {
        code: 'shutting-down',
        message: 'the server is restarting; reconnecting',
      });
      await new Promise((r) => setTimeout(r, 50));
      io.local.disconnectSockets(true);
      // Their goodbyes reach members on other nodes before the adapter goes.
      presenceOf(io).flush();
      await new Promise<void>((resolve) => {
        void io.close(() => resolve());
        httpServer.closeAllConnections();
      });
      await cluster?.close();
    },
  };
}

async function main(): Promise<void> {
  let config: ServerConfig;
  try {
    config = configFromEnv();
  } catch (err) {
    console.error(String(err instanceof Error ? err.message : err));
    process.exit(2);
  }
  const server = await startParleyServer(config);
  jsonLogger('info', 'listening', { url: server.url, host: config.host, port: server.port });
  console.log(`Parley is running at ${server.url}`);
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    jsonLogger('info', 'stopping', { signal });
    // Never hang: whatever is still open after 5 s is cut.
    setTimeout(() => process.exit(0), 5000).unref();
    void server.close().then(() => process.exit(0));
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((err: unknown) => {
    console.error('parley: server failed to start —', err instanceof Error ? err.message : err);
    process.exit(1);
  });
}
