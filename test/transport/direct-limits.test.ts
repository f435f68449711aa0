/**
 * Limits on direct links (issue 14, item 6): what a member sends over a data channel or from
 * another tab never reaches the relay's token bucket, so the receiving end keeps its own, per
 * member, and applies the payload cap by size before parsing. Our own senders pace under the
 * same budget, so an honest member loses nothing.
 */
import { expect, waitUntil } from '@open-wc/testing';
import type { ChatEvents } from '../../src/protocol/chat-events.js';
import { BroadcastTransport } from '../../src/transport/broadcast.js';
import { directBudget, TAB_BUDGET } from '../../src/transport/direct-budget.js';
import { WebRtcTransport } from '../../src/transport/webrtc.js';
import { serverUrl } from '../support/server-url.js';
import { envelope, freshRoom, rawTab, testSigner, textOf } from './contract.js';

const url = await serverUrl();
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Waits until `count()` has not changed for `quietMs`. */
async function settled(count: () => number, quietMs = 500, timeoutMs = 20_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  let last = -1;
  while (Date.now() < end) {
    const now = count();
    if (now === last) return;
    last = now;
    await sleep(quietMs);
  }
}

/** Counts JSON.parse calls on strings longer than `min` while installed. */
function bigParses(min: number): { count: number; stop(): void } {
  const original = JSON.parse;
  const spy = { count: 0, stop: () => (JSON.parse = original) };
  JSON.parse = ((text: string, reviver?: Parameters<typeof JSON.parse>[1]) => {
    if (typeof text === 'string' && text.length > min) spy.count++;
    return original(text, reviver);
  }) as typeof JSON.parse;
  return spy;
}

type Insides = { links: Map<string, { peer: { send(frame: string | Uint8Array): void } }> };

describe('direct limits: WebRTC data channels', function () {
  this.timeout(60_000);
  const open: { close(): void }[] = [];
  afterEach(() => open.splice(0).forEach((t) => t.close()));

  const join = async (room: string, who: string) => {
    const t = new WebRtcTransport<ChatEvents>({ url, iceServers: [], signer: await testSigner() });
    open.push(t);
    await t.connect(room, { userId: `${who}-id`, name: who });
    return t;
  };
  async function pair() {
    const room = freshRoom();
    const a = await join(room, 'Ann');
    const b = await join(room, 'Bob');
    for (const [x, y] of [
      [a, b],
      [b, a],
    ] as const)
      await waitUntil(() => x.linkOf(y.selfId) === 'direct', 'a data channel', { timeout: 8000 });
    return { room, a, b };
  }

  it('refuses a frame far over the cap by its size, unparsed, and delivers at most the budget of a 1,001-frame flood', async () => {
    const { room, a, b } = await pair();
    const peer = (b as unknown as Insides).links.get(a.selfId)!.peer;
    const raw = (frame: string | Uint8Array) => peer.send(frame);
    const heard: string[] = [];
    a.on('chat:message', (env) => heard.push(textOf(env)));
    // 2 MB where the channel carries it (Chromium's stops at 256 KiB, Firefox's does not).
    const sctp = (peer as unknown as { _pc: RTCPeerConnection })._pc.sctp;
    const size = Math.min(2 * 1024 * 1024, sctp?.maxMessageSize ?? 256 * 1024) - 1024;
    const huge = JSON.stringify(['chat:message', [envelope(room, 'huge ' + 'x'.repeat(size))]]);
    const parses = bigParses(100_000);
    try {
      // First, while the bucket is full: only their size can refuse them (text, then bytes).
      raw(huge);
      raw(new TextEncoder().encode(huge));
      const started = performance.now();
      for (let i = 0; i < 1001; i++)
        raw(JSON.stringify(['chat:message', [envelope(room, `f${i}`, i)]]));
      await waitUntil(() => heard.length > 0, 'the first frames', { timeout: 8000 });
      await settled(() => heard.length + a.dropped.rateLimited);
      const seconds = (performance.now() - started) / 1000;
      expect(size, 'far over the cap').to.be.greaterThan(3 * 64 * 1024);
      expect(parses.count, 'the huge frames were never parsed').to.equal(0);
      expect(a.dropped.oversize).to.equal(2);
      expect(heard.some((t) => t.startsWith('huge'))).to.equal(false);
      const budget = directBudget(); // the test relay runs with the defaults
      expect(heard.length, 'at most the bucket’s worth').to.be.at.most(
        budget.burst + Math.ceil(budget.rate * seconds) + 1,
      );
      expect(heard.length).to.be.at.least(budget.burst);
      expect(heard.length + a.dropped.rateLimited, 'every frame delivered or counted').to.equal(
        1001,
      );
      // Delivered in order, the first ones: the surplus is what was dropped.
      expect(heard.slice(0, budget.burst)).to.deep.equal(
        Array.from({ length: budget.burst }, (_, i) => `f${i}`),
      );
      expect(a.linkOf(b.selfId)).to.equal('direct');
      expect(a.state).to.equal('open');
    } finally {
      parses.stop();
    }
  });

  it('loses nothing from an honest member that emits far more than the burst at once: it paces itself', async () => {
    const { room, a, b } = await pair();
    const heard: string[] = [];
    b.on('chat:message', (env) => heard.push(textOf(env)));
    const n = directBudget().burst + 100;
    const before = a.sent.relayed;
    for (let i = 0; i < n; i++) a.emit('chat:message', envelope(room, `m${i}`, i));
    await waitUntil(() => heard.length >= n, `all ${n} messages`, { timeout: 30_000 });
    await sleep(200);
    expect(heard).to.deep.equal(Array.from({ length: n }, (_, i) => `m${i}`));
    expect(b.dropped).to.deep.equal({ oversize: 0, rateLimited: 0, chunks: 0 });
    expect(a.sent.relayed, 'all went over the data channel').to.equal(before);
  });
});

