/**
 * A relay:ping flood at the real server: every ping is a frame like any other, so a flood is
 * answered only within the connection's rate limit, and pinging before any join is as bounded.
 * Fails if the server answers more than the limit allows.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { connected, quiet, rawSocket, useRelay } from '../signaling/helpers.js';

describe('attack: relay:ping flood', () => {
  const relay = useRelay({ rate: 20, burst: 40 });

  for (const joined of [false, true]) {
    it(`answers a flood of 1,000 pings within the rate limit (${joined ? 'joined' : 'never joined'})`, async () => {
      const socket = joined
        ? (await relay.join('ping-flood', 'Flo')).socket
        : rawSocket(relay.server.url);
      await connected(socket);
      let answers = 0;
      const started = Date.now();
      for (let i = 0; i < 1000; i++) socket.emit('relay:ping', () => answers++);
      await quiet(1000);
      const seconds = (Date.now() - started) / 1000;
      socket.disconnect();
      assert.ok(
        answers <= 40 + Math.ceil(20 * seconds) + 5,
        `${answers} answers to 1,000 pings in ${seconds.toFixed(1)} s`,
      );
    });
  }
});
