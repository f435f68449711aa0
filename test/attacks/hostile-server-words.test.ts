/**
 * A server of another major version and the Node client: the bot's join must be refused with
 * the protocol's sentence (which version speaks what, who needs an update), not a generic
 * one. Fails while the words are lost.
 */
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { Server } from 'socket.io';
import { createIdentity } from '../../src/protocol/identity.js';
import { connect, type ParleyClient } from '../../src/node/index.js';

describe('attack: a server of another major and a bot', () => {
  const http = createServer();
  const io = new Server(http);
  let url = '';
  const clients: ParleyClient[] = [];
  before(async () => {
    io.on('connection', (socket) => {
      socket.on('relay:join', (_req: unknown, ack: (r: unknown) => void) =>
        ack({
          ok: false,
          v: '2.0',
          error: {
            code: 'incompatible',
            message: 'This server speaks Parley protocol 2; this page speaks 1 — reload to update.',
          },
        }),
      );
    });
    await new Promise<void>((r) => http.listen(0, '127.0.0.1', r));
    url = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
  });
  after(async () => {
    clients.forEach((c) => c.close());
    io.close();
    await new Promise((r) => http.close(r));
  });

  it('the join is refused naming the versions, not as "closed by the app"', async () => {
    const c = await connect(url, { name: 'bot', identity: await createIdentity() });
    clients.push(c);
    await assert.rejects(c.join('lobby'), (err: Error) => {
      assert.match(err.message, /protocol 2/, err.message);
      return true;
    });
  });
});
