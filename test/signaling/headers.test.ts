/**
 * Issue 14, item 8: the hardening headers on every answer (the app page, the library, errors,
 * `/healthz`), `/healthz` telling counts only when asked to, and source maps only when asked to.
 */
import assert from 'node:assert/strict';
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { configFromEnv } from '../../signaling/config.js';
import { answerHealth } from '../../signaling/health.js';
import type { ParleyServer } from '../../signaling/server.js';
import { serveStatic, type StaticOptions } from '../../signaling/static.js';
import type { RelayServer } from '../../signaling/types.js';
import { startServer } from './helpers.js';

/** A built app in miniature: the page, a hashed script with its map, the library with its map. */
async function builtApp(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'parley-headers-'));
  await mkdir(join(dir, 'assets'));
  await mkdir(join(dir, 'lib'));
  await writeFile(join(dir, 'index.html'), '<!doctype html><title>Parley</title>');
  await writeFile(join(dir, 'assets', 'app-abcdefgh.js'), 'export {}');
  await writeFile(join(dir, 'assets', 'app-abcdefgh.js.map'), '{"version":3}');
  await writeFile(join(dir, 'lib', 'parley.js'), 'export {}\n//# sourceMappingURL=parley.js.map');
  await writeFile(join(dir, 'lib', 'parley.js.map'), '{"version":3}');
  return dir;
}

