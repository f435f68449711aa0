/**
 * Reconnection in Node 22, whose global `navigator` has no `onLine`: a missing `onLine` is not
 * "offline", so a bot whose server connection drops reconnects by itself once the server is
 * back, and what it sends then arrives.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startTestServer } from '../support/server.js';
import type { ParleyServer } from '../../signaling/server.js';
import { Reconnector, hostOffline } from '../../src/transport/reconnect.js';
import type { BotMessage, ParleyClient, TransportState } from '../../src/node/index.js';
import { bot, waitFor } from './helpers.js';

describe('reconnection with a Node 22 navigator', () => {
  const had = Object.getOwnPropertyDescriptor(globalThis, 'navigator');
  let server: ParleyServer;
  const clients: ParleyClient[] = [];

  before(async () => {
    // As Node 22 has it: a navigator with a user agent and no `onLine`.
    Object.defineProperty(globalThis, 'navigator', {
      value: { userAgent: 'Node.js/22', hardwareConcurrency: 2, language: 'en-US' },
      configurable: true,
      writable: true,
    });
    server = await startTestServer({ host: '127.0.0.1' });
  });
  after(async () => {
    clients.forEach((c) => c.close());
    await server.close();
    if (had) Object.defineProperty(globalThis, 'navigator', had);
    else delete (globalThis as { navigator?: unknown }).navigator;
  });

  it('is not offline without onLine, only with onLine === false', () => {
    assert.equal(hostOffline(), false);
    (globalThis.navigator as { onLine?: boolean }).onLine = false;
    assert.equal(hostOffline(), true);
    delete (globalThis.navigator as { onLine?: boolean }).onLine;
    let tries = 0;
    const r = new Reconnector(() => tries++, undefined, { minMs: 1, maxMs: 1 });
    r.schedule();
    return new Promise<void>((resolve) =>
      setTimeout(() => {
        r.stop();
        assert.equal(tries, 1, 'a scheduled attempt ran');
        resolve();
      }, 50),
    );
  });

  it('reconnects after the server connection drops, and messages flow again', async () => {
    const port = server.port;
    const a = await bot(server.url, 'alice');
    const b = await bot(server.url, 'bob');
    clients.push(a, b);
    const ra = await a.join('back-again');
    const rb = await b.join('back-again');
    const states: TransportState[] = [];
    ra.on('state', (s) => states.push(s));
    const down = waitFor(
      (fn: (s: TransportState) => void) => ra.on('state', fn),
      (s) => s === 'offline',
    );
    await server.close();
    await down;
    server = await startTestServer({ host: '127.0.0.1', port });
    const upA =
      ra.state === 'open'
        ? undefined
        : waitFor(
            (fn: (s: TransportState) => void) => ra.on('state', fn),
            (s) => s === 'open',
          );
    const upB =
      rb.state === 'open'
        ? undefined
        : waitFor(
            (fn: (s: TransportState) => void) => rb.on('state', fn),
            (s) => s === 'open',
          );
    await upA;
    await upB;
    assert.ok(states.includes('offline') && states.at(-1) === 'open', states.join(' → '));
    const got = waitFor(
      (fn: (m: BotMessage) => void) => rb.on('message', fn),
      (m) => m.text === 'still here',
    );
    await ra.send('still here');
    assert.equal((await got).author.id, a.id);
  });
});
