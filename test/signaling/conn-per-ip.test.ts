/**
 * Issue 14, item 3: connections from one address are capped (`PARLEY_MAX_CONN_PER_IP`, 32) at
 * the handshake, with a refusal saying why; `X-Forwarded-For` names the address only behind a
 * trusted proxy (`PARLEY_TRUST_PROXY=1`), else it is ignored.
 */
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import WebSocket from 'ws';
import { addressKey } from '../../signaling/conn-per-ip.js';
import type { ParleyServer } from '../../signaling/server.js';
import { startServer, until } from './helpers.js';

const CAP = 32;
const REFUSAL = `too many connections from this address (${CAP})`;

type Attempt = { ws: WebSocket } | { status: number; body: string };

/** Opens an engine.io WebSocket connection (sending `headers`) and waits for its open packet. */
function attempt(server: ParleyServer, headers: Record<string, string> = {}): Promise<Attempt> {
  const url = `ws://127.0.0.1:${server.port}/socket.io/?EIO=4&transport=websocket`;
  const ws = new WebSocket(url, { headers });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => (ws.terminate(), reject(new Error('no answer'))), 5000);
    ws.once('message', (data) => {
      clearTimeout(timer);
      if (String(data).startsWith('0{')) resolve({ ws });
      else reject(new Error(`unexpected first packet ${String(data)}`));
    });
    ws.once('unexpected-response', (_req, res) => {
      let body = '';
      res.on('data', (chunk: Buffer) => (body += chunk.toString()));
      res.on('end', () => {
        clearTimeout(timer);
        resolve({ status: res.statusCode ?? 0, body });
      });
    });
    ws.on('error', () => {}); // a refusal also ends the request
  });
}

describe('connections per address', () => {
  const open: WebSocket[] = [];
  const servers: ParleyServer[] = [];
  const start = async (trustProxy: boolean) => {
    const server = await startServer({ trustProxy });
    servers.push(server);
    return server;
  };
  /** Opens `n` connections that must all be accepted. */
  const fill = async (server: ParleyServer, n: number, headers: () => Record<string, string>) => {
    for (let i = 0; i < n; i++) {
      const a = await attempt(server, headers());
      assert.ok('ws' in a, `connection ${i + 1} of ${n} accepted (got ${JSON.stringify(a)})`);
      open.push(a.ws);
    }
  };
  after(async () => {
    open.forEach((ws) => ws.terminate());
    await Promise.all(servers.map((s) => s.close()));
  });

  it('refuses the 33rd connection from one address with a clear message, and not after one closes', async () => {
    const server = await start(false);
    await fill(server, CAP, () => ({}));
    const refused = await attempt(server);
    assert.ok('status' in refused, 'the 33rd connection is refused');
    assert.equal(refused.status, 400);
    assert.equal(refused.body, REFUSAL);
    // Long-polling handshakes meet the same cap (HTTP 403, the message in its JSON body).
    const polling = await fetch(`${server.url}/socket.io/?EIO=4&transport=polling`);
    assert.equal(polling.status, 403);
    assert.equal(((await polling.json()) as { message: string }).message, REFUSAL);

    // A closed connection gives its seat back.
    open.pop()!.terminate();
    await until(() => server.io.engine.clientsCount === CAP - 1, 'the close to be seen');
    const again = await attempt(server);
    assert.ok('ws' in again, 'a seat is free again');
    open.push(again.ws);
    const full = await attempt(server);
    assert.ok('status' in full && full.body === REFUSAL, 'and then full again');
  });

  it('ignores X-Forwarded-For unless the proxy is trusted', async () => {
    const server = await start(false);
    let n = 0;
    await fill(server, CAP, () => ({ 'X-Forwarded-For': `10.0.0.${++n}` }));
    const refused = await attempt(server, { 'X-Forwarded-For': '10.0.1.1' });
    assert.ok('status' in refused && refused.body === REFUSAL, 'the header names no one');
  });

  it('with PARLEY_TRUST_PROXY=1 gives each forwarded address its own 32', async () => {
    const server = await start(true);
    const as = (ip: string) => () => ({ 'X-Forwarded-For': `${ip}, 127.0.0.1` });
    await fill(server, CAP, as('203.0.113.7'));
    const refused = await attempt(server, as('203.0.113.7')());
    assert.ok('status' in refused && refused.body === REFUSAL, 'the 33rd from 203.0.113.7');
    await fill(server, CAP, as('198.51.100.9'));
    await fill(server, 1, () => ({})); // the proxy's own address (no header) has its own seats
    const refusedToo = await attempt(server, as('198.51.100.9')());
    assert.ok('status' in refusedToo && refusedToo.body === REFUSAL, 'the 33rd from 198.51.100.9');
  });

  it('counts an IPv6 client by its /64: any address in it shares the same 32', async () => {
    const server = await start(true);
    let n = 0;
    // Every attempt from another address of one /64, as a client picking fresh ones would.
    const fresh = () => ({ 'X-Forwarded-For': `2001:db8:1:2:${(++n).toString(16)}::1` });
    await fill(server, CAP, fresh);
    const refused = await attempt(server, fresh());
    assert.ok('status' in refused && refused.body === REFUSAL, 'the 33rd address of the /64');
    const next = await attempt(server, { 'X-Forwarded-For': '2001:db8:1:3::1' });
    if ('ws' in next) open.push(next.ws);
    assert.ok('ws' in next, 'the next /64 has seats of its own');
  });

  it('keys addresses: IPv4 as is, IPv6 by its /64 however it is written', () => {
    assert.equal(addressKey('203.0.113.7'), '203.0.113.7');
    assert.equal(addressKey('2001:db8:0:1::5'), '2001:db8:0:1::/64');
    assert.equal(addressKey('2001:0DB8:0000:0001:ffff:0:0:9'), '2001:db8:0:1::/64');
    assert.equal(addressKey('fe80::1%eth0'), 'fe80:0:0:0::/64');
    assert.equal(addressKey('::1'), '0:0:0:0::/64');
    assert.equal(addressKey('not:an:address'), 'not:an:address');
    assert.equal(addressKey('1:2:3:4:5:6:7:8:9'), '1:2:3:4:5:6:7:8:9');
  });
});
