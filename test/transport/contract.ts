/**
 * The transport contract suite: one set of behaviours every transport must show. Each
 * transport's spec calls {@link runContractSuite} with a factory; a new transport is done when
 * this suite is green for it.
 */
import { expect } from '@open-wc/testing';
import { channelName } from '../../src/transport/broadcast.js';
import { TransportError } from '../../src/transport/errors.js';
import type { ChatEvents, Envelope } from '../../src/protocol/chat-events.js';
import type { Signer } from '../../src/protocol/identity.js';
import type { EventMeta, PeerHello, Transport } from '../../src/transport/types.js';
import { SIGNATURE_SHAPED, TEST_AUTHOR, testSigner } from '../support/identity.js';

export { testSigner } from '../support/identity.js';

type T = Transport<ChatEvents>;

/**
 * Makes one unconnected transport speaking for `signer` (a relay refuses joins its signer does
 * not prove); called several times per test.
 */
export type MakeTransport = (signer: Signer) => T;

let counter = 0;
/** A fresh, valid room name. */
export const freshRoom = () => `contract-${Date.now().toString(36)}-${counter++}`;

/** An envelope with a clear body, as tests send them. */
export type ClearEnvelope = Envelope & { body: { text: string } };

/**
 * A well-formed envelope for `room`: a real public key as its author, a `sig` shaped like a
 * signature. Transports and the relay never verify signatures (the room controller does), so
 * it travels like a signed one.
 */
export function envelope(room: string, text: string, seq = 0): ClearEnvelope {
  return {
    id: crypto.randomUUID(),
    room,
    from: { id: TEST_AUTHOR.id, name: 'Tester', key: TEST_AUTHOR.key },
    ts: Date.now(),
    seq,
    body: { text },
    sig: SIGNATURE_SHAPED,
  };
}

/** The text of an envelope's clear body ('' for a sealed one, which tests never send). */
export function textOf(env: Envelope): string {
  const text = (env.body as { text?: unknown }).text;
  return typeof text === 'string' ? text : '';
}

