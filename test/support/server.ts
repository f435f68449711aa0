/**
 * A Parley server inside this process, as tests and benchmarks start it: production defaults
 * (payload cap, mesh cap, rate limit, any origin), a free loopback port, no page, no logs.
 */
import { configFromEnv, type ServerConfig } from '../../signaling/config.js';
import { silentLogger } from '../../signaling/log.js';
import { startParleyServer, type ParleyServer } from '../../signaling/server.js';

/** Starts a server with the defaults above, changed by `overrides`; the caller closes it. */
export function startTestServer(overrides: Partial<ServerConfig> = {}): Promise<ParleyServer> {
  return startParleyServer(
    { ...configFromEnv({}), port: 0, staticDir: undefined, ...overrides },
    silentLogger,
  );
}
