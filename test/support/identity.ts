/**
 * Identities for tests and benchmarks that talk to the relay without Parley's transports: the
 * relay refuses a join that does not prove its identity key (see `join-proof.ts`), so every raw
 * client signs its join over its connection's id here. Also the author every test envelope
 * names: the wire schema wants a public key and a signature-shaped `sig`, but transports and
 * the relay never verify signatures (the room controller does), so a fixed key is enough there.
 */
import {
  createIdentity,
  signerOf,
  type Identity,
  type Signer,
} from '../../src/protocol/identity.js';
import { proveJoin } from '../../src/protocol/join-proof.js';
import type { PeerProfile } from '../../src/protocol/peer.js';
import { PROTOCOL_VERSION } from '../../src/protocol/version.js';

/**
 * A real Ed25519 public key and its id (`identityIdOf`), made once; nobody holds its private
 * half, so nothing signed by it ever verifies — fine for envelopes no transport verifies.
 */
export const TEST_AUTHOR = {
  key: 'ed25519:kEBGFqOGLWiwg5zetHW8vt1V-iUm5vd9KJgyiPVRoMc',
  id: 'ghlcRNBEJuq5bEqqsx_eAx',
} as const;

/** A signature as long as an Ed25519 one (86 base64url characters), for unverified paths. */
export const SIGNATURE_SHAPED = 'A'.repeat(86);

/** A signer of a fresh identity, for a transport's `signer` option. */
export async function testSigner(): Promise<Signer> {
  return signerOf(await createIdentity());
}

/** A join request with its proof, as the relay wants it. */
export interface ProvenJoinRequest {
  room: string;
  me: PeerProfile;
  proof: string;
  /** The protocol version the client speaks (the relay refuses another major). */
  v: string;
}

/**
 * The join of `room` for the connected `socket`, proven by `who` (a fresh identity if not
 * given): `me` gets the identity's id and key whatever `profile` says, and the proof is signed
 * over `socket.id`, the challenge the server chose for this connection.
 */
export async function provenJoin(
  socket: { readonly id?: string | undefined },
  room: string,
  profile: string | (Omit<PeerProfile, 'userId'> & { userId?: string }),
  who?: Identity | Signer,
): Promise<ProvenJoinRequest> {
  if (socket.id === undefined) throw new Error('provenJoin: the socket is not connected yet');
  const signer = !who ? await testSigner() : 'privateKey' in who ? signerOf(who) : who;
  const base = typeof profile === 'string' ? { name: profile } : profile;
  const { me, proof } = await proveJoin(signer, socket.id, room, { userId: '', ...base });
  return { room, me, proof, v: PROTOCOL_VERSION };
}