/** A plain HTTP server on 127.0.0.1 answering with `handler`. */
async function listen(
  handler: Parameters<typeof createServer>[1],
): Promise<{ server: Server; url: string }> {
  const server = createServer(handler);
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

/** Serves `dir` with `options` on its own server (what the Parley server does with its config). */
function serving(dir: string, options: StaticOptions) {
  const serve = serveStatic(dir, options);
  return listen((req, res) => void serve(req, res));
}

/** Asserts the headers every answer carries. */
function assertHardened(res: Response, what: string) {
  assert.equal(res.headers.get('x-content-type-options'), 'nosniff', what);
  assert.equal(res.headers.get('referrer-policy'), 'no-referrer', what);
  const permissions = res.headers.get('permissions-policy') ?? '';
  for (const feature of ['camera', 'microphone', 'geolocation', 'payment', 'usb']) {
    assert.match(permissions, new RegExp(`(^|, )${feature}=\\(\\)(,|$)`), `${what}: ${feature}`);
  }
  assert.doesNotMatch(permissions, /notifications/, `${what}: notifications stay possible`);
}

/** The directives of a Content-Security-Policy by name. */
function directives(res: Response): Map<string, string[]> {
  const csp = res.headers.get('content-security-policy') ?? '';
  return new Map(
    csp
      .split(';')
      .map((d) => d.trim().split(/\s+/))
      .filter((d) => d[0])
      .map(([name, ...values]) => [name!, values]),
  );
}

describe('hardening headers (default configuration)', () => {
  let server: ParleyServer;
  let dir: string;
  before(async () => {
    dir = await builtApp();
    server = await startServer({ staticDir: dir });
  });
  after(async () => {
    await server.close();
    await rm(dir, { recursive: true });
  });

  it('the app page: no framing, connections to its own server and TLS relays only', async () => {
    const res = await fetch(`${server.url}/`);
    assert.equal(res.status, 200);
    assertHardened(res, 'the page');
    const csp = directives(res);
    assert.deepEqual(csp.get('frame-ancestors'), ["'none'"]);
    assert.deepEqual(csp.get('script-src'), ["'self'"]);
    // Images of files are Blob URLs the page makes; nothing else may come from blob: or data:.
    assert.deepEqual(csp.get('img-src'), ["'self'", 'data:', 'blob:']);
    const connect = csp.get('connect-src') ?? [];
    const host = new URL(server.url).host;
    for (const source of ["'self'", `ws://${host}`, `wss://${host}`, 'https:', 'wss:']) {
      assert.ok(connect.includes(source), `connect-src has ${source}: ${connect.join(' ')}`);
    }
    for (const source of ['*', 'http:', 'ws:', 'data:', 'blob:']) {
      assert.ok(!connect.includes(source), `connect-src has no ${source}: ${connect.join(' ')}`);
    }
    // A deep link is the page too, with the same policy.
    assert.deepEqual(directives(await fetch(`${server.url}/some/room`)).get('frame-ancestors'), [
      "'none'",
    ]);
  });

  it('the library: hardened, loadable by any origin and silent about framing', async () => {
    const res = await fetch(`${server.url}/lib/parley.js`, {
      headers: { origin: 'https://shop.example' },
    });
    assert.equal(res.status, 200);
    assertHardened(res, '/lib/parley.js');
    assert.equal(res.headers.get('access-control-allow-origin'), '*');
    assert.equal(res.headers.get('cross-origin-resource-policy'), 'cross-origin');
    assert.equal(directives(res).get('frame-ancestors'), undefined);
  });

  it('errors are hardened too', async () => {
    for (const [path, method, status] of [
      ['/missing.js', 'GET', 404],
      ['/', 'POST', 405],
      ['/%E0%A4%A', 'GET', 400],
    ] as const) {
      const res = await fetch(`${server.url}${path}`, { method });
      assert.equal(res.status, status, path);
      assertHardened(res, `${method} ${path}`);
      assert.deepEqual(directives(res).get('frame-ancestors'), ["'none'"], path);
    }
  });

  it('/healthz answers only `ok`, hardened', async () => {
    const res = await fetch(`${server.url}/healthz`);
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type') ?? '', /^text\/plain/);
    assert.equal(res.headers.get('cache-control'), 'no-store');
    assertHardened(res, '/healthz');
    assert.deepEqual(directives(res).get('frame-ancestors'), ["'none'"]);
    assert.equal(await res.text(), 'ok');
  });

  it('source maps answer 404, and no script points at one', async () => {
    for (const path of ['/assets/app-abcdefgh.js.map', '/lib/parley.js.map']) {
      const res = await fetch(`${server.url}${path}`);
      assert.equal(res.status, 404, path);
      assertHardened(res, path);
      assert.equal(await res.text(), 'not found', path);
    }
    const script = await fetch(`${server.url}/assets/app-abcdefgh.js`);
    assert.equal(script.status, 200);
    assert.equal(script.headers.get('sourcemap'), null);
  });
});

describe('/healthz with PARLEY_HEALTH_DETAIL=1', () => {
  it('reads the variable', () => {
    assert.equal(configFromEnv({}).healthDetail, false);
    assert.equal(configFromEnv({ PARLEY_HEALTH_DETAIL: '1' }).healthDetail, true);
  });

  it('answers the JSON with the connection count', async () => {
    const server = await startServer({ healthDetail: true });
    try {
      const res = await fetch(`${server.url}/healthz`);
      assert.equal(res.status, 200);
      assert.equal(res.headers.get('content-type'), 'application/json');
      assertHardened(res, '/healthz (detail)');
      assert.deepEqual(await res.json(), { ok: true, connections: 0 });
    } finally {
      await server.close();
    }
  });

  it('a node that cannot serve answers 503: `unavailable`, or the JSON saying why', async () => {
    const io = { sockets: { sockets: new Map() } } as unknown as RelayServer;
    for (const detail of [false, true]) {
      const source = { io, cluster: () => undefined, closing: () => true, detail };
      const { server, url } = await listen((req, res) => answerHealth(source, req, res));
      try {
        const res = await fetch(`${url}/healthz`);
        assert.equal(res.status, 503);
        assertHardened(res, `closing, detail ${detail}`);
        if (detail) {
          assert.deepEqual(await res.json(), { ok: false, connections: 0, closing: true });
        } else assert.equal(await res.text(), 'unavailable');
      } finally {
        server.close();
      }
    }
  });
});

describe('static files with the configuration passed on', () => {
  let dir: string;
  before(async () => (dir = await builtApp()));
  after(() => rm(dir, { recursive: true }));

  it('PARLEY_SOURCEMAPS=1 serves the maps and points each script at its own', async () => {
    assert.equal(configFromEnv({}).sourcemaps, false);
    assert.equal(configFromEnv({ PARLEY_SOURCEMAPS: '1' }).sourcemaps, true);
    const { server, url } = await serving(dir, { sourcemaps: true });
    try {
      for (const path of ['/assets/app-abcdefgh.js.map', '/lib/parley.js.map']) {
        const res = await fetch(`${url}${path}`);
        assert.equal(res.status, 200, path);
        assertHardened(res, path);
        assert.deepEqual(await res.json(), { version: 3 }, path);
      }
      const script = await fetch(`${url}/assets/app-abcdefgh.js`);
      assert.equal(script.headers.get('sourcemap'), 'app-abcdefgh.js.map');
    } finally {
      server.close();
    }
  });

  it('reaches the files through the real server: maps with PARLEY_SOURCEMAPS=1', async () => {
    const server = await startServer({ staticDir: dir, sourcemaps: true });
    try {
      const res = await fetch(`${server.url}/assets/app-abcdefgh.js.map`);
      assert.equal(res.status, 200);
      assertHardened(res, 'map');
    } finally {
      await server.close();
    }
  });

  it('with PARLEY_ORIGINS the page may connect to those servers and its own only', async () => {
    const origins = configFromEnv({
      PARLEY_ORIGINS: 'https://a.example, http://b.example:8080, javascript:alert(1), nonsense',
    }).origins;
    const { server, url } = await serving(dir, { origins });
    try {
      const res = await fetch(`${url}/`);
      assertHardened(res, 'the page');
      const host = new URL(url).host;
      assert.deepEqual(directives(res).get('connect-src'), [
        "'self'",
        `ws://${host}`,
        `wss://${host}`,
        'https://a.example',
        'wss://a.example',
        'http://b.example:8080',
        'ws://b.example:8080',
      ]);
      assert.deepEqual(directives(res).get('frame-ancestors'), ["'none'"]);
    } finally {
      server.close();
    }
  });

  it('never copies a strange Host header into the policy', async () => {
    const { server, url } = await serving(dir, {});
    try {
      const { port } = new URL(url);
      // fetch() sets Host itself: speak HTTP by hand.
      const { connect } = await import('node:net');
      const head = await new Promise<string>((resolve, reject) => {
        const socket = connect(Number(port), '127.0.0.1', () =>
          socket.write(
            'GET / HTTP/1.1\r\nHost: evil.example; script-src *\r\nConnection: close\r\n\r\n',
          ),
        );
        let text = '';
        socket.on('data', (d: Buffer) => (text += d.toString()));
        socket.on('end', () => resolve(text.split('\r\n\r\n')[0] ?? ''));
        socket.on('error', reject);
      });
      assert.match(head, /^HTTP\/1\.1 200/);
      const csp = /content-security-policy: (.*)/i.exec(head)?.[1] ?? '';
      assert.doesNotMatch(csp, /evil/);
      assert.match(csp, /script-src 'self';/);
    } finally {
      server.close();
    }
  });
});
