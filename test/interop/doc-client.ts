/**
 * A Parley client written only from docs/PROTOCOL.md — plain `socket.io-client` and WebCrypto,
 * nothing of Parley's own code (lint forbids imports of src/ and signaling/ here) — so the tests
 * that run it prove the document is enough to write one. It makes its own Ed25519 identity,
 * connects with a handshake secret (§4.2), joins with a proof (§5), tracks members (§6.1),
 * sends signed messages (§8) — sealed under a passphrase key in an encrypted room (§11) —
 * checks every message it receives, acknowledges what it keeps (§9.1), takes receipts, and
 * answers catch-up requests from what it holds (§10). Started as a 1.4 member it also says, signed,
 * that it is here (§9.4) and signs its receipts (§9.1); as 1.0 (the default) it does neither.
 */
import { io, type Socket } from 'socket.io-client';

const VERSION = '1.0'; // §14
const PURPOSE = {
  envelope: 'parley/envelope/1',
  join: 'parley/join/1',
  here: 'parley/here/1',
  ack: 'parley/ack/1',
} as const; // §2.2
const HELLO_EVERY_MS = 30_000; // §9.4
const SEALED = 'aes-256-gcm/1'; // §11.2
const SKEW_MS = 5 * 60_000; // §8.2
const RESEND_MS = [3_000, 6_000, 12_000, 24_000, 48_000]; // §8.4
const PAGE = { messages: 200, bytes: 48 * 1024 }; // §10

const encoder = new TextEncoder();
const decoder = new TextDecoder();
const b64u = (bytes: Uint8Array | ArrayBuffer) =>
  Buffer.from(bytes instanceof ArrayBuffer ? new Uint8Array(bytes) : bytes).toString('base64url');

/** The bytes of a canonical base64url text (§2), or undefined. */
function fromB64u(text: unknown): Uint8Array<ArrayBuffer> | undefined {
  if (typeof text !== 'string' || !/^[A-Za-z0-9_-]*$/.test(text) || text.length % 4 === 1)
    return undefined;
  const bytes = new Uint8Array(Buffer.from(text, 'base64url'));
  return b64u(bytes) === text ? bytes : undefined;
}

