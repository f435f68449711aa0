/**
 * Issue 26, item 4: Socket.IO 4.8 made a socket for every CONNECT packet ("40") that arrived
 * in one write on one engine.io connection, so 30 connections — within the per-address cap —
 * carried 180,000 sockets. Now a second CONNECT closes the connection before it is decoded:
 * the burst yields at most one socket, over WebSocket and over long-polling, and a normal
 * client still connects.
 */
import assert from 'node:assert/strict';
import type { Socket as NetSocket } from 'node:net';
import { after, before, describe, it } from 'node:test';
import WebSocket from 'ws';
import type { ParleyServer } from '../../signaling/server.js';
import { isConnectPacket } from '../../signaling/one-socket.js';
import { connected, quiet, rawSocket, startServer, until } from '../signaling/helpers.js';

/** CONNECT packets in each burst (one write). */
const BURST = 2000;

describe('a burst of CONNECT packets in one write', () => {
  let server: ParleyServer;
  /** Sockets the namespace has connected since the test began (each a `connection` event). */
  let made = 0;
  before(async () => {
    server = await startServer();
    server.io.on('connection', () => made++);
  });
  after(() => server.close());

  /** Sockets the namespace holds now, connected or still connecting. */
  const held = () => {
    const nsp = server.io.of('/') as unknown as { _preConnectSockets: Map<string, unknown> };
    return server.io.of('/').sockets.size + nsp._preConnectSockets.size;
  };

  it('over WebSocket makes at most one socket and closes the connection', async () => {
    made = 0;
    const ws = new WebSocket(`ws://127.0.0.1:${server.port}/socket.io/?EIO=4&transport=websocket`);
    ws.on('error', () => {});
    let closed = false;
    ws.on('close', () => (closed = true));
    await new Promise<void>((resolve) => ws.once('message', () => resolve()));
    // Every frame in one TCP write, as the attack sent them.
    const tcp = (ws as unknown as { _socket: NetSocket })._socket;
    tcp.cork();
    for (let i = 0; i < BURST; i++) ws.send('40');
    tcp.uncork();
    await until(() => closed, 'the server to close the connection', 5000);
    await quiet(100);
    assert.ok(made <= 1, `at most one socket was connected (${made})`);
    assert.equal(held(), 0, 'nothing is held once the connection is gone');
    assert.equal(server.io.engine.clientsCount, 0, 'the engine.io connection is gone');
  });

  it('over long-polling makes at most one socket and closes the connection', async () => {
    made = 0;
    const base = `${server.url}/socket.io/?EIO=4&transport=polling`;
    const open = await (await fetch(base)).text();
    const { sid } = JSON.parse(open.slice(1)) as { sid: string };
    // engine.io's payload separator is the record separator, 0x1e: one POST, BURST packets.
    const body = Array.from({ length: BURST }, () => '40').join('\x1e');
    await fetch(`${base}&sid=${sid}`, { method: 'POST', body }).then((r) => r.text());
    await until(() => server.io.engine.clientsCount === 0, 'the connection to close', 5000);
    await quiet(100);
    assert.ok(made <= 1, `at most one socket was connected (${made})`);
    assert.equal(held(), 0, 'nothing is held once the connection is gone');
  });

  it('lets a normal client connect once and stay', async () => {
    made = 0;
    const socket = rawSocket(server.url);
    try {
      await connected(socket);
      await quiet(200);
      assert.ok(socket.connected, 'still connected');
      assert.equal(made, 1);
      assert.equal(held(), 1);
    } finally {
      socket.disconnect();
    }
  });

  it('knows a CONNECT packet by its type digit', () => {
    assert.ok(isConnectPacket('0'));
    assert.ok(isConnectPacket('0/admin,{"a":1}'));
    assert.ok(!isConnectPacket('2["relay:join",{}]'));
    assert.ok(!isConnectPacket(Buffer.from('0')));
    assert.ok(!isConnectPacket(''));
  });
});
