/**
 * Chunk frames on direct links (issue 23): a doctored member sends binary frames over its data
 * channel that break the rules — over the size cap, malformed, or faster than the byte budget
 * the relay announced. Each is dropped and counted in `dropped.chunks`, never costs the JSON
 * frame budget, and the link stays; an honest member's chunks, paced by its own side, all
 * arrive. Over tabs, a raw channel stands in for a doctored tab.
 */
import { expect, waitUntil } from '@open-wc/testing';
import type { ChatEvents } from '../../src/protocol/chat-events.js';
import { MAX_CHUNK_FRAME } from '../../src/protocol/file-events.js';
import { BroadcastTransport } from '../../src/transport/broadcast.js';
import { PeerByteBuckets } from '../../src/transport/byte-bucket.js';
import { encodeChunk } from '../../src/transport/chunk-codec.js';
import { TAB_BYTE_BUDGET } from '../../src/transport/direct-budget.js';
import { DirectIntake } from '../../src/transport/direct-bytes.js';
import { WebRtcTransport } from '../../src/transport/webrtc.js';
import { serverUrl } from '../support/server-url.js';
import { envelope, freshRoom, next, pattern, rawTab, testSigner, textOf } from './contract.js';

const url = await serverUrl();
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const FILE = 'F'.repeat(43);

type Insides = { links: Map<string, { peer: { send(frame: string | Uint8Array): void } }> };

describe('chunk frames on a WebRTC data channel', function () {
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
  /** Sends `frame` as Bob's side of the link, past every check of Bob's own. */
  const rawFrom = (from: WebRtcTransport<ChatEvents>, to: WebRtcTransport<ChatEvents>) => {
    const peer = (from as unknown as Insides).links.get(to.selfId)!.peer;
    return (frame: Uint8Array) => peer.send(frame);
  };

  it('drops oversized and malformed binary frames, counts them, and keeps the link', async () => {
    const { room, a, b } = await pair();
    const raw = rawFrom(b, a);
    let delivered = 0;
    a.on('bytes', () => delivered++);
    const headOk = { room, file: FILE, part: 0 };
    raw(encodeChunk(headOk, new Uint8Array(MAX_CHUNK_FRAME + 1))); // over the cap: the door
    raw(encodeChunk(headOk, new Uint8Array(200 * 1024))); // far over: not even decoded
    raw(encodeChunk({ room, file: 'short', part: 0 }, new Uint8Array(10))); // a bad head
    raw(encodeChunk({ ...headOk, extra: true }, new Uint8Array(10))); // a field too many
    raw(Uint8Array.of(1, 0, 200, 1, 2)); // truncated
    await waitUntil(() => a.dropped.chunks === 5, 'five drops', { timeout: 5000 });
    expect(delivered).to.equal(0);
    expect(a.dropped.rateLimited, 'no JSON frame budget spent').to.equal(0);
    expect(a.linkOf(b.selfId)).to.equal('direct');
    // The link still carries chat and honest chunks.
    const got = next<[{ part: number }, Uint8Array]>(a, 'bytes');
    expect(await b.sendBytes(a.selfId, { room, file: FILE, part: 3 }, pattern(100, 3))).to.equal(
      true,
    );
    expect((await got)[0].part).to.equal(3);
    const chat = next<[{ body: { text: string } }]>(a, 'chat:message');
    b.emit('chat:message', envelope(room, 'still linked'));
    expect(textOf((await chat)[0] as never)).to.equal('still linked');
  });

  it('drops what comes over the byte budget, counts it, and keeps the link', async () => {
    const { room, a, b } = await pair();
    const raw = rawFrom(b, a);
    let delivered = 0;
    a.on('bytes', () => delivered++);
    // A small budget, as a relay may announce, on a clock the test holds still: the verdict
    // is the bucket's, never how fast this machine's data channel happens to be.
    const [rate, burst] = [256 * 1024, 256 * 1024];
    let clock = 0;
    (a as unknown as { intake: DirectIntake }).intake = new DirectIntake(
      { rate, burst },
      () => clock,
    );
    // Four times the burst at once, as fast as the channel takes it (Bob's own pacing bypassed).
    const frame = encodeChunk({ room, file: FILE, part: 1 }, new Uint8Array(64 * 1024));
    const n = Math.ceil((4 * burst) / (64 * 1024));
    const fits = Math.floor(burst / frame.byteLength);
    const flood = async (count: number) => {
      for (let i = 0; i < count; i++) {
        const channel = (b as unknown as Insides).links.get(a.selfId)!.peer as unknown as {
          bufferSize: number;
        };
        while (channel.bufferSize > 1024 * 1024) await sleep(1);
        raw(frame);
      }
    };
    await flood(n);
    await waitUntil(() => delivered + (a.dropped.chunks ?? 0) === n, 'every frame looked at', {
      timeout: 20_000,
    });
    expect(delivered, 'the burst, whole frames').to.equal(fits);
    expect(a.dropped.chunks, 'frames over the budget dropped').to.equal(n - fits);
    // Time passes: at its rate, the bucket (what the burst left, under a frame) refills to
    // two and a half frames, so two pass again.
    const left = burst - fits * frame.byteLength;
    clock += ((2.5 * frame.byteLength - left) / rate) * 1000;
    await flood(4);
    await waitUntil(() => delivered + (a.dropped.chunks ?? 0) === n + 4, 'the second flood', {
      timeout: 20_000,
    });
    expect(delivered, 'what the rate refilled').to.equal(fits + 2);
    expect(a.dropped.rateLimited, 'no JSON frame budget spent').to.equal(0);
    expect(a.linkOf(b.selfId)).to.equal('direct');
  });

  it("paces an honest member's chunks under the budget: none dropped", async () => {
    const { room, a, b } = await pair();
    let delivered = 0;
    a.on('bytes', () => delivered++);
    const { burst } = a.byteBudget;
    const n = Math.ceil((1.5 * burst) / (64 * 1024));
    const bytes = pattern(64 * 1024, 1);
    for (let part = 0; part < n; part++)
      expect(await b.sendBytes(a.selfId, { room, file: FILE, part }, bytes)).to.equal(true);
    await waitUntil(() => delivered === n, 'every chunk', { timeout: 20_000 });
    expect(a.dropped.chunks).to.equal(0);
  });
});

