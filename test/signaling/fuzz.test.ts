/**
 * Fuzz test: over 10,000 malformed engine.io/Socket.IO frames are thrown at a real server
 * process (the built bundle) while two honest clients chat in a room. The process must never
 * exit, its memory must stay bounded and the honest chat must be untouched. Each connection
 * draws its frames from a seeded generator: replay a run with `PARLEY_FUZZ_SEED=<seed>`
 * (printed); `PARLEY_FUZZ_FRAMES` sets how many frames (default 20,000).
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, describe, it } from 'node:test';
import WebSocket from 'ws';
import { createIdentity, type Identity } from '../../src/protocol/identity.js';
import { SIGNATURE_SHAPED, TEST_AUTHOR } from '../support/identity.js';
import { freePort, spawnServer, type ServerProcess } from '../support/processes.js';
import { envelope, joinedClient, provenJoin, until, type Client } from './helpers.js';

const SEED = Number(process.env.PARLEY_FUZZ_SEED) || 1 + (Date.now() % 2 ** 31);
const TOTAL_FRAMES = Number(process.env.PARLEY_FUZZ_FRAMES) || 20_000;
const FUZZERS = 8;
const FRAME_CAP = 2 * 65536 + 4096; // maxHttpBufferSize at the default PARLEY_MAX_PAYLOAD
const SYNC_ID = 1_000_000; // ack ids from here up are sync frames; fuzz frames use < 1000
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const j = JSON.stringify;

/** xorshift32: tiny and seeded, so a failing run can be replayed. */
function prng(seed: number) {
  let s = seed >>> 0 || 1;
  const int = (n: number) => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return Math.floor(((s >>> 0) / 2 ** 32) * n);
  };
  return { int, pick: <T>(xs: readonly T[]): T => xs[int(xs.length)]! };
}
type Rng = ReturnType<typeof prng>;

/** Resident memory of a process in MiB, from procfs (NaN once it is gone). */
function rssMiB(pid: number): number {
  try {
    const kib = /VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
    return Math.round(Number(kib) / 1024);
  } catch {
    return NaN;
  }
}

/** A text frame, a binary frame, or a text frame that is not valid UTF-8. */
type Frame = string | Buffer | { utf8: Buffer };

/**
 * One raw engine.io v4 connection that speaks just enough protocol (open, namespace connect,
 * pong) to put any frame in front of the server, and tallies the errors it gets back.
 */
class RawConn {
  ws: WebSocket | undefined;
  sid = '';
  closed = false;
  sent = 0;
  signals = 0;
  syncs = 0;
  opens = 0;
  codes = new Map<string, number>();
  floodNotice = false;
  /** Answers saying a handler threw: caught by `guardedOn`, but a gap in validation. */
  thrown = 0;
  private waiting = new Map<number, () => void>();
  private nextSync = SYNC_ID;

  constructor(private readonly port: number) {}

  get open(): boolean {
    return this.ws?.readyState === WebSocket.OPEN && this.sid !== '';
  }

  /** (Re)connects and enters the main namespace; false if the server would not have us. */
  connect(): Promise<boolean> {
    [this.sid, this.closed] = ['', false];
    this.opens++;
    const ws = new WebSocket(`ws://127.0.0.1:${this.port}/socket.io/?EIO=4&transport=websocket`);
    this.ws = ws;
    return new Promise((resolve) => {
      const timer = setTimeout(() => ws.terminate(), 5000);
      const done = (ok: boolean) => (clearTimeout(timer), resolve(ok));
      ws.on('message', (data, binary) => {
        const text = binary ? '' : data.toString();
        if (text.startsWith('0')) ws.send('40');
        else if (text === '2') ws.send('3');
        else if (text.startsWith('40{')) {
          this.sid = (JSON.parse(text.slice(2)) as { sid: string }).sid;
          done(true);
        } else this.tally(text);
      });
      ws.on('error', () => {}); // being cut off is expected
      ws.on('close', () => {
        if (ws !== this.ws) return;
        this.closed = true;
        this.waiting.forEach((wake) => wake());
        done(false);
      });
    });
  }

