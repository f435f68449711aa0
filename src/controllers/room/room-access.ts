/**
 * What a room's keys and people allow, for the room controller (which extends this): the
 * passphrase and its preview, the one invite link, whether the room is split, private rooms
 * made and announced, a private room's members — removal, admins, a new key — and what the
 * files controller needs of the room (its keys, posting a file). Split from the room
 * controller, which owns the room's life and its messages.
 */
import type { ReactiveControllerHost } from 'lit';
import type { FileBody } from '../../protocol/file-manifest.js';
import { isPrivateRoom } from '../../protocol/room-kind.js';
import type { ParleyDb } from '../../store/db.js';
import type { Problem, ProblemCode } from '../shared/problem.js';
import type { MessageList } from './message-list.js';
import type { Outgoing } from './outgoing.js';
import type { ActiveRoom } from './room-context.js';
import type { AdminContext, MemberEntry, RoomControl } from './room-control.js';
import type { RoomChoice } from './room-choice.js';
import type { RoomSealing } from './room-sealing.js';

export type { MemberEntry } from './room-control.js';

/** The chunk that handles passphrases and links, loaded when first asked for. */
const links = () => import('./room-links.js');

/** The keys-and-people half of the room controller. */
export abstract class RoomAccess {
  /** Why the last room change or send was refused (or storage failed), with its code. */
  abstract problem: Problem | undefined;
  /** Messages shown, oldest first. */
  abstract readonly list: MessageList;
  protected abstract readonly host: ReactiveControllerHost;
  protected abstract readonly choice: RoomChoice;
  protected abstract readonly sealing: RoomSealing;
  protected abstract readonly outgoing: Outgoing;
  protected abstract active: ActiveRoom | undefined;
  /** The room shown is still loading its keys and history. */
  protected abstract opening: boolean;
  /** The room we are in (or about to be). */
  abstract get room(): string;
  protected abstract fail(code: ProblemCode, message: string): false;
  /** Moves to the room a person typed (see the room controller). */
  abstract setRoom(typed: string): string | undefined;
  /** Moves to `room`, a room name as it is. */
  abstract openRoom(room: string): string | undefined;
  /** Private rooms we just made, by id, with the nonce their charter shows. */
  protected readonly charters = new Map<string, string>();

  /** Messages we hold that no key of ours opens (the "encrypted with a key you don't have" notice). */
  get locked(): number {
    return this.sealing.lockedCount;
  }

  /** Whether what we send in this room is end-to-end encrypted. */
  get encrypted(): boolean {
    return this.sealing.encrypted;
  }

  /**
   * Derives the room's key from `passphrase` and uses it from now on; it also opens what was
   * sealed with it. Resolves false, with `problem` set, when the passphrase is refused.
   */
  setPassphrase(passphrase: string): Promise<boolean> {
    return links().then((l) => l.usePassphrase(this.adminContext(), passphrase));
  }

  /**
   * The link that opens this room: with the key we seal with and the room's title (a private
   * room, a passphrase room, a room a link brought us to), else the plain `#room=` link. Never
   * makes or changes a key. Undefined outside a room.
   */
  inviteLink(base: string = location.href): Promise<string | undefined> {
    return links().then((l) => l.roomInviteLink(this.adminContext(), base));
  }

  /**
   * Puts this room's link (see {@link inviteLink}) on the clipboard; resolves with the link and
   * whether the clipboard took it (else the visitor copies it by hand).
   */
  async copyInviteLink(): Promise<{ link: string; copied: boolean } | undefined> {
    const link = await this.inviteLink();
    return link === undefined ? undefined : (await links()).toClipboard(link);
  }

  /**
   * How many of this room's stored sealed messages `passphrase`'s key opens, before it is
   * used (Settings says so while it is typed); nothing is stored or changed.
   */
  previewPassphrase(passphrase: string): Promise<{ opens: number; sealed: number }> {
    // Asked for while typing in Settings only: loaded then.
    return links().then((l) => l.previewPassphrase(this.adminContext(), passphrase));
  }

  /**
   * Set when a sealed message names a key we do not hold while we hold one: the room is split
   * (a passphrase typed differently). Views say "This passphrase doesn't open Alice's
   * messages — check it with the others".
   */
  get keyMismatch(): { name: string } | undefined {
    return this.sealing.mismatch;
  }

  /** Whether this is a private room (an unguessable id, a random key) or a public one. */
  get roomKind(): 'private' | 'public' {
    return isPrivateRoom(this.room) ? 'private' : 'public';
  }

