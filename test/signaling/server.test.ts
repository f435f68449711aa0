import assert from 'node:assert/strict';
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { configFromEnv, tcpCapOf } from '../../signaling/config.js';
import type { ParleyServer } from '../../signaling/server.js';
import { freePort, spawnServer } from '../support/processes.js';
import { joinedClient, startServer, until } from './helpers.js';

describe('http server', () => {
  let server: ParleyServer;
  let dir: string;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'parley-static-'));
    await mkdir(join(dir, 'assets'));
    await writeFile(join(dir, 'index.html'), '<!doctype html><title>Parley</title>');
    await writeFile(join(dir, 'assets', 'app-abc.js'), 'export {}');
    server = await startServer({ staticDir: dir });
  });
  after(async () => {
    await server.close();
    await rm(dir, { recursive: true });
  });

  it('answers /healthz with only `ok` (counts need PARLEY_HEALTH_DETAIL=1)', async () => {
    const res = await fetch(`${server.url}/healthz`);
    assert.equal(res.status, 200);
    assert.equal(await res.text(), 'ok');
  });

  it('serves the page with a CSP that forbids inline script', async () => {
    const res = await fetch(`${server.url}/`);
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type') ?? '', /text\/html/);
    assert.match(res.headers.get('content-security-policy') ?? '', /script-src 'self'(;|$)/);
    assert.match(await res.text(), /<title>Parley<\/title>/);
  });

  it('caches hashed assets for long and knows their type', async () => {
    const res = await fetch(`${server.url}/assets/app-abc.js`);
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type') ?? '', /text\/javascript/);
    assert.match(res.headers.get('cache-control') ?? '', /immutable/);
  });

  it('never serves files outside its folder', async () => {
    for (const path of [
      '/..%2f..%2fetc%2fpasswd',
      '/%2e%2e/%2e%2e/etc/passwd',
      '/assets/../../package.json',
    ]) {
      const res = await fetch(`${server.url}${path}`);
      const body = await res.text();
      assert.ok(!body.includes('root:'), path);
      assert.ok(!body.includes('"dependencies"'), path);
    }
    assert.equal((await fetch(`${server.url}/missing.js`)).status, 404);
    assert.equal((await fetch(`${server.url}/`, { method: 'POST' })).status, 405);
  });
});

describe('configuration', () => {
  it('has defaults for local use', () => {
    const c = configFromEnv({});
    assert.equal(c.port, 8080);
    assert.equal(c.host, '127.0.0.1');
    assert.equal(c.maxPayload, 65536);
    assert.deepEqual(c.origins, []);
    assert.deepEqual(
      [c.rate, c.burst, c.maxRooms, c.maxMembers, c.maxRoomName, c.meshCap],
      [20, 40, 8, 500, 64, 16],
    );
    assert.equal(c.redisUrl, undefined);
  });

  it('reads the environment and refuses nonsense with a readable message', () => {
    const c = configFromEnv({
      PORT: '9000',
      HOST: '0.0.0.0',
      PARLEY_ORIGINS: 'https://a.example, https://b.example',
    });
    assert.equal(c.port, 9000);
    assert.equal(c.host, '0.0.0.0');
    assert.deepEqual(c.origins, ['https://a.example', 'https://b.example']);
    assert.throws(() => configFromEnv({ PORT: 'eighty' }), /PORT=eighty is not a whole number/);
    assert.throws(() => configFromEnv({ PARLEY_MAX_PAYLOAD: '-1' }), /PARLEY_MAX_PAYLOAD/);
    const limits = configFromEnv({
      PARLEY_RATE: '5',
      PARLEY_BURST: '10',
      PARLEY_MAX_ROOMS: '2',
      PARLEY_MAX_MEMBERS: '50',
      PARLEY_MAX_ROOM_NAME: '20',
      REDIS_URL: 'redis://127.0.0.1:6390',
    });
    assert.deepEqual(
      [limits.rate, limits.burst, limits.maxRooms, limits.maxMembers, limits.maxRoomName],
      [5, 10, 2, 50, 20],
    );
    assert.equal(limits.redisUrl, 'redis://127.0.0.1:6390');
    assert.throws(() => configFromEnv({ PARLEY_MAX_ROOM_NAME: '65' }), /from 1 to 64/);
    // TCP connections per address and the write timeout (issue 26, item 5).
    const tcp = configFromEnv({ PARLEY_MAX_TCP_PER_IP: '100', PARLEY_WRITE_TIMEOUT: '30' });
    assert.deepEqual([tcp.maxTcpPerIp, tcp.writeTimeout], [100, 30]);
    assert.deepEqual([tcpCapOf(c), c.writeTimeout], [64, 15]);
    assert.equal(tcpCapOf(configFromEnv({ PARLEY_MAX_CONN_PER_IP: '200' })), 400);
    assert.throws(() => configFromEnv({ PARLEY_MAX_TCP_PER_IP: '1' }), /from 2 to/);
    assert.throws(() => configFromEnv({ PARLEY_WRITE_TIMEOUT: '0' }), /PARLEY_WRITE_TIMEOUT/);
    assert.throws(
      () => configFromEnv({ REDIS_URL: 'localhost:6379' }),
      /must start with redis:\/\//,
    );
  });
});

describe('the server process', () => {
  it('on SIGTERM tells clients to reconnect, stops accepting and exits 0 within seconds', async () => {
    const node = await spawnServer(await freePort(), { PARLEY_STATIC_DIR: '/nonexistent' });
    try {
      const client = await joinedClient(node.url, 'lobby', 'Ann');
      let reason = '';
      client.socket.on('disconnect', (r) => (reason = r));
      const exited = new Promise<number | null>((r) => node.child.once('exit', (code) => r(code)));
      const start = Date.now();
      node.child.kill('SIGTERM');
      assert.equal(await exited, 0);
      assert.ok(Date.now() - start < 5000, 'gone within 5 s');
      await until(() => reason !== '', 'the disconnect');
      assert.deepEqual(
        client.errors.map((e) => e.code),
        ['shutting-down'],
      );
      await assert.rejects(fetch(`${node.url}/healthz`));
    } finally {
      await node.kill();
    }
  });

  it('refuses to start with a Redis that does not answer, saying why', async () => {
    const port = await freePort();
    const dead = await freePort();
    await assert.rejects(
      spawnServer(port, { REDIS_URL: `redis://127.0.0.1:${dead}` }),
      /the server exited with 1/,
    );
  });
});