  /** Counts `relay:error` frames and refused acks by code; wakes sync waiters. */
  private tally(text: string): void {
    type Err = { code?: string; message?: string } | undefined;
    const ack = /^43(\d+)(\[.*)$/s.exec(text);
    if (ack && Number(ack[1]) >= SYNC_ID) return this.waiting.get(Number(ack[1]))?.();
    let err: Err;
    if (ack) err = (JSON.parse(ack[2]!) as [{ error?: Err }])[0].error;
    if (text.startsWith('42["relay:error"')) err = (JSON.parse(text.slice(2)) as [0, Err])[1];
    if (!err?.code) return;
    this.codes.set(err.code, (this.codes.get(err.code) ?? 0) + 1);
    if (/^disconnected: more than/.test(err.message ?? '')) this.floodNotice = true;
    if (/could not read this frame|failed on the server/.test(err.message ?? '')) this.thrown++;
  }

  /** Sends one frame if still open, waiting while the send buffer is full. */
  async send(frame: Frame): Promise<boolean> {
    while (this.open && this.ws!.bufferedAmount > 512 * 1024) await sleep(5);
    if (!this.open) return false;
    if (typeof frame === 'string' || Buffer.isBuffer(frame)) this.ws!.send(frame);
    else this.ws!.send(frame.utf8, { binary: false });
    this.sent++;
    if (typeof frame === 'string' && frame.includes('"signal:to"')) this.signals++;
    return true;
  }

  /**
   * Resolves once the server has handled all we sent (its answer to an acked, refused join
   * comes after them) or dropped us, so frames are read, not lost in a buffer. Unanswered
   * (after `41` the server ignores our events), it hangs up so we reconnect.
   */
  sync(): Promise<void> {
    if (!this.open) return Promise.resolve();
    const id = this.nextSync++;
    this.syncs++;
    return new Promise((resolve) => {
      const timer = setTimeout(() => (this.close(), resolve()), 1000);
      this.waiting.set(id, () => (clearTimeout(timer), this.waiting.delete(id), resolve()));
      this.ws!.send(`42${id}["relay:join",null]`);
    });
  }

  close(): void {
    this.ws?.terminate();
  }
}

/** What a generator aims at: its own room and connection ids seen so far. */
interface Ctx {
  room: string;
  ids: string[];
  /** Joins proven for this connection (the relay takes no other), so leaves can be undone. */
  joins: string[];
}

const PROTO = ['__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty', 'valueOf'];
const FRAMES = ['relay:join', 'relay:leave', 'relay:emit', 'relay:to', 'signal:to'];
const me = (p2p = false) => `{"userId":"fz","name":"Fuzz"${p2p ? ',"p2p":true' : ''}}`;
const ackId = (r: Rng) => (r.int(2) ? String(r.int(1000)) : '');
let envs = 0;
// Shaped as the relay's schema wants (a real public key, a signature-long `sig`) so frames get
// past it; the relay never verifies signatures.
const author = j({ id: TEST_AUTHOR.id, name: 'Fuzz', key: TEST_AUTHOR.key });
const env = (room: string, body = '{"text":"hi"}') =>
  `{"id":"e${envs++}","room":${j(room)},"from":${author},"ts":1,"seq":0,"sig":"${SIGNATURE_SHAPED}","body":${body}}`;
/** `n` nested arrays (odd `n`) or objects (even `n`) around `inner`. */
const nest = (n: number, inner = '1') =>
  n % 2 ? '['.repeat(n) + inner + ']'.repeat(n) : '{"a":'.repeat(n) + inner + '}'.repeat(n);
const placeholder = (n: unknown) => `{"_placeholder":true,"num":${j(n)}}`;
const bytes = (r: Rng) => Buffer.alloc(r.int(64), r.int(256));
const LEAVES = [
  ...'null 0 -1 1e308 3.5 9007199254740993 true [] {} "" "calm" "room:calm" "😀"'.split(' '),
  ...['\u0000', '\ud800', 'a'.repeat(70), ...PROTO].map((s) => j(s)),
  `{"room":"constructor","me":${me(true)}}`,
  ...[9, 50, 501].map((n) => nest(n)),
];

/** Any JSON value, biased towards the ones validators trip over. */
function junk(r: Rng, depth = 0): string {
  if (depth > 2 || r.int(3)) return r.pick(LEAVES);
  const [a, b] = [junk(r, depth + 1), junk(r, depth + 1)];
  return r.int(2) ? `[${a},${b}]` : `{${j(r.pick([...PROTO, 'room', 'me', 'type']))}:${a}}`;
}

/** A well-formed frame (so that truncating or repeating it bites). */
function validFrame(r: Rng, c: Ctx): string {
  const name = r.pick([c.room, 'fz-shared', 'calm', 'constructor', `fz-${r.int(40)}`]);
  const room = j(name);
  const [event, arg] = r.pick<[string, string]>([
    ['chat:message', env(name)],
    ['chat:message', env('fz-shared', `{"__proto__":{"x":1},"k":${nest(301)}}`)],
    ['chat:typing', `{"room":${room},"userId":"fz","name":"Fuzz","typing":true}`],
    ['chat:ack', `{"room":${room},"by":"fz","ids":["a"]}`],
    ['chat:sync-req', `{"room":${room},"since":0,"limit":10}`],
  ]);
  const to = j(r.pick([...c.ids.slice(-12), 'room:calm', 'calm', 'nobody', 'constructor']));
  const signal = r.pick([
    '{"type":"offer","sdp":"v=0"}',
    '{"type":"candidate","candidate":{"candidate":"a=x"}}',
    '{"renegotiate":true}',
  ]);
  return r.pick([
    `42${ackId(r)}["relay:join",{"room":${room},"me":${me(r.int(2) === 0)},"v":"1.0"}]`,
    r.pick(c.joins.length ? c.joins : ['42[]']),
    `42["relay:leave",${room}]`,
    `42["relay:emit","${event}",[${arg}]${r.int(4) ? '' : `,[${to}]`}]`,
    `42["relay:to",${to},"${event}",[${arg}]]`,
    `42["signal:to",${to},${signal}]`,
  ]);
}

/** Weighted draws of malformed input; some draws are several frames (binary, floods). */
type Gen = { weight: number; gen: (r: Rng, c: Ctx) => Frame[] };
const w = (weight: number, gen: Gen['gen']): Gen => ({ weight, gen });
const generators: Gen[] = [
  // engine.io packets of wrong types, and text that is not UTF-8
  w(2, (r) => [r.pick(['', ...'9 x 7 8abc b!!! bAAAA 1 5 6 2 3 4'.split(' ')])]),
  w(1, () => [{ utf8: Buffer.from([0x34, 0x32, 0xff, 0xfe, 0x5b]) }]),
  // Socket.IO packets of wrong types, namespaces, attachment counts and ack ids
  w(3, (r) => [
    r.pick(
      `47 48[] 4x 49 44{"message":"x"} 40 40{} 41 43[] 43999[1] 4399999999999999999999[]
        40/admin, 42/nope,["relay:join"] 4- 45-[] 46-[] 45x-["a"] 450-["a"] 42[7] 42[-1,{}]
        4511-["a"] 45999999-["a"] 45-1-["a"] 451["a"] 461-[] 4212345678901234567890[]`.split(/\s+/),
    ),
  ]),
  // truncated JSON
  w(8, (r, c) => [((f) => f.slice(0, 2 + r.int(f.length - 2)))(validFrame(r, c))]),
  // payloads that are not an event array
  w(3, (r) => [`42${r.pick('{"a":1} "relay:join" 12 null true [] [null] [{}]'.split(' '))}`]),
  // huge strings, just under and over the frame cap
  w(2, (r, c) => {
    const wrap = r.pick([
      (s: string) => `42["relay:emit","chat:message",[${env(c.room, `{"text":"${s}"}`)}]]`,
      (s: string) => `42["${s}"]`,
      (s: string) => `42["relay:join",{"room":"${s}","me":${me()},"v":"1.0"}]`,
      (s: string) => `42["signal:to","x",{"type":"offer","sdp":"${s}"}]`,
      (s: string) => `42["relay:to","${s}","chat:message",[]]`,
    ]);
    const size = r.pick([FRAME_CAP - 8, FRAME_CAP - 4096, 70_000, FRAME_CAP + 1, FRAME_CAP * 2]);
    return [wrap('x'.repeat(Math.max(0, size - wrap('').length)))];
  }),
  // deep nesting (10,000 levels and more) in every argument position
  w(6, (r, c) => {
    const v = nest(r.pick([1000, 5001, 10_000, 10_001, 30_001]));
    return [
      r.pick([
        `42["relay:emit","chat:message",${v}]`,
        `42["relay:emit","chat:message",[${v}]]`,
        `42["relay:emit","chat:message",[${env(c.room, `{"deep":${v}}`)}]]`,
        `42["relay:emit","chat:message",[${env(c.room)}],${v}]`,
        `42["relay:join",${v}]`,
        `42["relay:to",${v},"chat:message",[]]`,
        `42["signal:to","x",${v}]`,
        `42["relay:nope",${v}]`,
        `42${v}`,
      ]),
    ];
  }),
  // __proto__ / constructor / prototype as rooms, events, keys and peer ids
  w(10, (r, c) => {
    const [p, room] = [j(r.pick(PROTO)), j(c.room)];
    const bad = `{"polluted":true,"p2p":true,"room":"calm"}`;
    return [
      r.pick([
        `42${ackId(r)}["relay:join",{"room":${p},"me":${me(r.int(2) === 0)},"v":"1.0"}]`,
        `42${ackId(r)}["relay:join",{"room":${room},"me":${me()},"v":"1.0",${p}:${bad}}]`,
        `42${ackId(r)}["relay:join",{"room":${room},"me":{"userId":"x","name":"Fuzz",${p}:${bad}},"v":"1.0"}]`,
        `42${ackId(r)}[${p},${junk(r)}]`,
        `42["relay:emit",${p},[${env(c.room)}]]`,
        `42["relay:emit",{${p}:1},[${env(c.room)}]]`,
        `42["relay:emit","chat:message",[${env(c.room, `{${p}:${bad},"constructor":{"prototype":${bad}}}`)}]]`,
        `42["relay:emit","chat:message",[{${p}:${env(c.room)}}]]`,
        `42["relay:to",${p},"chat:message",[${env(c.room)}]]`,
        `42["relay:leave",${p}]`,
        `42["signal:to",${p},{${p}:{"type":"offer"},"type":"offer"}]`,
      ]),
    ];
  }),
  // binary attachments: well formed, miscounted, out of range, orphaned, nested, under __proto__
  w(6, (r, c) =>
    r.pick<Frame[]>([
      [`451-["relay:emit","chat:message",[${env(c.room, `{"f":${placeholder(0)}}`)}]]`, bytes(r)],
      [`452-["relay:emit",${placeholder(0)},${placeholder(1)}]`, bytes(r), '42["relay:leave"]'],
      [`451-["signal:to","x",${placeholder(0)}]`, bytes(r), bytes(r)],
      [`451-["relay:join",${placeholder(r.pick([5, -1, 1.5, '0', null]))}]`, bytes(r)],
      [bytes(r)],
      [`461-[${placeholder(0)}]`, bytes(r)],
      [
        `451-["relay:emit","chat:message",[${env(c.room, `{"__proto__":${placeholder(0)}}`)}]]`,
        bytes(r),
      ],
      [`451-["relay:to","x","chat:message",${nest(3001, placeholder(0))}]`, bytes(r)],
    ]),
  ),
  // unknown events, including the server's own and EventEmitter's names
  w(5, (r) => {
    const name = r.pick(['relay:nope', 'signal:data', 'relay:event', 'error', 'x'.repeat(300)]);
    return [`42${ackId(r)}[${j(name)},${junk(r)}]`];
  }),
  // real frames with arguments of the wrong types and counts
  w(20, (r) => {
    const args = Array.from({ length: r.int(5) }, () => junk(r));
    return [`42${ackId(r)}[${[j(r.pick(FRAMES)), ...args].join(',')}]`];
  }),
  // well-formed frames: joins of many rooms, relays and signals to absent ids and room keys
  w(20, (r, c) => [validFrame(r, c)]),
  // floods: a run of frames with no pause
  w(2, (r, c) => Array.from({ length: 100 }, () => validFrame(r, c))),
  w(1, (r) => Array.from({ length: 100 }, () => r.pick(['43[]', '3', '6', '42["relay:leave"]']))),
];
const totalWeight = generators.reduce((n, g) => n + g.weight, 0);

function draw(r: Rng, c: Ctx): Frame[] {
  let x = r.int(totalWeight);
  for (const { weight, gen } of generators) if ((x -= weight) < 0) return gen(r, c);
  return [];
}

/** Throws frames from one connection until it sent `quota`, reconnecting whenever cut off. */
async function fuzz(
  conn: RawConn,
  r: Rng,
  c: Ctx,
  known: string[],
  quota: number,
  up: () => boolean,
) {
  const who: Identity = await createIdentity();
  let joins: string[] = [];
  for (let i = 0; i < quota * 4 && conn.sent < quota && up(); i++) {
    if (!conn.open) {
      if (!(await conn.connect())) continue;
      known.push(conn.sid);
      if (known.length > 64) known.splice(2, known.length - 64); // keep the calm ids
      // As a member, later frames get past "join first" and reach the schemas. The join is
      // proven over this connection's id (the `sid` of the namespace's connect packet).
      const profile = { name: 'Fuzz', p2p: true };
      const proven = [c.room, 'fz-shared'].map((room) =>
        provenJoin({ id: conn.sid }, room, profile, who),
      );
      joins = (await Promise.all(proven)).map((join) => `42["relay:join",${j(join)}]`);
      for (const join of joins) await conn.send(join);
      await conn.sync();
    }
    for (const frame of draw(r, { ...c, ids: known, joins })) if (!(await conn.send(frame))) break;
    await conn.sync();
  }
}

/** Two honest members of "calm" sending each other a message every 50 ms. */
async function calmPair(url: string) {
  const a = await joinedClient(url, 'calm', 'Ann');
  const b = await joinedClient(url, 'calm', 'Bob');
  const [fromA, fromB]: [string[], string[]] = [[], []];
  const say = (c: Client, ids: string[]) => {
    const e = envelope('calm', `message ${ids.length}`);
    c.socket.emit('relay:emit', 'chat:message', [e]);
    ids.push(e.id);
  };
  const timer = setInterval(() => (say(a, fromA), say(b, fromB)), 50);
  const got = (to: Client, from: Client) =>
    to.events
      .filter((e) => e.from === from.id && e.event === 'chat:message')
      .map((e) => (e.args[0] as { id: string }).id);
  return {
    a,
    b,
    /** Stops chatting; checks each message arrived once, in order, and nobody was refused. */
    async check(): Promise<number> {
      clearInterval(timer);
      const all = () => got(b, a).length >= fromA.length && got(a, b).length >= fromB.length;
      await until(all, 'every calm message', 20_000);
      await sleep(200); // room for a duplicate to show up
      assert.deepEqual(got(b, a), fromA, 'Bob got each of Ann’s messages once, in order');
      assert.deepEqual(got(a, b), fromB, 'Ann got each of Bob’s messages once, in order');
      assert.deepEqual([...a.errors, ...b.errors], [], 'no relay:error for the calm clients');
      assert.ok(a.socket.connected && b.socket.connected, 'both still connected');
      return fromA.length + fromB.length;
    },
    close: () => (clearInterval(timer), [a, b].forEach((c) => c.socket.disconnect())),
  };
}

/** The process is alive and healthy, and a newcomer can still chat with `a` both ways. */
async function assertServing(server: ServerProcess, url: string, a: Client): Promise<void> {
  assert.equal(server.child.exitCode, null, 'the server process never exited');
  assert.equal(server.child.signalCode, null);
  assert.equal((await fetch(`${url}/healthz`)).status, 200);
  const fresh = await joinedClient(url, 'calm', 'Cyd');
  const chat = async (from: Client, to: Client) => {
    const sent = envelope('calm', 'after the storm');
    from.socket.emit('relay:emit', 'chat:message', [sent]);
    const arrived = () =>
      to.events.some((e) => (e.args[0] as { id?: string } | null)?.id === sent.id);
    await until(arrived, 'a message after the fuzzing');
  };
  try {
    await chat(fresh, a);
    await chat(a, fresh);
  } finally {
    fresh.socket.disconnect();
  }
}

describe('fuzz: malformed frames never take the relay down', () => {
  const servers: ServerProcess[] = [];
  const cleanup: Array<() => void> = [];
  after(async () => {
    cleanup.forEach((f) => f());
    await Promise.all(servers.map((s) => s.kill()));
  });

  it('survives 10,000+ malformed frames with bounded memory; honest chat goes on', async (t) => {
    // Limits high enough (the most config allows) that frames reach the parsers and schemas.
    const port = await freePort();
    const server = await spawnServer(port, { PARLEY_RATE: '10000', PARLEY_BURST: '10000' });
    servers.push(server);
    const url = `http://127.0.0.1:${port}`;
    const calm = await calmPair(url);
    cleanup.push(calm.close);
    const conns = Array.from({ length: FUZZERS }, () => new RawConn(port));
    cleanup.push(() => conns.forEach((c) => c.close()));
    await sleep(500);
    const pid = server.child.pid!;
    const rssStart = rssMiB(pid);
    let rssPeak = rssStart;
    const sampler = setInterval(() => (rssPeak = Math.max(rssPeak, rssMiB(pid))), 200);
    cleanup.push(() => clearInterval(sampler));

    const started = Date.now();
    const known = [calm.a.id, calm.b.id];
    const { child } = server;
    const up = () => child.exitCode === null && child.signalCode === null;
    await Promise.all(
      conns.map((conn, i) =>
        fuzz(
          conn,
          prng(SEED + i),
          { room: `fz${i}`, ids: [], joins: [] },
          known,
          TOTAL_FRAMES / FUZZERS,
          up,
        ),
      ),
    );
    assert.ok(up(), `the server died (${child.exitCode ?? child.signalCode}); seed ${SEED}`);
    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    conns.forEach((c) => c.close());
    await sleep(1500);
    clearInterval(sampler);
    const rssEnd = rssMiB(pid);

    const sum = (f: (c: RawConn) => number) => conns.reduce((n, c) => n + f(c), 0);
    const [sent, signals] = [sum((c) => c.sent), sum((c) => c.signals)];
    const codes = new Map<string, number>();
    for (const c of conns) for (const [k, v] of c.codes) codes.set(k, (codes.get(k) ?? 0) + v);
    t.diagnostic(`seed ${SEED} (replay with PARLEY_FUZZ_SEED=${SEED})`);
    t.diagnostic(
      `${sent} fuzz frames (${sent - signals} relay, ${signals} signal:to) + ${sum((c) => c.syncs)} ` +
        `sync frames over ${sum((c) => c.opens)} connections in ${seconds} s`,
    );
    t.diagnostic(`errors sent back: ${j(Object.fromEntries(codes))}`);
    // Not asserted: the handlers catch these; each is a validation gap worth a look.
    t.diagnostic(`handler exceptions (caught, answered "malformed"): ${sum((c) => c.thrown)}`);
    // Handlers check before they use: a frame that makes one throw is a bug, even if caught.
    assert.equal(
      sum((c) => c.thrown),
      0,
      'no handler threw',
    );
    t.diagnostic(`server RSS: start ${rssStart} MiB, peak ${rssPeak} MiB, end ${rssEnd} MiB`);

    const chatted = await calm.check();
    t.diagnostic(`${chatted} calm messages arrived once each, in order`);
    await assertServing(server, url, calm.a);
    assert.ok(sent >= 10_000, `at least 10,000 frames sent (${sent})`);
    assert.ok(signals >= 1000, `at least 1,000 of them to the signaling server (${signals})`);
    const reached = ['malformed', 'unknown-event', 'too-large', 'invalid-room', 'unknown-peer'];
    for (const code of [...reached, 'incompatible'])
      assert.ok(codes.get(code), `frames reached the validators: some got "${code}"`);
    assert.ok(rssEnd < rssStart + 150, `RSS stays bounded: ${rssStart} → ${rssEnd} MiB`);
    assert.ok(rssPeak < rssStart + 400, `RSS peak stays bounded: ${rssPeak} MiB`);
  });

  it('cuts off flooders at the default limits while others keep chatting', async (t) => {
    const port = await freePort();
    const server = await spawnServer(port);
    servers.push(server);
    const url = `http://127.0.0.1:${port}`;
    const calm = await calmPair(url);
    cleanup.push(calm.close);
    await sleep(300);
    const r = prng(SEED);
    // Four flooders firing 400 events at once: joins, relays, signals, unknown events.
    const floods: Array<() => string> = [
      () => `421["relay:join",{"room":"fl-${r.int(99)}","me":${me()}}]`,
      () => `42["relay:emit","chat:message",[${env('flood')}]]`,
      () => `42["signal:to",${j(calm.a.id)},{"type":"offer","sdp":"v=0"}]`,
      () => `42["relay:nope",${junk(r)}]`,
    ];
    const flooders = floods.map(() => new RawConn(port));
    cleanup.push(() => flooders.forEach((f) => f.close()));
    await Promise.all(flooders.map((f) => f.connect()));
    flooders.forEach((f, i) => {
      for (let k = 0; k < 400; k++) void f.send(floods[i]!());
    });
    // Packets the rate limiter never sees (acks, pongs, noops), and connection churn.
    const quiet = new RawConn(port);
    cleanup.push(() => quiet.close());
    await quiet.connect();
    for (let k = 0; k < 5000; k++) await quiet.send(r.pick(['43[]', '3', '6']));
    for (let k = 0; k < 100; k++) {
      const churn = new RawConn(port);
      await churn.connect();
      churn.close();
    }
    await until(() => flooders.every((f) => f.closed), 'every flooder to be cut off', 5000);
    for (const f of flooders) {
      assert.ok(f.floodNotice, 'each flooder was told why it was disconnected');
      assert.ok(f.codes.get('rate-limited'), 'with the rate-limited code');
    }
    t.diagnostic(`flooders sent ${flooders.map((f) => f.sent).join(', ')} frames before the cut`);
    const chatted = await calm.check();
    t.diagnostic(`${chatted} calm messages arrived once each, in order, during the floods`);
    await assertServing(server, url, calm.a);
  });
});
