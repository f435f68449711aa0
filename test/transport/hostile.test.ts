/**
 * Hostile peers against the transports' one receive check: a doctored WebRTC peer sending raw
 * frames on its own links, and a raw BroadcastChannel in the page posting anything structured
 * clone can carry. Each test pins a defence down and fails without it.
 */
import { expect, waitUntil } from '@open-wc/testing';
import { isWellFormed, type ChatEvents } from '../../src/protocol/chat-events.js';
import { MAX_TIME } from '../../src/protocol/fields.js';
import { BroadcastTransport } from '../../src/transport/broadcast.js';
import type { PeerHello } from '../../src/transport/types.js';
import { WebRtcTransport } from '../../src/transport/webrtc.js';
import { serverUrl } from '../support/server-url.js';
import { TEST_AUTHOR } from '../support/identity.js';
import { PROTOCOL_VERSION } from '../../src/protocol/version.js';
import { envelope, freshRoom, rawTab as rawChannel, testSigner, textOf } from './contract.js';

const url = await serverUrl();

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A doctored peer's tools: its relay socket and raw frames on its own links. */
type Insides = {
  relay: { socket: { connected: boolean; disconnect(): void } | undefined };
  links: Map<string, { peer: { send(frame: string): void } }>;
};
const insides = (t: WebRtcTransport<ChatEvents>) => t as unknown as Insides;

/** Waits until `a` reaches `b` over a direct data channel. */
async function directly(a: WebRtcTransport<ChatEvents>, b: WebRtcTransport<ChatEvents>) {
  await waitUntil(() => a.linkOf(b.selfId) === 'direct', 'a data channel', { timeout: 5000 });
}

/** Every uncaught page error while `fn` runs (a listener that threw is rethrown there). */
function pageErrors(): { errors: unknown[]; stop(): void } {
  const errors: unknown[] = [];
  const onError = (e: ErrorEvent) => errors.push(e.error ?? e.message);
  window.addEventListener('error', onError);
  return { errors, stop: () => window.removeEventListener('error', onError) };
}