describe('chunk frames between tabs', function () {
  this.timeout(30_000);
  const opened: { close(): void }[] = [];
  afterEach(() => opened.splice(0).forEach((t) => t.close()));

  it("drops a doctored tab's chunks over the tab byte budget, and malformed ones, counted", async () => {
    const room = freshRoom();
    const a = new BroadcastTransport<ChatEvents>({ signer: await testSigner() });
    opened.push(a);
    await a.connect(room, { userId: 'ann-id', name: 'Ann' });
    // The tab byte budget on a clock the test holds still: however long Ann takes to take in
    // the flood, nothing refills (at 64 MiB/s, a quarter second of a slow machine would).
    let clock = 0;
    (a as unknown as { byteBuckets: PeerByteBuckets }).byteBuckets = new PeerByteBuckets(
      TAB_BYTE_BUDGET,
      () => clock,
    );
    const raw = rawTab(room, opened);
    const hello = { id: 'doctored', userId: 'doc-id', name: 'Doc', since: Date.now(), v: '1.2' };
    raw.postMessage({ t: 'hello', from: 'doctored', hello, reply: false });
    await waitUntil(() => a.peers.has('doctored'), 'the doctored tab known');
    let delivered = 0;
    a.on('bytes', () => delivered++);
    const chunk = new Uint8Array(64 * 1024);
    const frame = (part: number, bytes = chunk, head: unknown = { room, file: FILE, part }) => ({
      t: 'bytes',
      from: 'doctored',
      to: a.selfId,
      head,
      bytes,
    });
    raw.postMessage(frame(0, new Uint8Array(MAX_CHUNK_FRAME + 1)));
    raw.postMessage(frame(0, chunk, { room, file: 'bad', part: 0 }));
    raw.postMessage({ ...frame(0), bytes: 'not bytes' }); // not a chunk frame at all: ignored
    const n = Math.ceil((2 * TAB_BYTE_BUDGET.burst) / chunk.byteLength);
    for (let i = 0; i < n; i++) raw.postMessage(frame(i + 1));
    await waitUntil(() => delivered + (a.dropped.chunks ?? 0) === n + 2, 'every frame looked at', {
      timeout: 10_000,
    });
    // The two malformed frames cost their bytes too (the budget is checked before the door).
    const spent = MAX_CHUNK_FRAME + 1 + chunk.byteLength;
    const fits = Math.floor((TAB_BYTE_BUDGET.burst - spent) / chunk.byteLength);
    expect(delivered, 'the burst, whole chunks').to.equal(fits);
    expect(a.dropped.chunks, 'two malformed, the rest over the budget').to.equal(2 + n - fits);
    // Time passes: at the tab's rate, the bucket (what the burst left, under a chunk) refills
    // to ten and a half chunks, so ten pass again.
    const left = TAB_BYTE_BUDGET.burst - spent - fits * chunk.byteLength;
    clock += ((10.5 * chunk.byteLength - left) / TAB_BYTE_BUDGET.rate) * 1000;
    for (let i = 0; i < 12; i++) raw.postMessage(frame(n + i + 1));
    await waitUntil(() => delivered + (a.dropped.chunks ?? 0) === n + 14, 'the second flood', {
      timeout: 10_000,
    });
    expect(delivered, 'what the rate refilled').to.equal(fits + 10);
    expect(a.dropped.rateLimited).to.equal(0);
    expect(a.peers.has('doctored')).to.equal(true);
  });
});
