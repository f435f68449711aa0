/**
 * `controllers/files/` — files in rooms: sending, serving, fetching, and what views show of
 * them (see `file-state.ts` for the view's side).
 *
 * The files controller ties the parts together for the room on screen: attaching
 * (`file-attach.ts`), serving what we hold to members who ask (`file-serve.ts`), one fetch per
 * wanted file (`file-fetch.ts`), handing files out (`file-handout.ts`), and a state per file
 * that views read synchronously. What is wanted survives a reload (resumed when the room
 * opens) and a lost link or a switch of transport (the room is asked again); parts already
 * held are never fetched again.
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { TransportController } from '../connection/transport-controller.js';
import type { FileActions, FileState } from './file-state.js';
import { FileFetch } from './file-fetch.js';
import { stateOfRecord, trimHeld, WhoBatch } from './file-keeping.js';
import { FileServer, type ActiveRoom } from './file-serve.js';
import { SendMeter, Throttle } from './file-speed.js';
import { FileStoreFullError, refusal, releaseLeftovers, sendFile } from './file-attach.js';
import { ThumbUrls, fileBlob, saveBlob } from './file-handout.js';
import { isWellFormedFileEvent } from '../../protocol/file-events.js';
import { MAX_FILE_CEILING, type FileBody, type Manifest } from '../../protocol/file-manifest.js';
import type { ParleyDb } from '../../store/db.js';
import {
  filesOfRoom,
  getFile,
  putFile,
  removeFileBytes,
  setWanted,
  wantedFiles,
} from '../../store/files.js';
import type { PeerId } from '../../transport/types.js';

/** What the files controller reads from the element and the room. */
export interface FilesConfig {
  transport: TransportController;
  /**
   * The room on screen: its owner (account id), name and database, and whether it is
   * encrypted (files are then sealed); undefined outside a room.
   */
  active: () => { owner: string; room: string; db: ParleyDb; encrypted?: boolean } | undefined;
  /** The room's current key to seal new files with (undefined in a room in the clear). */
  sealingKey: () => { key: CryptoKey; kid: string } | undefined;
  /** The room key named `kid`, to open a sealed file's chunks (undefined: not held). */
  keyOf: (kid: string) => CryptoKey | undefined;
  /** Posts a file message; its id, or undefined when refused (the room reports why). */
  post: (body: FileBody) => string | undefined;
  /** The element's per-file limit (`max-file-size`), in bytes. */
  maxFileSize: () => number;
}

/** Files in the room on screen; implements what views may ask ({@link FileActions}). */
export class FilesController implements ReactiveController, FileActions {
  /** Bad chunks (or hash lists) each member sent us, by connection id. */
  readonly strikes = new Map<PeerId, number>();
  private where: ActiveRoom | undefined;
  private readonly states = new Map<string, FileState>();
  private readonly fetches = new Map<string, FileFetch>();
  // Files of this room held here (some or all parts): the only ones we read storage for.
  private readonly known = new Set<string>();
  // Files whose sending the person stopped, until the room is left.
  private readonly paused = new Set<string>();
  private readonly sending = new SendMeter((id) => this.quiet(id));
  private readonly thumbs = new ThumbUrls();
  private readonly server: FileServer;
  private readonly render: Throttle;
  private offs: Array<() => void> = [];
  // Files to name in the next `file:who` (see `who`).
  private readonly asking = new WhoBatch((room, files) =>
    this.config.transport.emit('file:who', { room, files }),
  );
  // Settles once the active room's files are known (`known`, states, resumed fetches).
  private loaded: Promise<void> = Promise.resolve();

  constructor(
    private readonly host: ReactiveControllerHost,
    private readonly config: FilesConfig,
  ) {
    this.render = new Throttle(() => this.host.requestUpdate());
    this.server = new FileServer({
      transport: config.transport,
      active: () => this.where,
      serves: (id) => this.known.has(id) && !this.paused.has(id),
      sent: (m, bytes) => this.sent(m, bytes),
    });
    config.transport.acceptFileEvents(isWellFormedFileEvent);
    // Last: a connected host starts a controller as soon as it is added.
    host.addController(this);
  }

  hostConnected(): void {
    const t = this.config.transport;
    this.offs = [
      // Asked before the room's files are loaded (we just came): answered once they are.
      t.subscribe('file:who', (who, meta) => {
        const where = this.sync();
        if (where) void this.loaded.then(() => this.server.who(who, meta.from)).catch(() => {});
      }),
      t.subscribe('file:want', (want, meta) => {
        if (this.sync()) void this.loaded.then(() => this.server.want(want, meta.from));
      }),
      t.subscribe('file:have', (have, meta) => {
        const where = this.sync();
        if (where && have.room === where.room) this.fetches.get(have.file)?.have(meta.from, have);
      }),
      t.onBytes((head, bytes, meta) => {
        const where = this.sync();
        if (!where || head.room !== where.room) return;
        void this.fetches
          .get(head.file)
          ?.bytes(meta.from, head.part, bytes)
          .catch(() => {});
      }),
      t.onOpen(() => this.askAgain(true)),
      t.onPeerJoin(() => this.askAgain(false)),
      t.onReach(() => this.reached()),
    ];
    this.sync();
  }

