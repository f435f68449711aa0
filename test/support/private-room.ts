/**
 * A private room for tests, in one process (browser or Node, real WebCrypto): people with real
 * identities and key-agreement keys, each with their own RoomMembers and their own room keys.
 * A post is a real signed envelope whose body is sealed under one key; delivering it checks
 * the signature, opens the seal with the receiver's own keys (or finds it unreadable) and
 * gives the opened body to their RoomMembers, keeping any key it hands over — as the room
 * controller does.
 */
import {
  createIdentity,
  signerOf,
  type Identity,
  type Signer,
} from '../../src/protocol/identity.js';
import {
  createAgreementKeys,
  newRawRoomKey,
  type AgreementKeys,
} from '../../src/protocol/key-agreement.js';
import { keyIdOf } from '../../src/protocol/room-key.js';
import { newPrivateRoom } from '../../src/protocol/room-id.js';
import { uuidv7 } from '../../src/protocol/message-id.js';
import { open, seal, type SealedBody } from '../../src/protocol/room-key.js';
import type { RoomRoleBody } from '../../src/protocol/room-roles.js';
import type { Envelope } from '../../src/protocol/chat-events.js';
import {
  messageIdOf,
  sealingHeader,
  signEnvelope,
  verifyEnvelope,
} from '../../src/protocol/signed-envelope.js';
import { RoomMembers, type Taken } from '../../src/controllers/room/room-members.js';

/** A sealed post as it travels, with the id of the key that sealed it. */
export interface Post {
  env: Envelope;
  kid: string;
}

/** One person in the room. */
export interface Person {
  name: string;
  identity: Identity;
  signer: Signer & { name: string };
  kx: AgreementKeys;
  members: RoomMembers;
  /** Room keys this person holds, by id. */
  keys: Map<string, CryptoKey>;
  /** The same keys' bytes (what an invite link or a prior-key message carries). */
  raws: Map<string, Uint8Array>;
  /** The key this person seals with. */
  current: string;
  /** What each delivered control message did, in order. */
  taken: (Taken | undefined)[];
}

const importRaw = (raw: Uint8Array) =>
  crypto.subtle.importKey('raw', Uint8Array.from(raw), 'AES-GCM', false, ['encrypt', 'decrypt']);

/** The test room. */
export class PrivateRoom {
  private clock = 1_700_000_000_000;

  private constructor(
    readonly room: string,
    readonly nonce: string,
    private readonly first: { kid: string; raw: Uint8Array },
  ) {}

  /** A room made by a new identity `creator` (who is the first person, returned beside it). */
  static async create(creator: string): Promise<{ room: PrivateRoom; creator: Person }> {
    const identity = await createIdentity();
    const { room: id, nonce } = await newPrivateRoom(identity.publicKey);
    const { raw, kid } = await newRawRoomKey();
    const room = new PrivateRoom(id, nonce, { kid, raw });
    return { room, creator: await room.person(creator, identity) };
  }

  /** Every post made, in the order made. */
  readonly log: Post[] = [];

  /**
   * A new person holding the room's first key (the invite link's), who has posted nothing;
   * with an `identity` and `kx` given, the same person in a fresh page; `invitedBy` someone,
   * holding only the key that person seals with now (their invite link's).
   */
  async person(
    name: string,
    identity?: Identity,
    kx?: AgreementKeys,
    invitedBy?: Person,
  ): Promise<Person> {
    const who = identity ?? (await createIdentity());
    const signer = { ...signerOf(who), name };
    kx ??= await createAgreementKeys();
    const members = new RoomMembers({
      room: this.room,
      self: { id: who.id, key: who.publicKey },
      kx,
    });
    const { kid, raw } = invitedBy
      ? { kid: invitedBy.current, raw: invitedBy.raws.get(invitedBy.current)! }
      : this.first;
    const keys = new Map([[kid, await importRaw(raw)]]);
    const raws = new Map([[kid, raw]]);
    return { name, identity: who, signer, kx, members, keys, raws, current: kid, taken: [] };
  }

  /** Time of the next post (each one later than the last), or `at` if given. */
  private tick(at?: number): number {
    return at ?? (this.clock += 1000);
  }

