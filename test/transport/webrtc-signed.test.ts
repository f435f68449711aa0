import { expect } from '@open-wc/testing';
import { createIdentity, signerOf, type Signer } from '../../src/protocol/identity.js';
import type { ChatEvents } from '../../src/protocol/chat-events.js';
import { TransportError } from '../../src/transport/errors.js';
import { WebRtcTransport, type WebRtcOptions } from '../../src/transport/webrtc.js';
import type { PeerHello } from '../../src/transport/types.js';
import { serverUrl } from '../support/server-url.js';
import { freshRoom } from './contract.js';

type T = WebRtcTransport<ChatEvents>;

/** What a test reaches inside a transport: the signal path on its way to the server. */
type Insides = {
  relay: { signal(to: string, data: unknown): void };
  seal: { signer: Signer | undefined };
};
const insides = (t: T) => t as unknown as Insides;

const url = await serverUrl();
const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function until(ok: () => boolean, ms = 5000): Promise<void> {
  for (let waited = 0; !ok() && waited < ms; waited += 25) await pause(25);
}

/** Rewrites every SDP answer `t` sends, after it was signed: what a meddling server would do. */
function alterAnswers(t: T, change: (sdp: string) => string): void {
  const relay = insides(t).relay;
  const send = relay.signal.bind(relay);
  relay.signal = (to, data) => {
    const d = data as { type?: string; sdp?: string };
    send(to, d.type === 'answer' && d.sdp ? { ...d, sdp: change(d.sdp) } : data);
  };
}