/** Resolves with the arguments of the next `ev` on `t`, or rejects after `ms`. */
export function next<A extends unknown[]>(t: T, ev: string, ms = 4000): Promise<A> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no "${ev}" within ${ms} ms`)), ms);
    const off = (t.on as (e: string, fn: (...a: unknown[]) => void) => () => void)(
      ev,
      (...args) => {
        clearTimeout(timer);
        off();
        resolve(args as A);
      },
    );
  });
}

/** Collects every `chat:message` text `t` receives. */
function collect(t: T): string[] {
  const texts: string[] = [];
  t.on('chat:message', (env) => texts.push(textOf(env)));
  return texts;
}

const settle = (ms = 200) => new Promise((r) => setTimeout(r, ms));

function throwsCode(fn: () => void, code: string): void {
  try {
    fn();
  } catch (err) {
    expect(err).to.be.instanceOf(TransportError);
    expect((err as TransportError).code).to.equal(code);
    expect((err as TransportError).message).to.match(/^parley: /);
    return;
  }
  expect.fail(`expected a TransportError with code "${code}"`);
}

/**
 * A bare channel on `room`, standing in for another tab that runs any code it likes; closed
 * with the others in `opened`.
 */
export function rawTab(room: string, opened: { close(): void }[]): BroadcastChannel {
  const raw = new BroadcastChannel(channelName(room));
  opened.push(raw);
  return raw;
}

/** A file hash as chunk heads carry it (43 base64url characters). */
const FILE = 'F'.repeat(43);

/** `n` bytes of a pattern that differs with `seed`, so a swapped or altered chunk shows. */
export function pattern(n: number, seed: number): Uint8Array {
  const bytes = new Uint8Array(n);
  for (let i = 0; i < n; i++) bytes[i] = (i * 31 + seed * 7) & 255;
  return bytes;
}

/**
 * Runs the contract against transports made by `make`; `linked`, if given, waits until two
 * connected members reach each other the way this transport prefers (a direct link), so a run
 * of chunks does not switch paths halfway.
 */
export function runContractSuite(
  name: string,
  make: MakeTransport,
  linked?: (a: T, b: T) => Promise<void>,
): void {
  describe(`transport contract: ${name}`, function () {
    this.timeout(15000);
    const open: T[] = [];
    /** Signers by transport, so a test can tell what its hello must say. */
    const signers = new Map<T, Signer>();
    const fresh = async () => {
      const signer = await testSigner();
      const t = make(signer);
      signers.set(t, signer);
      open.push(t);
      return t;
    };
    const connected = async (room: string, who = 'Peer') => {
      const t = await fresh();
      await t.connect(room, { userId: `${who}-id`, name: who });
      return t;
    };
    afterEach(() => {
      open.splice(0).forEach((t) => t.close());
      signers.clear();
    });

    it('opens, reports its state and gets an id', async () => {
      const t = await fresh();
      const states: string[] = [];
      t.on('state', (s) => states.push(s));
      expect(t.state).to.equal('idle');
      const opened = next(t, 'open');
      await t.connect(freshRoom(), { userId: 'u', name: 'Solo' });
      await opened;
      expect(t.state).to.equal('open');
      expect(t.selfId).to.be.a('string').and.not.empty;
      expect(states).to.deep.equal(['connecting', 'open']);
      expect(t.kind).to.equal(name);
    });

    it('delivers emit to every other member with the same arguments, not to the sender', async () => {
      const room = freshRoom();
      const [a, b, c] = [
        await connected(room, 'Ann'),
        await connected(room, 'Bob'),
        await connected(room, 'Cy'),
      ];
      const own = collect(a);
      const env = envelope(room, 'hello');
      const atB = next<[Envelope, EventMeta]>(b, 'chat:message');
      const atC = next<[Envelope, EventMeta]>(c, 'chat:message');
      a.emit('chat:message', env);
      for (const [got, meta] of [await atB, await atC]) {
        expect(got).to.deep.equal(env);
        expect(meta.from).to.equal(a.selfId);
      }
      await settle();
      expect(own).to.deep.equal([]);
    });

    it('keeps the order of one sender', async () => {
      const room = freshRoom();
      const [a, b] = [await connected(room), await connected(room)];
      const got = collect(b);
      const last = next(b, 'chat:message', 8000);
      for (let i = 0; i < 60; i++) a.emit('chat:message', envelope(room, `m${i}`, i));
      await last;
      while (got.length < 60) await settle(20);
      expect(got).to.deep.equal(Array.from({ length: 60 }, (_, i) => `m${i}`));
    });

    it('emitTo reaches one peer only', async () => {
      const room = freshRoom();
      const [a, b, c] = [await connected(room), await connected(room), await connected(room)];
      // A probe: what goes to one member only (a message is the room's, and the relay refuses
      // to direct it).
      const atC: number[] = [];
      c.on('chat:ping', (ping) => atC.push(ping.n));
      const atB = next<[{ n: number }]>(b, 'chat:ping');
      a.emitTo(b.selfId, 'chat:ping', { room, n: 7 });
      expect((await atB)[0].n).to.equal(7);
      await settle();
      expect(atC).to.deep.equal([]);
      throwsCode(() => a.emitTo('nobody', 'chat:ping', { room, n: 8 }), 'unknown-peer');
    });

    it('on() returns a working unsubscribe', async () => {
      const room = freshRoom();
      const [a, b] = [await connected(room), await connected(room)];
      const seen: string[] = [];
      const off = b.on('chat:message', (env) => seen.push(textOf(env)));
      const first = next(b, 'chat:message');
      a.emit('chat:message', envelope(room, 'one'));
      await first;
      off();
      const second = next(b, 'chat:message');
      a.emit('chat:message', envelope(room, 'two'));
      await second;
      expect(seen).to.deep.equal(['one']);
    });

    it('announces members joining and leaving', async () => {
      const room = freshRoom();
      const a = await connected(room, 'Ann');
      const joined = next<[PeerHello]>(a, 'peer-join');
      const b = await connected(room, 'Bob');
      const [hello] = await joined;
      // The member speaks as its signer's identity, key and all, whatever id it was given.
      const signer = signers.get(b)!;
      expect(hello).to.include({ id: b.selfId, name: 'Bob', userId: signer.id });
      expect(hello.key).to.equal(signer.publicKey);
      expect([...b.peers.keys()]).to.deep.equal([a.selfId]);
      expect(b.peers.get(a.selfId)?.name).to.equal('Ann');
      const left = next<[string]>(a, 'peer-leave');
      b.close();
      expect((await left)[0]).to.equal(b.selfId);
      expect(a.peers.size).to.equal(0);
    });

    it('keeps rooms apart', async () => {
      const room = freshRoom();
      const [a, b] = [await connected(room), await connected(room)];
      const outsider = await connected(freshRoom());
      const heard = collect(outsider);
      const atB = next(b, 'chat:message');
      a.emit('chat:message', envelope(room, 'private'));
      await atB;
      await settle();
      expect(heard).to.deep.equal([]);
      expect(outsider.peers.size).to.equal(0);
    });

    it('refuses reserved names, non-JSON and oversized payloads at emit', async () => {
      const room = freshRoom();
      const a = await connected(room);
      const emitAny = a.emit as (ev: string, ...args: unknown[]) => void;
      for (const ev of ['open', 'close', 'error', 'state', 'peer-join', 'peer-leave']) {
        throwsCode(() => emitAny.call(a, ev), 'reserved');
      }
      const cyclic: Record<string, unknown> = {};
      cyclic.self = cyclic;
      for (const bad of [() => 1, NaN, Infinity, undefined, new Date(), cyclic, 10n, new Map()]) {
        throwsCode(() => emitAny.call(a, 'chat:message', bad), 'invalid-payload');
      }
      throwsCode(() => a.emit('chat:message', envelope(room, 'x'.repeat(70_000))), 'too-large');
    });

    it('refuses to emit before open and after close', async () => {
      const room = freshRoom();
      const t = await fresh();
      throwsCode(() => t.emit('chat:message', envelope(room, 'early')), 'not-open');
      await t.connect(room, { userId: 'u', name: 'Once' });
      const closed = next<[string]>(t, 'close');
      t.close();
      expect((await closed)[0]).to.be.a('string');
      expect(t.state).to.equal('closed');
      throwsCode(() => t.emit('chat:message', envelope(room, 'late')), 'not-open');
    });

    it('carries sendBytes intact, with its head, to that one member only, in order', async () => {
      const room = freshRoom();
      const [a, b, c] = [await connected(room), await connected(room), await connected(room)];
      await linked?.(a, b);
      const got: Array<{ head: unknown; bytes: Uint8Array; from: string }> = [];
      b.on('bytes', (head, bytes, meta) => got.push({ head, bytes, from: meta.from }));
      let toC = 0;
      c.on('bytes', () => toC++);
      const sizes = [64 * 1024, 1, 40_000, 64 * 1024 + 256, 16 * 1024, 0, 65_000, 3];
      for (const [part, size] of sizes.entries()) {
        expect(
          await a.sendBytes(b.selfId, { room, file: FILE, part }, pattern(size, part)),
        ).to.equal(true);
      }
      for (let i = 0; i < 400 && got.length < sizes.length; i++) await settle(10);
      expect(got.map((g) => g.head)).to.deep.equal(
        sizes.map((_, part) => ({ room, file: FILE, part })),
      );
      got.forEach((g, part) => {
        expect(g.from).to.equal(a.selfId);
        expect(g.bytes).to.be.instanceOf(Uint8Array);
        expect([...g.bytes]).to.deep.equal([...pattern(sizes[part]!, part)]);
      });
      await settle();
      expect(toC, 'the third member got nothing').to.equal(0);
      expect(a.dropped.chunks ?? 0).to.equal(0);
      expect(b.dropped.chunks ?? 0).to.equal(0);
    });

    it('sendBytes resolves false for a member not in the room, and after close', async () => {
      const room = freshRoom();
      const [a, b] = [await connected(room), await connected(room)];
      expect(
        await a.sendBytes('nobody-here', { room, file: FILE, part: 0 }, new Uint8Array(8)),
      ).to.equal(false);
      const id = b.selfId;
      a.close();
      expect(await a.sendBytes(id, { room, file: FILE, part: 0 }, new Uint8Array(8))).to.equal(
        false,
      );
    });

    // The memory transport has no wire to wait for: it hands everything over in the order sent.
    if (name !== 'memory') {
      it('lets chat events overtake a long run of queued chunks', async () => {
        const room = freshRoom();
        const [a, b] = [await connected(room), await connected(room)];
        await linked?.(a, b);
        const arrivals: string[] = [];
        b.on('bytes', () => arrivals.push('chunk'));
        b.on('chat:message', () => arrivals.push('chat'));
        const RUN = 48;
        // Made first: the run must reach the lane at once, not as fast as bytes are made.
        const chunks = Array.from({ length: RUN }, (_, part) => pattern(64 * 1024, part));
        // Not awaited one by one: the whole run waits in the lane at once.
        const sends = chunks.map((bytes, part) =>
          a.sendBytes(b.selfId, { room, file: FILE, part }, bytes),
        );
        a.emit('chat:message', envelope(room, 'while a file moves'));
        expect(await Promise.all(sends)).to.deep.equal(Array(RUN).fill(true));
        for (let i = 0; i < 500 && arrivals.length < RUN + 1; i++) await settle(10);
        expect(arrivals.filter((x) => x === 'chunk')).to.have.lengthOf(RUN);
        const before = arrivals.indexOf('chat');
        expect(before, `chat arrived after ${before} of ${RUN} chunks`).to.be.within(0, RUN - 1);
      });
    }

    it('keeps delivering to other listeners when one throws', async () => {
      const room = freshRoom();
      const [a, b] = [await connected(room), await connected(room)];
      // The thrown error is re-raised asynchronously; keep Mocha from counting it.
      const onerror = window.onerror;
      window.onerror = () => true;
      b.on('chat:message', () => {
        throw new Error('listener bug');
      });
      const got = next<[Envelope]>(b, 'chat:message');
      a.emit('chat:message', envelope(room, 'still here'));
      expect(textOf((await got)[0])).to.equal('still here');
      await settle(50);
      window.onerror = onerror;
    });
  });
}