  /**
   * A post by `who` of `body` sealed under `kid` (their current key unless given), dated `ts`
   * (later than every earlier post unless given).
   */
  async post(who: Person, body: unknown, opts: { kid?: string; ts?: number } = {}): Promise<Post> {
    const kid = opts.kid ?? who.current;
    const key = who.keys.get(kid);
    if (!key) throw new Error(`${who.name} has no key ${kid}`);
    const header = {
      id: messageIdOf(who.signer.id, uuidv7()),
      room: this.room,
      from: { id: who.signer.id, name: who.name, key: who.signer.publicKey },
      ts: this.tick(opts.ts),
      seq: 0,
    };
    const sealed = await seal(key, sealingHeader(header), body);
    const post = { env: await signEnvelope(who.signer, { ...header, body: sealed }), kid };
    this.log.push(post);
    return post;
  }

  /**
   * Gives `post` to each of `people`: checked, opened with their keys, taken. Resolves with
   * what each read of it: the opened body, or 'unreadable' when they hold no key that opens it.
   */
  async deliver(post: Post, people: readonly Person[]): Promise<unknown[]> {
    const out: unknown[] = [];
    for (const p of people) {
      if (!(await verifyEnvelope(post.env))) throw new Error('a post that does not verify');
      const key = p.keys.get(post.kid);
      const inner = key
        ? await open(key, sealingHeader(post.env), post.env.body as SealedBody)
        : undefined;
      if (inner === undefined) {
        out.push('unreadable');
        continue;
      }
      const taken = await p.members.take({ ...post.env, body: inner, kid: post.kid });
      p.taken.push(taken);
      for (const key of [...(taken?.key ? [taken.key] : []), ...(taken?.earlier ?? [])]) {
        if ((await keyIdOf(key.raw)) !== key.kid) throw new Error('a key not its id’s');
        p.keys.set(key.kid, await importRaw(key.raw));
        p.raws.set(key.kid, Uint8Array.from(key.raw));
      }
      // Seal with the key in force, as the room controller does after each control message.
      const seal = p.members.sealWith;
      if (seal && p.keys.has(seal)) p.current = seal;
      out.push(inner);
    }
    return out;
  }

  /** Posts `body` by `who` and delivers it to `people` (the author included, as the app does). */
  async say(who: Person, body: unknown, people: readonly Person[], opts = {}): Promise<Post> {
    const post = await this.post(who, body, opts);
    await this.deliver(post, people);
    return post;
  }

  /** Each of `people` announces themselves, after the creator's charter; all see everything. */
  async start(creator: Person, people: readonly Person[], title = 'Design Team'): Promise<void> {
    const everyone = [creator, ...people];
    const charter = await creator.members.charterBody(this.nonce, title);
    if (!charter.body) throw new Error(charter.reason);
    await this.say(creator, charter.body, everyone);
    for (const p of everyone) {
      const body = p.members.memberBody().body;
      if (body) await this.say(p, body, everyone);
    }
  }

  /**
   * `p` again in a fresh page (same identity and key-agreement key, only the first key), fed
   * every post of the room as catch-up gives them (see {@link catchUp}).
   */
  async replay(p: Person): Promise<Person> {
    const again = await this.person(p.name, p.identity, p.kx);
    await this.catchUp(again);
    return again;
  }

  /**
   * Gives `p` every post of the room in history order (time, then id); what no key of theirs
   * opens yet is held and given again once a new key opens it, as the room controller does.
   */
  async catchUp(p: Person): Promise<void> {
    let held = [...this.log].sort((a, b) => a.env.ts - b.env.ts || (a.env.id < b.env.id ? -1 : 1));
    for (let progress = true; progress;) {
      progress = false;
      const still: Post[] = [];
      for (const post of held) {
        if (!p.keys.has(post.kid)) still.push(post);
        else {
          await this.deliver(post, [p]);
          progress = true;
        }
      }
      held = still;
    }
  }

  /** Posts what `make` gives (a Posting) by `who`, sealed as it says, delivered to `people`. */
  async act(
    who: Person,
    posting: { body?: RoomRoleBody; sealWith?: string; reason?: string },
    people: readonly Person[],
  ): Promise<Post> {
    if (!posting.body) throw new Error(posting.reason);
    const before = who.current;
    const post = await this.say(who, posting.body, people, { kid: posting.sealWith });
    if (posting.body.kind === 'rekey' && who.current !== before) {
      // The key before, under the new one, for whoever is invited later.
      const prior = await who.members.priorBody(who.raws.get(before)!);
      if (!prior.body) throw new Error(prior.reason);
      await this.say(who, prior.body, people, { kid: prior.sealWith });
    }
    return post;
  }
}