describe('hostile: a doctored WebRTC peer', function () {
  this.timeout(30000);
  const open: { close(): void }[] = [];
  const join = async (room: string, who: string, accept?: typeof isWellFormed) => {
    const signer = await testSigner();
    const t = new WebRtcTransport<ChatEvents>({ url, iceServers: [], accept, signer });
    open.push(t);
    await t.connect(room, { userId: `${who}-id`, name: who });
    return t;
  };
  afterEach(() => open.splice(0).forEach((t) => t.close()));

  async function pair(accept?: typeof isWellFormed) {
    const room = freshRoom();
    const a = await join(room, 'Ann', accept);
    const eve = await join(room, 'Eve');
    await directly(a, eve);
    await directly(eve, a);
    const raw = (frame: string) => insides(eve).links.get(a.selfId)!.peer.send(frame);
    return { room, a, eve, raw };
  }

  it('never lets a surplus argument pose as the meta where the app says what it accepts', async () => {
    const { room, a, eve, raw } = await pair(isWellFormed);
    const seen: string[] = [];
    // Written as the app writes its listeners (room-controller.ts): the argument, then the meta.
    a.on('chat:message', (env, meta) => seen.push(`${textOf(env)} from ${meta.from}`));
    raw(JSON.stringify(['chat:message', [envelope(room, 'spoofed'), { from: 'bob-connection' }]]));
    raw(JSON.stringify(['chat:message', [envelope(room, 'plain')]]));
    await waitUntil(() => seen.some((s) => s.startsWith('plain ')), 'the plain frame', {
      timeout: 4000,
    });
    // Either the frame with a surplus argument is dropped, or its meta is the link it came on.
    for (const s of seen)
      expect(s, 'the sender is the link, never the payload').to.match(
        new RegExp(` from ${eve.selfId}$`),
      );
  });

  it('drops reserved, odd and malformed names, non-lists, deep, non-finite and huge frames', async () => {
    const { room, a, eve, raw } = await pair();
    const heard: string[] = [];
    a.on('chat:message', (env) => heard.push(textOf(env)));
    const reservedHeard: string[] = [];
    for (const ev of ['open', 'close', 'error', 'state', 'peer-join', 'peer-leave', 'peer-update'])
      (a.on as (e: string, fn: () => void) => () => void)(ev, () => reservedHeard.push(ev));
    const errs = pageErrors();
    const env = envelope(room, 'bad');
    let deep: unknown = env;
    for (let i = 0; i < 40; i++) deep = [deep];
    const frames = [
      ...['open', 'close', 'error', 'state', 'peer-join', 'peer-leave', 'peer-update'].map((ev) =>
        JSON.stringify([ev, [a.selfId]]),
      ),
      JSON.stringify(['', [env]]),
      JSON.stringify(['x'.repeat(65), [env]]),
      JSON.stringify([42, [env]]),
      JSON.stringify([null, [env]]),
      JSON.stringify(['chat:message', env]), // not a list of arguments
      JSON.stringify(['chat:message', 'text']),
      JSON.stringify(['chat:message', null]),
      JSON.stringify(['chat:message', { 0: env, length: 1 }]),
      JSON.stringify(['chat:message', [env], 'bob-connection']), // a third element: a sender?
      JSON.stringify([['chat:message', [env]]]),
      JSON.stringify(['chat:message', [deep]]), // 41 levels
      `["chat:message",[{"n":1e999}]]`, // parses to Infinity
      JSON.stringify(['chat:message', [envelope(room, 'x'.repeat(65 * 1024))]]), // over the cap
      JSON.stringify(['chat:message', [envelope(room, '€'.repeat(22 * 1024))]]), // 66 KB of UTF-8
      `["chat:message",[${'['.repeat(60_000)}`, // unterminated, 60k deep (parsed: under the cap)
      `["chat:message",[${'['.repeat(30_000)}${']'.repeat(30_000)}]]`, // 30k deep, well formed
      `["chat:message",[${'['.repeat(100_000)}`, // over the cap: not even parsed
      '\u0000hb\u0000', // almost a heartbeat
      '',
    ];
    for (const f of frames) raw(f);
    // Odd but legal names reach only their own (absent) listeners and break nothing.
    for (const ev of ['__proto__', 'constructor', 'hasOwnProperty', 'toString', 'on'])
      raw(JSON.stringify([ev, [env]]));
    raw(JSON.stringify(['chat:message', [envelope(room, 'within the rules')]]));
    await waitUntil(() => heard.length > 0, 'the frame within the rules', { timeout: 4000 });
    await sleep(50);
    errs.stop();
    expect(heard).to.deep.equal(['within the rules']);
    expect(reservedHeard).to.deep.equal([]);
    expect(errs.errors).to.deep.equal([]);
    expect(a.peers.has(eve.selfId)).to.equal(true);
    expect(a.linkOf(eve.selfId)).to.equal('direct');
    expect(a.state).to.equal('open');
  });

  it('delivers a frame exactly at the cap (in UTF-8 bytes) and nothing over it', async () => {
    const { room, a, raw } = await pair();
    const heard: number[] = [];
    a.on('chat:message', (env) => heard.push(textOf(env).length));
    const base = JSON.stringify([envelope(room, '')]).length;
    // '€' is 3 bytes: fill to exactly 65,536 bytes of argument JSON, then one byte more.
    const fill = 64 * 1024 - base;
    const exact = envelope(room, '€'.repeat(Math.floor(fill / 3)) + 'a'.repeat(fill % 3));
    const over = envelope(room, exact.body.text + 'a');
    // And in plain ASCII, where the frame is as long in characters as in bytes.
    const ascii = envelope(room, 'a'.repeat(64 * 1024 - base));
    for (const e of [exact, ascii])
      expect(new TextEncoder().encode(JSON.stringify([e])).length).to.equal(64 * 1024);
    raw(JSON.stringify(['chat:message', [over]]));
    raw(JSON.stringify(['chat:message', [exact]]));
    raw(JSON.stringify(['chat:message', [ascii]]));
    await waitUntil(() => heard.length > 1, 'both frames at the cap', { timeout: 4000 });
    await sleep(50);
    expect(heard).to.deep.equal([exact.body.text.length, ascii.body.text.length]);
  });
});

