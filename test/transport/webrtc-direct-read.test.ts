/**
 * An open WebRTC link's messages are read straight off its data channel (issue 25, goal 4),
 * not through simple-peer's stream: delivered at once, each once and in order across the
 * moment the link opens, still through every check (size, budget, schema), and never after
 * the link was dropped.
 */
import { expect, waitUntil } from '@open-wc/testing';
import { isWellFormed, type ChatEvents, type Envelope } from '../../src/protocol/chat-events.js';
import { WebRtcTransport } from '../../src/transport/webrtc.js';
import { serverUrl } from '../support/server-url.js';
import { envelope, freshRoom, testSigner, textOf } from './contract.js';

const url = await serverUrl();
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

type Insides = {
  links: Map<string, { peer: { _channel?: RTCDataChannel } }>;
  dropLink(id: string): void;
};
/** `t`'s data channel to `peer` (simple-peer keeps it as `_channel`). */
const channelTo = (t: WebRtcTransport<ChatEvents>, peer: string) =>
  (t as unknown as Insides).links.get(peer)!.peer._channel!;
/** A message event as the channel would fire it. */
const message = (data: string | ArrayBuffer) => new MessageEvent('message', { data });
const frameOf = (env: Envelope) => JSON.stringify(['chat:message', [env]]);

describe('webrtc: reading an open link straight off its data channel', function () {
  this.timeout(30_000);
  const open: WebRtcTransport<ChatEvents>[] = [];
  afterEach(() => open.splice(0).forEach((t) => t.close()));

  const join = async (room: string, who: string) => {
    // What the app accepts, as the chat passes it: the schema check is part of the door.
    const signer = await testSigner();
    const t = new WebRtcTransport<ChatEvents>({
      url,
      iceServers: [],
      signer,
      accept: isWellFormed,
    });
    open.push(t);
    await t.connect(room, { userId: `${who}-id`, name: who });
    return t;
  };
  const direct = (a: WebRtcTransport<ChatEvents>, b: WebRtcTransport<ChatEvents>) =>
    waitUntil(() => a.linkOf(b.selfId) === 'direct', 'no data channel', { timeout: 10_000 });

  it('delivers every message once across the moment the link opens, the direct ones in order', async () => {
    const room = freshRoom();
    const a = await join(room, 'Ann');
    const b = await join(room, 'Bob');
    const got: number[] = [];
    b.on('chat:message', (env) => got.push(Number(textOf(env))));
    // Sent from the start: through the relay, then possibly into simple-peer's stream before
    // Bob's side says "connect", then through the channel listener.
    const sentDirect: number[] = [];
    let i = 0;
    for (; i < 400 && (a.linkOf(b.selfId) !== 'direct' || sentDirect.length < 60); i++) {
      if (a.linkOf(b.selfId) === 'direct') sentDirect.push(i);
      a.emit('chat:message', envelope(room, String(i), i));
      await sleep(i % 4 === 0 ? 10 : 0);
    }
    await direct(a, b);
    await waitUntil(() => got.length >= i, `${got.length} of ${i} arrived`, { timeout: 10_000 });
    await sleep(200); // nothing more may come: no message twice
    expect([...got].sort((x, y) => x - y)).to.deep.equal(Array.from({ length: i }, (_, n) => n));
    expect(got.filter((n) => sentDirect.includes(n))).to.deep.equal(sentDirect);
  });

  it("hands a channel's message to the app within its message event, through the checks", async () => {
    const room = freshRoom();
    const a = await join(room, 'Ann');
    const b = await join(room, 'Bob');
    await direct(b, a);
    const channel = channelTo(b, a.selfId);
    const got: string[] = [];
    b.on('chat:message', (env, meta) => got.push(`${textOf(env)} from ${meta.from}`));
    // Synchronously: no queue nor microtask between the channel and the listeners.
    channel.onmessage!(message(frameOf(envelope(room, 'at once'))));
    expect(got).to.deep.equal([`at once from ${a.selfId}`]);
    // The door still checks what comes: a malformed envelope, a reserved event, too many bytes.
    channel.onmessage!(message(JSON.stringify(['chat:message', [{ text: 'no envelope' }]])));
    channel.onmessage!(message(JSON.stringify(['error', [{}]])));
    const oversize = b.dropped.oversize;
    channel.onmessage!(message(new ArrayBuffer(b.payloadCap + 4096)));
    channel.onmessage!(message(frameOf(envelope(room, 'x'.repeat(b.payloadCap + 4096)))));
    expect(b.dropped.oversize).to.equal(oversize + 2);
    expect(got).to.have.lengthOf(1);
  });

  it('ignores what a dropped link still delivers', async () => {
    const room = freshRoom();
    const a = await join(room, 'Ann');
    const b = await join(room, 'Bob');
    await direct(b, a);
    const channel = channelTo(b, a.selfId);
    const onmessage = channel.onmessage!;
    const got: string[] = [];
    b.on('chat:message', (env) => got.push(textOf(env)));
    (b as unknown as Insides).dropLink(a.selfId);
    onmessage.call(channel, message(frameOf(envelope(room, 'too late'))));
    await sleep(50);
    expect(got).to.deep.equal([]);
  });
});
