/**
 * Proof that whoever joins a room holds the identity they announce. The relay chose the
 * connection's session id (Socket.IO's random id, new for every connection; not the peer id
 * members know it by), so a join signed over it
 * cannot be replayed on another connection; the profile's `userId` must be the hash of its
 * key, so nobody can join under another member's id. The browser signs with this module and
 * the server checks with it: one definition of what a proof covers.
 */
import { isIdOf, isPublicKey, SignaturePurposes, verify, type Signer } from './identity.js';
import type { PeerProfile } from './peer.js';

/** What a join proof signs: the connection's challenge, the room, and who joins. */
function proofFields(challenge: string, room: string, me: PeerProfile): unknown[] {
  return [challenge, room, me.userId, me.name, me.key ?? null];
}

/** The profile `me` as `signer` announces it (its key and id), with the proof for `room`. */
export async function proveJoin(
  signer: Signer,
  challenge: string,
  room: string,
  me: PeerProfile,
): Promise<{ me: PeerProfile; proof: string }> {
  const signed: PeerProfile = { ...me, userId: signer.id, key: signer.publicKey };
  const proof = await signer.sign(SignaturePurposes.join, proofFields(challenge, room, signed));
  return { me: signed, proof };
}

/**
 * Why the join of `me` into `room` on the connection with `challenge` is not proven, or
 * undefined when it is: a key this version can verify, a `userId` derived from it, and a
 * signature by it over this connection's challenge. Never throws.
 */
export async function joinProofProblem(
  challenge: string,
  room: string,
  me: PeerProfile,
  proof: unknown,
): Promise<string | undefined> {
  if (!isPublicKey(me.key)) return 'a join must carry the identity key it speaks for';
  if (!(await isIdOf(me.userId, me.key))) return 'the user id is not the one of this key';
  const fields = proofFields(challenge, room, me);
  if (!(await verify(me.key, SignaturePurposes.join, fields, proof))) {
    return 'the proof of the identity key does not check out';
  }
  return undefined;
}