  hostUpdate(): void {
    this.sync();
  }

  hostDisconnected(): void {
    this.offs.forEach((off) => off());
    this.offs = [];
    this.leaveRoom();
    this.render.cancel();
    this.thumbs.clear();
  }

  /** The largest file we let the user send now: the element's limit and the server's cap. */
  get maxFileSize(): number {
    const cap = this.config.transport.current?.fileCap ?? Infinity;
    return Math.min(this.config.maxFileSize(), cap, MAX_FILE_CEILING);
  }

  async attach(files: readonly File[]): Promise<string[]> {
    const where = this.sync();
    if (!where) return ['Open a room to send files.'];
    const max = this.maxFileSize;
    const refused: string[] = [];
    const going: File[] = [];
    for (const file of files) {
      const why = refusal(file, max);
      if (why) refused.push(why);
      else going.push(file);
    }
    if (going.length > 0 && this.config.active()?.encrypted && !this.config.sealingKey()) {
      return [...refused, "This room's key is not here yet, so files cannot be sent sealed."];
    }
    // One message each, in order: the next file is made once the one before is posted.
    for (const file of going) {
      if (this.where !== where) {
        refused.push(`${file.name} was not sent: the room was left first.`);
        continue;
      }
      try {
        const m = await sendFile(this.config, where, file);
        if (!m || this.where !== where) continue;
        this.known.add(m.list);
        this.server.forget(m.list);
        this.states.set(m.list, { id: m.list, phase: 'held', done: m.size, size: m.size });
        this.config.transport.emit('file:have', {
          room: where.room,
          file: m.list,
          all: true,
          list: true,
        });
        this.render.poke();
      } catch (err) {
        refused.push(
          err instanceof FileStoreFullError
            ? err.message
            : `${file.name} could not be sent: ${err instanceof Error ? err.message : String(err)}`,
        );
      }
    }
    return refused;
  }

  stateOf(m: Manifest): FileState {
    const where = this.sync();
    const known = this.states.get(m.list);
    if (known) return known;
    const fresh: FileState = { id: m.list, phase: 'missing', done: 0, size: m.size };
    this.states.set(m.list, fresh);
    if (where) {
      void getFile(where.db, where.owner, m.list)
        .then((rec) => {
          if (rec && this.where === where && this.states.get(m.list) === fresh) {
            this.states.set(m.list, stateOfRecord(rec));
            this.render.poke();
          }
        })
        .catch(() => undefined);
    }
    return fresh;
  }

  fetch(m: Manifest, message: string): void {
    const where = this.sync();
    if (!where) return;
    this.paused.delete(m.list);
    this.start(where, m, message);
  }

  cancel(m: Manifest): void {
    const id = m.list;
    const fetch = this.fetches.get(id);
    const where = this.where;
    if (fetch && !fetch.over) {
      fetch.stop();
      this.fetches.delete(id);
      this.states.set(id, { id, phase: 'stopped', done: fetch.state.done, size: m.size });
      if (where) void setWanted(where.db, where.owner, id, false).catch(() => undefined);
    }
    if (this.sending.has(id) || this.states.get(id)?.phase === 'sending') {
      this.paused.add(id);
      this.server.drop(id);
      this.sending.stop(id);
      this.states.set(id, { id, phase: 'held', done: m.size, size: m.size });
    }
    this.render.poke();
  }

  async blob(m: Manifest): Promise<Blob | undefined> {
    const where = this.sync();
    return where ? fileBlob(where, m, (kid) => this.config.keyOf(kid)) : undefined;
  }

  async download(m: Manifest): Promise<void> {
    const blob = await this.blob(m);
    if (blob) saveBlob(blob, m.name);
  }

  async remove(m: Manifest): Promise<void> {
    const where = this.sync();
    if (!where) return;
    this.fetches.get(m.list)?.stop();
    this.fetches.delete(m.list);
    this.known.delete(m.list);
    this.server.drop(m.list);
    this.sending.stop(m.list);
    await removeFileBytes(where.db, where.owner, m.list);
    this.states.set(m.list, { id: m.list, phase: 'missing', done: 0, size: m.size });
    this.render.poke();
  }

  thumbUrl(m: Manifest): string | undefined {
    return this.thumbs.of(m);
  }

  /** Parts members asked us for that are not sent yet (diagnostics and tests). */
  get queuedParts(): number {
    return this.server.queued;
  }

  /** The fetch of file `id` under way, if any (diagnostics and tests). */
  fetchOf(id: string): FileFetch | undefined {
    return this.fetches.get(id);
  }