/** Canonical JSON (§2.1). */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object')
    return `{${Object.keys(value)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonicalJson((value as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  return JSON.stringify(value) ?? 'null';
}

/** User id of a key text (§3.2). */
async function userIdOf(keyText: string): Promise<string> {
  return b64u(await crypto.subtle.digest('SHA-256', encoder.encode(keyText))).slice(0, 22);
}

/** A UUIDv7 (RFC 9562): 48 bits of ms, version, random. */
function uuidv7(): string {
  const b = crypto.getRandomValues(new Uint8Array(16));
  const ms = Date.now();
  for (let i = 0; i < 6; i++) b[i] = Math.floor(ms / 2 ** (8 * (5 - i))) & 0xff;
  b[6] = 0x70 | (b[6]! & 0x0f);
  b[8] = 0x80 | (b[8]! & 0x3f);
  const h = Buffer.from(b).toString('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

/** A hello (§5.3), as far as this client reads one. */
export interface Hello {
  id: string;
  userId: string;
  name: string;
  since: number;
  key?: string;
  p2p?: boolean;
  v?: string;
}

/** An envelope (§8.1). */
export interface Envelope {
  id: string;
  room: string;
  from: { id: string; name: string; key: string };
  ts: number;
  seq: number;
  body: Record<string, unknown>;
  sig: string;
}

/** A message this client accepted: who sent it (peer id), the envelope, what it says. */
export interface Received {
  from: string;
  env: Envelope;
  /** The text, or undefined for a kind this client does not read or a body it cannot open. */
  text: string | undefined;
  /** Whether the body was sealed (and opened). */
  sealed: boolean;
}

/** How to start a client. */
export interface DocClientOptions {
  url: string;
  room: string;
  name: string;
  /** The room's passphrase (§11.1): messages are sealed and opened with its key. */
  passphrase?: string;
}

/** A refusal from the server: its code and sentence (§5.4, §6.3). */
export class RelayRefusal extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

const isObj = (x: unknown): x is Record<string, unknown> =>
  typeof x === 'object' && x !== null && !Array.isArray(x);
const isStr = (x: unknown, min: number, max: number): x is string =>
  typeof x === 'string' && x.length >= min && x.length <= max;
const isInt = (x: unknown, min: number, max: number): x is number =>
  Number.isInteger(x) && (x as number) >= min && (x as number) <= max;

/** Whether `x` has the envelope's shape (§8.1; the name and room patterns are the server's). */
function isEnvelope(x: unknown): x is Envelope {
  if (!isObj(x) || !isObj(x.from) || !isObj(x.body)) return false;
  return (
    isStr(x.id, 1, 64) &&
    isStr(x.room, 1, 64) &&
    isStr(x.from.id, 1, 64) &&
    isStr(x.from.name, 2, 32) &&
    isStr(x.from.key, 1, 128) &&
    isInt(x.ts, 0, 8.64e15) &&
    isInt(x.seq, 0, Number.MAX_SAFE_INTEGER) &&
    isStr(x.sig, 1, 100)
  );
}

/** A client in one room; see the module comment. */
export class DocClient {
  /** The other members by peer id (§6.1). */
  readonly members = new Map<string, Hello>();
  /** Messages accepted, in order of arrival. */
  readonly received: Received[] = [];
  /** Everything this client holds of the room (its own and others'), by id. */
  private readonly history = new Map<string, Envelope>();
  /** Receipts: message id → user ids that acknowledged it. */
  readonly acked = new Map<string, Set<string>>();
  /** Frames the server refused, as `code: message`. */
  readonly errors: string[] = [];
  /** Our peer id (the join reply's `selfId`). */
  selfId = '';
  /** The payload cap the server announced (§5.3). */
  maxPayload = 64 * 1024;
  private seq = 0;
  private readonly timers = new Set<ReturnType<typeof setTimeout>>();
  private beat: ReturnType<typeof setInterval> | undefined;
  private version = VERSION;
  private readonly waiters = new Set<() => void>();

  private constructor(
    private readonly opts: DocClientOptions,
    private readonly socket: Socket,
    private readonly privateKey: CryptoKey,
    readonly keyText: string,
    readonly userId: string,
    private readonly roomKey: CryptoKey | undefined,
  ) {}

  /** Makes an identity, derives the room key, connects and joins. Rejects with a RelayRefusal. */
  static async start(opts: DocClientOptions, version = VERSION): Promise<DocClient> {
    // §3.1: Ed25519, the public half as `ed25519:` + base64url of the raw key.
    const pair = (await crypto.subtle.generateKey({ name: 'Ed25519' }, false, [
      'sign',
      'verify',
    ])) as CryptoKeyPair;
    const keyText = `ed25519:${b64u(await crypto.subtle.exportKey('raw', pair.publicKey))}`;
    const userId = await userIdOf(keyText);
    const roomKey =
      opts.passphrase === undefined ? undefined : await passphraseKey(opts.passphrase, opts.room);
    // §4.2: a secret of our own in the handshake keeps our peer id across reconnections.
    const socket = io(opts.url, {
      transports: ['websocket'],
      forceNew: true,
      reconnection: false,
      auth: { key: b64u(crypto.getRandomValues(new Uint8Array(18))) },
    });
    const client = new DocClient(opts, socket, pair.privateKey, keyText, userId, roomKey);
    client.listen();
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', () => resolve());
      socket.once('connect_error', reject);
    });
    try {
      await client.join(version);
    } catch (err) {
      client.close();
      throw err;
    }
    return client;
  }

  private async sign(purpose: string, fields: unknown[]): Promise<string> {
    const bytes = encoder.encode(canonicalJson([purpose, ...fields]));
    return b64u(await crypto.subtle.sign({ name: 'Ed25519' }, this.privateKey, bytes));
  }

  /** §5: the join with its proof over this connection's session id; checks the reply. */
  private async join(version: string): Promise<void> {
    const { room, name } = this.opts;
    const me = { userId: this.userId, name, key: this.keyText };
    const proof = await this.sign(PURPOSE.join, [this.socket.id, room, me.userId, name, me.key]);
    const reply = (await this.socket.emitWithAck('relay:join', {
      room,
      me,
      proof,
      v: version,
    })) as Record<string, unknown>;
    // §14: the server's major first.
    if (typeof reply?.v !== 'string' || !/^1\.(0|[1-9]\d{0,3})$/.test(reply.v)) {
      const theirs = typeof reply?.v === 'string' ? reply.v.split('.')[0] : '0';
      throw new RelayRefusal(
        'incompatible',
        `This server speaks Parley protocol ${theirs}; this page speaks 1 — ${
          Number(theirs) < 1 ? 'the server needs an update' : 'reload to update'
        }.`,
      );
    }
    if (reply.ok !== true) {
      const error = reply.error as { code: string; message: string };
      throw new RelayRefusal(error.code, error.message);
    }
    this.selfId = reply.selfId as string;
    const limits = reply.limits as { maxPayload?: unknown } | undefined;
    if (isInt(limits?.maxPayload, 1024, 16 * 1024 * 1024)) this.maxPayload = limits.maxPayload;
    for (const hello of reply.peers as unknown[]) this.addMember(hello);
    this.version = version;
    if (this.signs) {
      void this.hello();
      this.beat = setInterval(() => void this.hello(), HELLO_EVERY_MS);
    }
  }

  private addMember(hello: unknown): void {
    if (!isObj(hello) || !isStr(hello.id, 1, 64) || !isStr(hello.userId, 1, 64)) return;
    if (!isStr(hello.name, 2, 32) || !isInt(hello.since, 0, 8.64e15)) return;
    this.members.set(hello.id, hello as unknown as Hello);
    this.wake();
  }

  private listen(): void {
    const s = this.socket;
    s.on('relay:presence', (room: unknown, changes: unknown) => {
      if (room !== this.opts.room || !Array.isArray(changes)) return;
      for (const c of changes.slice(0, 256)) {
        if (isObj(c) && 'join' in c) {
          this.addMember(c.join);
          // §9.4: a newcomer hears our hello at once.
          if (this.signs && isObj(c.join) && isStr(c.join.id, 1, 64)) void this.hello(c.join.id);
        }
        // A leave counts only for the join it names (§6.1).
        else if (isObj(c) && this.members.get(c.leave as string)?.since === c.since)
          this.members.delete(c.leave as string);
      }
      this.wake();
    });
    s.on('relay:error', (err: { code?: unknown; message?: unknown }) => {
      this.errors.push(`${String(err?.code)}: ${String(err?.message)}`);
    });
    s.on('relay:event', (from: unknown, event: unknown, args: unknown) => {
      if (typeof from !== 'string' || !Array.isArray(args) || args.length !== 1) return;
      const payload = args[0] as unknown;
      if (!isObj(payload) || payload.room !== this.opts.room) return;
      if (event === 'chat:message') void this.take(from, [payload], true);
      else if (event === 'chat:ack') this.receipt(from, payload);
      else if (event === 'chat:sync-req') this.answer(from, payload);
      else if (event === 'chat:sync-res' && Array.isArray(payload.messages))
        void this.take(from, payload.messages.slice(0, PAGE.messages), false);
    });
  }

  /** §8.2: checks each message on its own, keeps the good ones, acknowledges them to `from`. */
  private async take(from: string, payloads: unknown[], live: boolean): Promise<void> {
    const ids: string[] = [];
    for (const env of payloads) {
      const read = await this.check(env, live ? (this.members.get(from)?.userId ?? '') : undefined);
      if (!read) continue;
      ids.push(read.id);
      const known = this.history.get(read.id);
      if (known) continue; // a repeat (acknowledged again) or a conflict (not kept)
      this.history.set(read.id, read);
      this.received.push({ from, env: read, ...(await this.read(read)) });
    }
    if (ids.length) {
      const ack: Record<string, unknown> = {
        room: this.opts.room,
        by: this.userId,
        ids: ids.slice(0, 200),
      };
      // §9.1 (1.4): signed over room, by, ids and unread ([] when none).
      if (this.signs) {
        ack.key = this.keyText;
        ack.sig = await this.sign(PURPOSE.ack, [ack.room, ack.by, ack.ids, []]);
      }
      this.socket.emit('relay:to', from, 'chat:ack', [ack]);
    }
    this.wake();
  }

  /** The envelope in `x` if it is its author's (and, live, the sender's own), else undefined. */
  private async check(x: unknown, liveAuthor: string | undefined): Promise<Envelope | undefined> {
    if (!isEnvelope(x) || x.room !== this.opts.room || x.ts > Date.now() + SKEW_MS) return;
    const { id, from } = x;
    if (from.id.length !== 22 || !id.startsWith(from.id) || id.length <= from.id.length) return;
    if (liveAuthor !== undefined && liveAuthor !== from.id) return;
    const raw = from.key.startsWith('ed25519:') ? fromB64u(from.key.slice(8)) : undefined;
    if (raw?.length !== 32 || (await userIdOf(from.key)) !== from.id) return;
    const sig = fromB64u(x.sig);
    if (!sig || sig.length > 80) return;
    const fields = [id, x.room, from.id, from.name, from.key, x.ts, x.seq, x.body];
    const bytes = encoder.encode(canonicalJson([PURPOSE.envelope, ...fields]));
    try {
      const key = await crypto.subtle.importKey('raw', raw, { name: 'Ed25519' }, false, ['verify']);
      if (!(await crypto.subtle.verify({ name: 'Ed25519' }, key, sig, bytes))) return;
    } catch {
      return;
    }
    // Fixed top-level fields: anything else is dropped unread (§8.1).
    return { id, room: x.room, from: { ...from }, ts: x.ts, seq: x.seq, body: x.body, sig: x.sig };
  }

  /** §8.3, §11.2: what a body says. */
  private async read(env: Envelope): Promise<{ text: string | undefined; sealed: boolean }> {
    let body: unknown = env.body;
    let sealed = false;
    if (isObj(body) && body.enc === SEALED) {
      if (!this.roomKey) return { text: undefined, sealed: true };
      body = await open(this.roomKey, headerOf(env), body);
      sealed = true;
    }
    if (!isObj(body) || body.enc !== undefined) return { text: undefined, sealed };
    if ((body.kind === undefined || body.kind === 'text') && isStr(body.text, 1, 8000))
      return { text: body.text, sealed };
    return { text: undefined, sealed };
  }

  /** §9.1: a receipt counts only in the name of the sender's own identity. */
  private receipt(from: string, ack: Record<string, unknown>): void {
    const by = ack.by;
    if (typeof by !== 'string' || this.members.get(from)?.userId !== by) return;
    if (!Array.isArray(ack.ids)) return;
    for (const id of ack.ids.slice(0, 200)) {
      if (typeof id !== 'string') continue;
      let set = this.acked.get(id);
      if (!set) this.acked.set(id, (set = new Set()));
      set.add(by);
    }
    this.wake();
  }

  /** §10: the newest `limit` messages from `since`, oldest first, in pages, to the asker only. */
  private answer(from: string, req: Record<string, unknown>): void {
    if (!isInt(req.since, 0, 8.64e15) || !isInt(req.limit, 1, 2000)) return;
    const since = req.since;
    const found = [...this.history.values()]
      .filter((e) => e.ts >= since)
      .sort((a, b) => a.ts - b.ts || (a.id < b.id ? -1 : 1))
      .slice(-req.limit);
    let page: Envelope[] = [];
    let bytes = 0;
    const flush = () => {
      if (page.length)
        this.socket.emit('relay:to', from, 'chat:sync-res', [
          { room: this.opts.room, messages: page },
        ]);
      page = [];
      bytes = 0;
    };
    for (const env of found) {
      const size = Buffer.byteLength(JSON.stringify(env));
      if (page.length === PAGE.messages || bytes + size > PAGE.bytes) flush();
      page.push(env);
      bytes += size;
    }
    flush();
  }

  /**
   * §8.4: sends `text` to the room — sealed in an encrypted room, signed — after checking it
   * fits the announced cap; resent until somebody acknowledges it. Resolves with the envelope.
   */
  async say(text: string): Promise<Envelope> {
    const { room, name } = this.opts;
    const header = {
      id: `${this.userId}${uuidv7()}`,
      room,
      from: { id: this.userId, name, key: this.keyText },
      ts: Date.now(),
      seq: this.seq++,
    };
    const body: Record<string, unknown> = this.roomKey
      ? await seal(this.roomKey, headerOf(header), { text })
      : { text };
    const fields = [header.id, room, this.userId, name, this.keyText, header.ts, header.seq, body];
    const env: Envelope = { ...header, body, sig: await this.sign(PURPOSE.envelope, fields) };
    // The largest frame it will travel in: a catch-up page that carries it alone (§8.4).
    const size = Buffer.byteLength(JSON.stringify([{ room, messages: [env] }]));
    if (size > this.maxPayload)
      throw new Error(`the message is ${size} bytes, over the ${this.maxPayload}-byte cap`);
    this.history.set(env.id, env);
    this.send(env, 0);
    return env;
  }

  private send(env: Envelope, attempt: number): void {
    if (!this.socket.connected) return;
    this.socket.emit('relay:emit', 'chat:message', [env]);
    const delay = RESEND_MS[attempt];
    if (delay === undefined) return;
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      if (!this.acked.has(env.id)) this.send(env, attempt + 1);
    }, delay);
    this.timers.add(timer);
  }

  /**
   * §10: asks member `peer` for the newest `limit` messages since `since` (0: a newcomer); its
   * answer is taken like any catch-up page.
   */
  askHistory(peer: string, since = 0, limit = 500): void {
    this.socket.emit('relay:to', peer, 'chat:sync-req', [{ room: this.opts.room, since, limit }]);
  }

  /** Announces typing (§9.2). */
  typing(typing: boolean): void {
    const { room, name } = this.opts;
    this.socket.emit('relay:emit', 'chat:typing', [{ room, userId: this.userId, name, typing }]);
  }

  /** Resolves once `ready()` holds, checked whenever something arrives; rejects after `ms`. */
  until<T>(ready: () => T | undefined | false, what: string, ms = 20_000): Promise<T> {
    const now = ready();
    if (now) return Promise.resolve(now);
    return new Promise<T>((resolve, reject) => {
      const check = () => {
        const value = ready();
        if (!value) return;
        this.waiters.delete(check);
        clearTimeout(timer);
        resolve(value);
      };
      const timer = setTimeout(() => {
        this.waiters.delete(check);
        reject(new Error(`${this.opts.name}: no ${what} within ${ms} ms`));
      }, ms);
      this.waiters.add(check);
    });
  }

  /** The first accepted message saying `text`. */
  message(text: string, ms?: number): Promise<Received> {
    return this.until(() => this.received.find((r) => r.text === text), `message "${text}"`, ms);
  }

  /** The member called `name`, once listed. */
  member(name: string, ms?: number): Promise<Hello> {
    return this.until(
      () => [...this.members.values()].find((h) => h.name === name),
      `member ${name}`,
      ms,
    );
  }

  private wake(): void {
    for (const w of [...this.waiters]) w();
  }

  /** §9.4 (1.4): our signed hello, to the room or to one newcomer. */
  private async hello(to?: string): Promise<void> {
    const { room, name } = this.opts;
    const at = Date.now();
    const fields = [room, this.selfId, this.userId, name, this.keyText, at];
    const here = {
      room,
      peer: this.selfId,
      userId: this.userId,
      name,
      key: this.keyText,
      at,
      sig: await this.sign(PURPOSE.here, fields),
    };
    if (to === undefined) this.socket.emit('relay:emit', 'chat:here', [here]);
    else this.socket.emit('relay:to', to, 'chat:here', [here]);
  }

  /** Whether we speak 1.4 or later: signed hellos and receipts. */
  private get signs(): boolean {
    const [major, minor] = this.version.split('.').map(Number);
    return major! > 1 || (major === 1 && minor! >= 4);
  }

  /** Leaves and disconnects; stops every timer. */
  close(): void {
    clearInterval(this.beat);
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    this.socket.removeAllListeners();
    this.socket.disconnect();
  }
}

/** §11.1: the room's key from its passphrase. */
export async function passphraseKey(passphrase: string, room: string): Promise<CryptoKey> {
  const material = await crypto.subtle.importKey(
    'raw',
    encoder.encode(passphrase.trim().normalize('NFC')),
    'PBKDF2',
    false,
    ['deriveKey'],
  );
  return crypto.subtle.deriveKey(
    {
      name: 'PBKDF2',
      hash: 'SHA-256',
      salt: encoder.encode(`parley/room-key/1:${room}`),
      iterations: 600_000,
    },
    material,
    { name: 'AES-GCM', length: 256 },
    false,
    ['encrypt', 'decrypt'],
  );
}

/** §11.2: the header a sealed body is bound to. */
function headerOf(env: Omit<Envelope, 'body' | 'sig'>): unknown[] {
  return [env.id, env.room, env.from.id, env.from.name, env.from.key, env.ts, env.seq];
}

async function seal(key: CryptoKey, header: unknown[], body: unknown) {
  const iv = crypto.getRandomValues(new Uint8Array(12));
  const additionalData = encoder.encode(canonicalJson(header));
  const ct = await crypto.subtle.encrypt(
    { name: 'AES-GCM', iv, additionalData },
    key,
    encoder.encode(canonicalJson(body)),
  );
  return { enc: SEALED, iv: b64u(iv), ct: b64u(ct) };
}

async function open(key: CryptoKey, header: unknown[], sealed: Record<string, unknown>) {
  const iv = fromB64u(sealed.iv);
  const ct = fromB64u(sealed.ct);
  if (iv?.length !== 12 || !ct) return undefined;
  try {
    const additionalData = encoder.encode(canonicalJson(header));
    const plain = await crypto.subtle.decrypt({ name: 'AES-GCM', iv, additionalData }, key, ct);
    return JSON.parse(decoder.decode(plain)) as unknown;
  } catch {
    return undefined;
  }
}
