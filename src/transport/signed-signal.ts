/**
 * Signed WebRTC offers and answers. A session description carries the DTLS fingerprint of the
 * certificate its sender will present, so whoever can rewrite it in transit (the signaling
 * server, or anything between) could put itself in the middle of a "direct" link. The sender
 * signs each description with its identity over the room, both peer ids and the SDP; the
 * receiver checks that signature against the key the sender's hello announced (whose hash must
 * be its `userId`). ICE candidates stay unsigned: they say where to knock, not who answers, and
 * DTLS refuses any peer without the signed fingerprint.
 */
import { isIdOf, SignaturePurposes, verify, type Signer } from '../protocol/identity.js';
import type { PeerHello, PeerId } from '../protocol/peer.js';

/** Where signals are exchanged: our room and our own peer id, as they are now. */
export interface SignalScope {
  room: string;
  self: PeerId;
}

/** A session description as simple-peer emits it (offer, answer, …), maybe with our signature. */
interface Description {
  type: DescriptionType;
  sdp?: string;
  sig?: string;
}

/** The kinds of session description (`RTCSdpType`). */
const DESCRIPTION_TYPES = ['offer', 'answer', 'pranswer', 'rollback'] as const;
type DescriptionType = (typeof DESCRIPTION_TYPES)[number];

/**
 * Whether `data` is a session description (it sets the link's fingerprint): its `type` is
 * exactly one of the description kinds — not a value the browser would merely coerce into one
 * (`['offer']` becomes "offer" in `RTCSessionDescription`).
 */
export function isDescription(data: unknown): data is Description {
  const type = (data as { type?: unknown } | null)?.type;
  return typeof type === 'string' && (DESCRIPTION_TYPES as readonly string[]).includes(type);
}

/**
 * Whether `data` is a renegotiation request (`renegotiate`, `transceiverRequest`). Parley opens
 * one data channel per pair and never adds tracks, so it never needs one: neither sent nor
 * applied (and the server refuses to carry them), see docs/PROTOCOL.md.
 */
export function isRenegotiation(data: unknown): boolean {
  const d = data as { type?: unknown; renegotiate?: unknown; transceiverRequest?: unknown } | null;
  return (
    d?.type === 'renegotiate' ||
    d?.type === 'transceiverRequest' ||
    d?.renegotiate !== undefined ||
    d?.transceiverRequest !== undefined
  );
}

/**
 * The signal in `data` that is not a description, rebuilt from checked fields only (never the
 * received object itself, whose other fields simple-peer might read): an ICE candidate;
 * undefined for anything else.
 */
function otherSignal(data: unknown): unknown {
  const d = data as { type?: unknown; candidate?: unknown } | null;
  const c = d?.candidate as { candidate?: unknown; sdpMLineIndex?: unknown; sdpMid?: unknown };
  if (d?.type !== 'candidate' || typeof c !== 'object' || c === null) return undefined;
  const { candidate, sdpMLineIndex, sdpMid } = c;
  if (typeof candidate !== 'string' || candidate.length > 2048) return undefined;
  const index = typeof sdpMLineIndex === 'number' ? sdpMLineIndex : null;
  const mid = typeof sdpMid === 'string' ? sdpMid.slice(0, 64) : null;
  return { type: 'candidate', candidate: { candidate, sdpMLineIndex: index, sdpMid: mid } };
}

/**
 * What a signature over a description covers: the room and both peer ids (so it cannot
 * be replayed to another member or in another room), the kind and the SDP itself.
 */
function signedFields(room: string, from: PeerId, to: PeerId, d: Description): unknown[] {
  return [room, from, to, d.type, d.sdp ?? ''];
}

/**
 * `data` ready to send from `from` to `to` in `room`: a description gets `sig`, anything else
 * (ICE candidates, renegotiation requests) goes as it is. Without a signer nothing is signed.
 */
export async function signSignal(
  signer: Signer | undefined,
  room: string,
  from: PeerId,
  to: PeerId,
  data: unknown,
): Promise<unknown> {
  if (!signer || !isDescription(data)) return data;
  const { type, sdp } = data;
  const description: Description = sdp === undefined ? { type } : { type, sdp };
  const sig = await signer.sign(SignaturePurposes.signal, signedFields(room, from, to, data));
  return { ...description, sig };
}

/**
 * The signal `data` from `hello` to us (`to`) in `room`, as simple-peer may apply it (rebuilt
 * from its checked fields, without our signature field), or undefined when it must not be
 * applied: anything but a description or an ICE candidate is refused. When `required` (we have an
 * identity of our own, so we can tell our links apart from the server's), a description must
 * carry a valid signature by the key of the sender's hello, and that key must be the one its
 * `userId` was derived from; a hello without a key cannot be checked, so is refused too.
 * Never throws.
 */
export async function checkedSignal(
  hello: PeerHello,
  room: string,
  to: PeerId,
  data: unknown,
  required: boolean,
): Promise<unknown> {
  if (!isDescription(data)) return otherSignal(data);
  const { type, sdp, sig } = data;
  if (sdp !== undefined && typeof sdp !== 'string') return undefined;
  const description: Description = sdp === undefined ? { type } : { type, sdp };
  if (!required) return description;
  const key = hello.key;
  if (key === undefined || !(await isIdOf(hello.userId, key))) return undefined;
  const fields = signedFields(room, hello.id, to, description);
  return (await verify(key, SignaturePurposes.signal, fields, sig)) ? description : undefined;
}

/**
 * Signs what we send and checks what we receive for one transport, keeping each member's
 * signals in order: signing and checking take a moment, and the candidates that follow an
 * offer must never overtake it (nor be applied ahead of it).
 */
export class SignalSeal {
  private readonly inbound = new Map<PeerId, Promise<void>>();

  constructor(
    /** Our identity; without one nothing is signed, and nothing is required to be. */
    private readonly signer: Signer | undefined,
    private readonly scope: () => SignalScope,
  ) {}

  /**
   * A sender for one link to `to`: each signal is signed (if a description) and handed to
   * `send` in the order given; `failed` is called instead when our key cannot sign.
   */
  sender(to: PeerId, send: (data: unknown) => void, failed: () => void): (data: unknown) => void {
    let chain = Promise.resolve();
    return (data) => {
      if (isRenegotiation(data)) return; // never needed: see isRenegotiation
      chain = chain.then(async () => {
        const { room, self } = this.scope();
        let signed: unknown;
        try {
          signed = await signSignal(this.signer, room, self, to, data);
        } catch {
          return failed();
        }
        send(signed);
      });
    };
  }

  /**
   * Checks a signal from `hello` behind the ones before it, then calls `apply` with what may be
   * applied, or `refused` when it must not be (see {@link checkedSignal}).
   */
  receive(
    hello: PeerHello,
    data: unknown,
    apply: (checked: unknown) => void,
    refused: () => void,
  ): void {
    // Never needed (see isRenegotiation): ignored, not held against the member.
    if (isRenegotiation(data)) return;
    const { room, self } = this.scope();
    const required = this.signer !== undefined;
    const next = (this.inbound.get(hello.id) ?? Promise.resolve()).then(async () => {
      const checked = await checkedSignal(hello, room, self, data, required);
      if (checked === undefined) refused();
      else apply(checked);
    });
    this.inbound.set(hello.id, next);
    void next.then(() => this.inbound.get(hello.id) === next && this.inbound.delete(hello.id));
  }
}