describe('direct limits: tabs', function () {
  this.timeout(30_000);
  const opened: { close(): void }[] = [];
  afterEach(() => opened.splice(0).forEach((x) => x.close()));

  async function tab(room: string, name: string) {
    const t = new BroadcastTransport<ChatEvents>({ heartbeatMs: 60_000, timeoutMs: 120_000 });
    opened.push(t);
    await t.connect(room, { userId: `${name}-id`, name });
    return t;
  }

  it('drops and counts what a runaway tab posts past its budget, and an oversized event', async () => {
    const room = freshRoom();
    const t = await tab(room, 'Ann');
    const raw = rawTab(room, opened);
    const heard: string[] = [];
    t.on('chat:message', (env) => heard.push(textOf(env)));
    const huge = envelope(room, 'x'.repeat(2 * 1024 * 1024));
    raw.postMessage({ t: 'event', from: 'runaway', ev: 'chat:message', args: [huge] });
    const n = TAB_BUDGET.burst * 2;
    const started = performance.now();
    for (let i = 0; i < n; i++)
      raw.postMessage({
        t: 'event',
        from: 'runaway',
        ev: 'chat:message',
        args: [envelope(room, `f${i}`, i)],
      });
    await waitUntil(() => heard.length > 0, 'the first events', { timeout: 8000 });
    await settled(() => heard.length + t.dropped.rateLimited);
    const seconds = (performance.now() - started) / 1000;
    expect(t.dropped.oversize).to.equal(1);
    // The oversized event took a token too: one fewer for the others.
    expect(heard.length).to.be.at.most(TAB_BUDGET.burst + Math.ceil(TAB_BUDGET.rate * seconds));
    expect(heard.length + t.dropped.rateLimited + 1).to.equal(n + 1);
    expect(t.dropped.rateLimited).to.be.greaterThan(0);
  });

  it('loses nothing from an honest tab that emits far more than the burst at once', async () => {
    const room = freshRoom();
    const [a, b] = [await tab(room, 'Ann'), await tab(room, 'Bob')];
    await waitUntil(() => a.peers.has(b.selfId), 'the other tab', { timeout: 4000 });
    const heard: string[] = [];
    b.on('chat:message', (env) => heard.push(textOf(env)));
    const n = TAB_BUDGET.burst + 200;
    for (let i = 0; i < n; i++) a.emit('chat:message', envelope(room, `m${i}`, i));
    await waitUntil(() => heard.length >= n, `all ${n} events`, { timeout: 20_000 });
    await sleep(100);
    expect(heard).to.deep.equal(Array.from({ length: n }, (_, i) => `m${i}`));
    expect(b.dropped).to.deep.equal({ oversize: 0, rateLimited: 0, chunks: 0 });
  });
});
