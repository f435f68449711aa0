/**
 * `GET /healthz`: whether this node can serve (200 `ok`) or should be taken out of rotation
 * (503 `unavailable`: closing, or Redis unreachable in a cluster), for load balancers and
 * orchestrators. Counts (connections, nodes, Redis) are told only with `PARLEY_HEALTH_DETAIL=1`,
 * as JSON: anyone can ask, and how busy a server is is not everyone's business.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Cluster } from './cluster.js';
import { SECURITY_HEADERS } from './static.js';
import type { RelayServer } from './types.js';

/** What `GET /healthz` answers. */
interface Health {
  ok: boolean;
  connections: number;
  nodes?: number;
  redis?: 'up' | 'down';
}

async function health(io: RelayServer, cluster: Cluster | undefined): Promise<Health> {
  const connections = io.sockets.sockets.size;
  if (!cluster) return { ok: true, connections };
  try {
    return { ok: true, connections, nodes: await cluster.nodes(), redis: 'up' };
  } catch {
    // Without Redis this node cannot reach members elsewhere: send traffic to another node.
    return { ok: false, connections, redis: 'down' };
  }
}

/** What the health answer needs to know of the running server. */
export interface HealthSource {
  io: RelayServer;
  cluster: () => Cluster | undefined;
  closing: () => boolean;
  /** Whether to answer the JSON with counts (`PARLEY_HEALTH_DETAIL=1`), not only `ok`. */
  detail: boolean;
}

/** Answers a `GET /healthz` request. */
export function answerHealth(source: HealthSource, _req: IncomingMessage, res: ServerResponse) {
  void health(source.io, source.cluster()).then((h) => {
    const body = source.closing() ? { ...h, ok: false, closing: true } : h;
    res
      .writeHead(body.ok ? 200 : 503, {
        'content-type': source.detail ? 'application/json' : 'text/plain; charset=utf-8',
        'cache-control': 'no-store',
        'content-security-policy': "default-src 'none'; frame-ancestors 'none'",
        ...SECURITY_HEADERS,
      })
      .end(source.detail ? JSON.stringify(body) : body.ok ? 'ok' : 'unavailable');
  });
}