  /** The title of `room` a link or {@link createRoom} brought (else undefined: its name). */
  titleOf(room: string): string | undefined {
    return this.choice.titleOf(room);
  }

  /**
   * Makes a room titled `title` and moves there. Private (the default): an unguessable id
   * bound to our identity, a new random key, `title` kept as its title — nobody who types the
   * title finds it. Public: the room named by `title` (`Design Team` → `design-team`), which
   * anyone who types the name can join and read. Resolves with the room's id, or undefined
   * (with `problem` set) when it cannot be made.
   */
  async createRoom(title: string, opts: { public: boolean }): Promise<string | undefined> {
    if (opts.public) return this.setRoom(title);
    // Rare, so loaded when asked for (the first download stays small).
    const made = await (
      await import('./private-room.js')
    ).createPrivateRoom(this.adminContext(), title);
    if (!made) return undefined;
    this.charters.set(made.room, made.nonce);
    this.choice.title(made.room, made.title);
    return this.openRoom(made.room);
  }

  /**
   * A private room made for us elsewhere (a help desk's conversation, made before it is
   * entered): on entering it, its charter (`nonce`, `title`) is ours to post, as for
   * {@link createRoom}.
   */
  madeRoom(room: string, nonce: string, title: string): void {
    this.charters.set(room, nonce);
    this.choice.title(room, title);
  }

  /** The members of this private room, as views show them (none in a public room). */
  get members(): readonly MemberEntry[] {
    return this.sealing.control?.list ?? [];
  }

  /** Whether we may manage this private room's members (we made it, or are an admin). */
  get canManage(): boolean {
    return this.sealing.control?.members.canManage ?? false;
  }

  /**
   * Removes member `id` from this private room: a new room key goes to every other member,
   * sealed to each one's key-agreement key; what is written after it, they cannot read.
   */
  removeMember(id: string): Promise<boolean> {
    return this.admin((c, ctx) => c.rekey(ctx, (m) => m.removeBody(id)));
  }

  /** Makes member `id` an admin of this private room (signed by us: only admins can). */
  makeAdmin(id: string): Promise<boolean> {
    return this.admin((c, ctx) => c.post(ctx, (m) => m.adminBody(id)));
  }

  /** Gives this private room a new key (sent to every member), as an admin may. */
  changeKey(): Promise<boolean> {
    return this.admin((c, ctx) => c.rekey(ctx, (m) => m.changeKeyBody()));
  }

  /** Runs a member change on this private room's control (refused in a public room). */
  private admin(
    run: (control: RoomControl, ctx: AdminContext) => Promise<boolean>,
  ): Promise<boolean> {
    const control = this.sealing.control;
    if (!this.active || !control)
      return Promise.resolve(this.fail('not-allowed', 'Only a private room has members.'));
    return run(control, this.adminContext());
  }

  /** What a private room's control needs of us to post its messages. */
  private adminContext(): AdminContext {
    return {
      active: () => this.active,
      sealing: this.sealing,
      outgoing: this.outgoing,
      list: this.list,
      fail: (code, message) => this.fail(code, message),
      title: (room) => this.choice.titleOf(room),
      charters: this.charters,
      ok: () => {
        this.problem = undefined;
        this.host.requestUpdate();
      },
    };
  }

  /**
   * Sends a file message (see `Outgoing.postFile`); its id, or undefined when the room is not
   * ready (still opening: its keys may not be loaded) or the message is refused.
   */
  postFile(body: FileBody): string | undefined {
    const active = this.fileRoom() && this.active;
    return active ? this.outgoing.postFile(active, body) : undefined;
  }

  /**
   * The room on screen for the files controller (account, room, database, and whether it is
   * encrypted: a file must then be sealed); undefined outside a room or while it opens.
   */
  fileRoom(): { owner: string; room: string; db: ParleyDb; encrypted: boolean } | undefined {
    const a = this.opening ? undefined : this.active;
    return a && { owner: a.owner, room: a.room, db: a.db, encrypted: this.sealing.encrypted };
  }

  /** The key new files are sealed with (the room's newest, when it has an id). */
  sealingKey(): { key: CryptoKey; kid: string } | undefined {
    const current = this.sealing.current;
    return current?.kid ? { key: current.key, kid: current.kid } : undefined;
  }

  /** The room key named `kid`, if held (a sealed file's chunks open with it). */
  keyOf(kid: string): CryptoKey | undefined {
    return this.sealing.keyOf(kid);
  }

  /** In a private room: our charter (a room we just made) and announcement (`room-admin.ts`). */
  protected announce(active: ActiveRoom): void {
    void this.sealing.control?.announce(this.adminContext(), active);
  }
}