describe('hostile: a raw BroadcastChannel in the page', function () {
  this.timeout(20000);
  const opened: { close(): void }[] = [];
  afterEach(() => opened.splice(0).forEach((x) => x.close()));

  async function tab(room: string, name: string, accept?: typeof isWellFormed) {
    const t = new BroadcastTransport<ChatEvents>({
      heartbeatMs: 60_000,
      timeoutMs: 120_000,
      accept,
    });
    opened.push(t);
    await t.connect(room, { userId: `${name}-id`, name });
    return t;
  }
  const rawTab = (room: string) => rawChannel(room, opened);
  const hello = (id: string, extra: Record<string, unknown> = {}) => ({
    id,
    userId: `${id}-user`,
    name: 'Ghost',
    since: Date.now(),
    v: PROTOCOL_VERSION,
    ...extra,
  });

  it('never lets a surplus argument pose as the meta where the app says what it accepts', async () => {
    const room = freshRoom();
    const t = await tab(room, 'Ann', isWellFormed);
    const raw = rawTab(room);
    const seen: string[] = [];
    t.on('chat:message', (env, meta) => seen.push(`${textOf(env)} from ${meta.from}`));
    const env = envelope(room, 'spoofed');
    raw.postMessage({ t: 'event', from: 'x', ev: 'chat:message', args: [env, { from: 'bob' }] });
    const plain = envelope(room, 'plain');
    raw.postMessage({ t: 'event', from: 'x', ev: 'chat:message', args: [plain] });
    await waitUntil(() => seen.some((s) => s.startsWith('plain ')), 'the plain frame', {
      timeout: 4000,
    });
    for (const s of seen)
      expect(s, 'the sender is the frame’s, never an argument').to.match(/ from x$/);
  });

  it('checks hellos with the one schema: unknown fields dropped, bad ones refused', async () => {
    const room = freshRoom();
    const t = await tab(room, 'Ann');
    const raw = rawTab(room);
    const joined: PeerHello[] = [];
    t.on('peer-join', (h) => joined.push(h));
    const bad = [
      hello('neg', { since: -1 }),
      hello('frac', { since: 1.5 }),
      hello('nan', { since: 'now' }),
      hello('p2p', { p2p: 'yes' }),
      hello('name', { name: ' padded ' }),
      hello('long', { userId: 'u'.repeat(65) }),
      { id: 'missing', name: 'Ghost', since: 1 },
      hello('other-id'), // speaks for someone else than its sender
    ];
    const froms = ['neg', 'frac', 'nan', 'p2p', 'name', 'long', 'missing', 'liar'];
    bad.forEach((h, i) => raw.postMessage({ t: 'hello', from: froms[i], hello: h, reply: false }));
    raw.postMessage({
      t: 'hello',
      from: 'extra',
      // The latest time a hello may carry (a Date must hold it): odd, but well formed.
      hello: hello('extra', { isAdmin: true, p2p: true, since: MAX_TIME }),
      reply: false,
    });
    await waitUntil(() => joined.length > 0, 'the good hello', { timeout: 4000 });
    await sleep(50);
    expect(joined.map((h) => h.id)).to.deep.equal(['extra']);
    expect(joined[0]).to.not.have.property('isAdmin');
    expect(Object.keys(t.peers.get('extra')!).sort()).to.deep.equal(
      ['id', 'name', 'p2p', 'since', 'userId', 'v'].sort(),
    );
    expect([...t.peers.keys()]).to.deep.equal(['extra']);
  });

  it('drops a hello whose key is not the one of its user id, and the frames it rides on', async () => {
    const room = freshRoom();
    const t = await tab(room, 'Ann');
    const raw = rawTab(room);
    const joined: PeerHello[] = [];
    t.on('peer-join', (h) => joined.push(h));
    const heard: string[] = [];
    t.on('chat:message', (env, meta) => heard.push(`${textOf(env)} from ${meta.from}`));
    // Somebody's key under another account's id: a tab posing as that account.
    const liar = hello('liar', { userId: 'ann-account', key: TEST_AUTHOR.key });
    raw.postMessage({ t: 'hello', from: 'liar', hello: liar, reply: false });
    const lying = { t: 'event', from: 'liar', ev: 'chat:message', hello: liar };
    raw.postMessage({ ...lying, args: [envelope(room, 'as Ann')] });
    // The same key under its own id is believed, after the liar's frames and in order.
    const honest = hello('honest', { userId: TEST_AUTHOR.id, key: TEST_AUTHOR.key });
    raw.postMessage({ t: 'hello', from: 'honest', hello: honest, reply: false });
    const fair = { t: 'event', from: 'honest', ev: 'chat:message', hello: honest };
    raw.postMessage({ ...fair, args: [envelope(room, 'one')] });
    raw.postMessage({ ...fair, args: [envelope(room, 'two')] });
    await waitUntil(() => heard.length >= 2, 'the honest messages', { timeout: 4000 });
    await sleep(50);
    expect(joined.map((h) => h.id)).to.deep.equal(['honest']);
    expect(t.peers.get('honest')).to.include({ userId: TEST_AUTHOR.id, key: TEST_AUTHOR.key });
    expect(t.peers.has('liar')).to.equal(false);
    expect(heard).to.deep.equal(['one from honest', 'two from honest']);
  });

  /**
   * The receiving tab in a worker, so a frame that freezes it cannot freeze the test: it reports
   * each message's text and any error, and is terminated at the end whatever happened.
   */
  async function victimInWorker(room: string) {
    const mod = new URL('../../src/transport/broadcast.ts', import.meta.url).href;
    const src = `
      import { BroadcastTransport } from ${JSON.stringify(mod)};
      self.addEventListener('error', (e) => postMessage({ error: String(e.message) }));
      const t = new BroadcastTransport({ heartbeatMs: 60000, timeoutMs: 120000, discoveryMs: 20 });
      t.on('chat:message', (env) => postMessage({ got: env.body.text }));
      await t.connect(${JSON.stringify(room)}, { userId: 'victim-id', name: 'Victim' });
      postMessage({ ready: t.selfId });
    `;
    const blobUrl = URL.createObjectURL(new Blob([src], { type: 'text/javascript' }));
    const worker = new Worker(blobUrl, { type: 'module' });
    const got: string[] = [];
    const errors: string[] = [];
    let ready = false;
    worker.onmessage = (e: MessageEvent<{ got?: string; error?: string; ready?: string }>) => {
      if (e.data.got !== undefined) got.push(e.data.got);
      if (e.data.error !== undefined) errors.push(e.data.error);
      if (e.data.ready !== undefined) ready = true;
    };
    worker.onerror = (e) => {
      errors.push(String(e.message));
      e.preventDefault();
    };
    opened.push({
      close: () => {
        worker.terminate();
        URL.revokeObjectURL(blobUrl);
      },
    });
    await waitUntil(() => ready || errors.length > 0, 'the worker tab', { timeout: 8000 });
    expect(errors, 'the worker tab started').to.deep.equal([]);
    return { got, errors };
  }

  for (const [what, bomb] of [
    [
      'a sparse argument list of length 2³²−1',
      () => new Array(2 ** 32 - 1) as unknown[], // a few bytes to clone; 4.3 billion holes to walk
    ],
    [
      'shared references 32 levels deep',
      () => {
        // 32 small arrays, each listing the next one twice: the check walks 2³² nodes.
        let node: unknown[] = [];
        for (let i = 0; i < 31; i++) node = [node, node];
        return [node];
      },
    ],
  ] as const) {
    it(`refuses ${what} at once: the check stops where the cap is passed`, async () => {
      const room = freshRoom();
      const victim = await victimInWorker(room);
      const raw = rawTab(room);
      raw.postMessage({
        t: 'event',
        from: 'x',
        ev: 'chat:message',
        args: [envelope(room, 'before')],
      });
      await waitUntil(() => victim.got.includes('before'), 'a message before the bomb', {
        timeout: 4000,
      });
      raw.postMessage({ t: 'event', from: 'x', ev: 'chat:message', args: bomb() });
      raw.postMessage({
        t: 'event',
        from: 'x',
        ev: 'chat:message',
        args: [envelope(room, 'after')],
      });
      // Refusing a frame over a 64 KiB cap takes microseconds; a check that walked the whole
      // value kept the tab busy for minutes (and then threw), so the next message never came.
      await waitUntil(() => victim.got.includes('after'), 'the message after the bomb', {
        timeout: 5000,
      });
      expect(victim.errors).to.deep.equal([]);
    });
  }
});