describe('webrtc transport: signed offers and answers', function () {
  this.timeout(30000);
  const open: T[] = [];
  afterEach(() => open.splice(0).forEach((t) => t.close()));

  /** A transport with an identity of its own (joins must be proven). */
  async function make(options: Partial<WebRtcOptions> = {}): Promise<T> {
    const signer = signerOf(await createIdentity());
    const t = new WebRtcTransport<ChatEvents>({ url, iceServers: [], signer, ...options });
    open.push(t);
    return t;
  }

  async function join(t: T, room: string, name: string): Promise<T> {
    await t.connect(room, { userId: 'ignored', name });
    return t;
  }

  /** Errors `t` reports from now on. */
  function errorsOf(t: T): TransportError[] {
    const errors: TransportError[] = [];
    t.on('error', (e) => errors.push(e));
    return errors;
  }

  let marks = 0;
  /**
   * Sends an event from `from` and checks that `to` receives it, by whichever path. A sync
   * request: the simplest event the relay carries, and these tests are about links, not chat.
   */
  async function noteArrives(from: T, to: T, room: string): Promise<void> {
    const since = ++marks;
    const got: number[] = [];
    to.on('chat:sync-req', (req) => got.push(req.since));
    from.emit('chat:sync-req', { room, since, limit: 1 });
    await until(() => got.length > 0);
    expect(got).to.deep.equal([since]);
  }

  it('links two members directly when both sign (the signatures check out)', async () => {
    const room = freshRoom();
    const a = await join(await make(), room, 'Ann');
    const b = await join(await make(), room, 'Ben');
    const errors = [...errorsOf(a), ...errorsOf(b)];
    await until(() => a.linkOf(b.selfId) === 'direct' && b.linkOf(a.selfId) === 'direct');
    expect(a.linkOf(b.selfId)).to.equal('direct');
    expect(b.linkOf(a.selfId)).to.equal('direct');
    const before = { ...a.sent };
    await noteArrives(a, b, room);
    expect(a.sent.direct).to.equal(before.direct + 1);
    expect(errors).to.deep.equal([]);
  });

  /**
   * Ann and Ben join; `meddle` spoils what one of them sends (before anyone dials). The side
   * that receives the spoiled description must refuse it: no link, a warning naming the
   * other, and notes still arrive through the relay.
   */
  async function refusedLink(meddle: (a: T, b: T) => void) {
    const room = freshRoom();
    const [a, b] = [await make(), await make()];
    meddle(a, b);
    const [errorsA, errorsB] = [errorsOf(a), errorsOf(b)];
    await join(a, room, 'Ann');
    await join(b, room, 'Ben');
    await until(() => [...errorsA, ...errorsB].some((e) => e.code === 'unverified'));
    // Long enough for a link that was going to open anyway to do so.
    await pause(1500);
    const warnings = [...errorsA, ...errorsB].filter((e) => e.code === 'unverified');
    expect(warnings, 'one warning').to.have.lengthOf(1);
    expect(warnings[0]!.text).to.match(
      /^could not verify (Ann|Ben)'s direct-connection offer — messages to them go through the server$/,
    );
    expect(a.linkOf(b.selfId)).to.equal('relay');
    expect(b.linkOf(a.selfId)).to.equal('relay');
    const relayed = a.sent.relayed;
    await noteArrives(a, b, room);
    await noteArrives(b, a, room);
    expect(a.sent.relayed).to.equal(relayed + 1);
    return { a, b, warning: warnings[0]! };
  }

  it('refuses an answer whose DTLS fingerprint was changed on the way', async () => {
    const flip = (sdp: string) =>
      sdp.replace(/(a=fingerprint:sha-256 )([0-9A-F])/, (_, head: string, c: string) =>
        head.concat(c === '0' ? '1' : '0'),
      );
    const { a, b, warning } = await refusedLink((a, b) => {
      alterAnswers(a, flip);
      alterAnswers(b, flip);
    });
    // The dialer (the smaller id) got the answer and warns about the answerer.
    const answerer = a.selfId < b.selfId ? 'Ben' : 'Ann';
    expect(warning.what).to.equal(`could not verify ${answerer}'s direct-connection offer`);
  });

  it('refuses an answer changed anywhere, even where the link would still work', async () => {
    // A new session name breaks nothing: without the signature check this link would open.
    await refusedLink((a, b) => {
      for (const t of [a, b]) alterAnswers(t, (sdp) => sdp.replace(/^s=.*$/m, 's=meddled'));
    });
  });

  it("refuses a description signed by a key other than the member's", async () => {
    const other = signerOf(await createIdentity());
    // Ben joins with his own key but signs his offer or answer with another one.
    await refusedLink((_, b) => {
      insides(b).seal.signer = other;
    });
  });

  it('refuses an unsigned description when we have an identity', async () => {
    await refusedLink((_, b) => {
      insides(b).seal.signer = undefined;
    });
  });

  it('refuses an unsigned description whose kind is dressed up as something else', async () => {
    // What a meddling server hands over: the signature gone, and `['offer']` for "offer" — no
    // description kind, but one RTCSessionDescription would coerce into one.
    await refusedLink((a, b) => {
      for (const t of [a, b]) {
        const inside = t as unknown as { signalFrom(from: string, data: unknown): void };
        const receive = inside.signalFrom.bind(t);
        inside.signalFrom = (from, data) => {
          const d = data as { type?: string; sdp?: string };
          receive(from, d.sdp ? { type: [d.type], sdp: d.sdp } : data);
        };
      }
    });
  });

  it('never links to a member `directTo` refuses, whoever dials', async () => {
    const room = freshRoom();
    const asked: PeerHello[] = [];
    const a = await join(
      await make({ directTo: (hello) => (asked.push(hello), false) }),
      room,
      'Ann',
    );
    const b = await join(await make(), room, 'Ben');
    const errors = [...errorsOf(a), ...errorsOf(b)];
    await pause(2500); // two signed members on one host link within a second otherwise
    expect(asked.map((h) => h.name)).to.include('Ben');
    expect(a.linkOf(b.selfId)).to.equal('relay');
    expect(b.linkOf(a.selfId)).to.equal('relay');
    await noteArrives(a, b, room);
    await noteArrives(b, a, room);
    expect(errors).to.deep.equal([]);
  });
});