  /** Starts (or resumes) fetching `m`; `message` is linked to the file first when given. */
  private start(where: ActiveRoom, m: Manifest, message?: string): void {
    const id = m.list;
    const running = this.fetches.get(id);
    if ((running && !running.over) || this.states.get(id)?.phase === 'held') return;
    const fetch = new FileFetch(m, {
      transport: this.config.transport,
      where,
      keyOf: (kid) => this.config.keyOf(kid),
      strike: (peer) => this.strikes.set(peer, (this.strikes.get(peer) ?? 0) + 1),
      changed: () => {
        // A file just held counts against this browser's room for files.
        if (this.states.get(id)?.phase === 'held') void trimHeld(where);
        this.render.poke();
      },
      who: (file) => this.who(where, file),
    });
    this.fetches.set(id, fetch);
    this.states.set(id, fetch.state);
    this.known.add(id);
    this.render.poke();
    const { db, owner, room } = where;
    void (async () => {
      const rec = message !== undefined ? await putFile(db, owner, room, m, message) : undefined;
      if (rec?.complete) {
        fetch.stop();
        this.states.set(id, stateOfRecord(rec));
        return this.render.poke();
      }
      await setWanted(db, owner, id, true);
      if (fetch.over || this.where !== where) {
        // Cancelled (or the room left) meanwhile: Cancel's "not wanted" stands.
        if (fetch.over) await setWanted(db, owner, id, false);
        return;
      }
      await fetch.start();
    })().catch((err: unknown) => {
      fetch.stop();
      const error = err instanceof Error ? err.message : String(err);
      this.states.set(id, { id, phase: 'failed', done: fetch.state.done, size: m.size, error });
      this.render.poke();
    });
  }

  /** Bytes of file `m` went to a member: its state shows sending, until a moment of quiet. */
  private sent(m: Manifest, bytes: number): void {
    const id = m.list;
    const { sent, speed } = this.sending.add(id, bytes);
    const phase = this.states.get(id)?.phase;
    if (phase === undefined || phase === 'held' || phase === 'sending' || phase === 'missing') {
      const done = Math.min(m.size, sent);
      this.states.set(id, { id, phase: 'sending', done, size: m.size, speed });
    }
    this.render.poke();
  }

  /** File `id` went quiet: a file shown as sending is shown as held again. */
  private quiet(id: string): void {
    const state = this.states.get(id);
    if (state?.phase !== 'sending') return;
    this.states.set(id, { id, phase: 'held', done: state.size, size: state.size });
    this.render.poke();
  }

  /**
   * Asks the room who holds `file`: the files asked for in one turn of the event loop go in
   * as few `file:who` as {@link MAX_WHO_FILES} allows (a room with many wanted files sends a
   * handful of events when a member joins, not one per file).
   */
  private who(where: ActiveRoom, file: string): void {
    this.asking.add(where, file, () => this.where === where);
  }

  /**
   * Asks the room again for every file being fetched: a member came, or (`relink`) our link
   * opened again or switched, so parts asked over the old one are asked again.
   */
  private askAgain(relink: boolean): void {
    if (!this.sync()) return;
    for (const fetch of this.fetches.values()) fetch.ask(relink);
  }

  /** Tells every fetch who is reachable now (parts asked of members who left go elsewhere). */
  private reached(): void {
    const reach = this.config.transport.reach();
    if (!reach || !this.sync()) return;
    const present = new Set(reach.members.map((m) => m.hello.id));
    for (const fetch of this.fetches.values()) fetch.present(present);
  }

  /** Follows the room on screen: leaves the old one's work and loads the new one's files. */
  private sync(): ActiveRoom | undefined {
    const next = this.config.active();
    const now = this.where;
    if (next && now && next.owner === now.owner && next.room === now.room && next.db === now.db) {
      return now;
    }
    if (!next && !now) return undefined;
    this.leaveRoom();
    if (!next) return undefined;
    const where: ActiveRoom = { owner: next.owner, room: next.room, db: next.db };
    this.where = where;
    this.loaded = this.enterRoom(where).catch(() => undefined);
    return where;
  }

  private async enterRoom(where: ActiveRoom): Promise<void> {
    await releaseLeftovers(where);
    const files = await filesOfRoom(where.db, where.owner, where.room);
    if (this.where !== where) return;
    for (const rec of files) {
      if (rec.held > 0 || rec.complete) this.known.add(rec.id);
      const state = this.states.get(rec.id);
      if (!state || (state.phase === 'missing' && !this.fetches.has(rec.id))) {
        this.states.set(rec.id, stateOfRecord(rec));
      }
    }
    // What was wanted here before a reload goes on where it stopped.
    const wanted = await wantedFiles(where.db, where.owner);
    if (this.where !== where) return;
    for (const rec of wanted) if (rec.room === where.room) this.start(where, rec.manifest);
    this.render.poke();
  }

  private leaveRoom(): void {
    for (const fetch of this.fetches.values()) fetch.stop();
    this.fetches.clear();
    this.server.reset();
    this.known.clear();
    this.paused.clear();
    this.states.clear();
    this.sending.clear();
    this.asking.clear();
    this.where = undefined;
  }
}
