/**
 * A fake files API for view tests: states set by the test, every call recorded. It does what
 * the real one promises views (a safe-typed Blob, thumbnails as Blob URLs) with real Blobs.
 */
import type { FileActions, FileState } from '../../../src/controllers/files/file-state.js';
import type { Manifest } from '../../../src/protocol/file-manifest.js';
import type { ChatMessage } from '../../../src/controllers/room/message-list.js';
import { SIGNATURE_SHAPED, TEST_AUTHOR } from '../../support/identity.js';

/** 43 base64url characters, as a SHA-256 travels. */
export const hashOf = (c: string) => c.repeat(43).slice(0, 43);

/** A manifest of `name` (`type`, `size` bytes); `extra` adds a thumbnail, dimensions… */
export function manifest(
  name: string,
  type: string,
  size = 1_234_567,
  extra: Partial<Manifest> = {},
): Manifest {
  return { name, size, type, sha256: hashOf('s'), chunk: 65536, list: hashOf(name[0]!), ...extra };
}

/** A file message from Bob carrying `m`, with `caption`. */
export function fileMessage(m: Manifest, caption = '', id = 'f1'): ChatMessage {
  return {
    id,
    room: 'lobby',
    from: { id: 'bob', name: 'Bob', key: TEST_AUTHOR.key },
    ts: Date.UTC(2025, 0, 6, 9, 0),
    seq: 1,
    sig: SIGNATURE_SHAPED,
    body: { kind: 'file', file: m, text: caption },
    text: caption,
    owner: 'me',
    status: 'received',
    file: m,
  };
}

/** A small PNG of `w`×`h` pixels, drawn on a canvas. */
export async function png(w = 40, h = 30, colour = '#3a7'): Promise<Blob> {
  const canvas = document.createElement('canvas');
  [canvas.width, canvas.height] = [w, h];
  const g = canvas.getContext('2d')!;
  g.fillStyle = colour;
  g.fillRect(0, 0, w, h);
  return new Promise((r) => canvas.toBlob((b) => r(b!), 'image/png'));
}

type Call = [string, ...unknown[]];

/** The fake: `states` by file address, `blobs` by file address, `thumbs` by address. */
export class FakeFiles implements FileActions {
  maxFileSize = 25 * 1024 * 1024;
  readonly calls: Call[] = [];
  readonly states = new Map<string, FileState>();
  readonly blobs = new Map<string, Blob>();
  readonly thumbs = new Map<string, string>();
  /** What `attach` answers (refusals). */
  refusals: string[] = [];
  /** Resolves `attach` (for tests that look before it is done); immediate by default. */
  attached: File[][] = [];

  /** Sets the state of `m`'s file. */
  set(m: Manifest, phase: FileState['phase'], more: Partial<FileState> = {}): void {
    this.states.set(m.list, { id: m.list, phase, done: 0, size: m.size, ...more });
  }

  async attach(files: readonly File[]): Promise<string[]> {
    this.calls.push(['attach', files]);
    this.attached.push([...files]);
    return this.refusals;
  }
  stateOf(m: Manifest): FileState {
    return this.states.get(m.list) ?? { id: m.list, phase: 'missing', done: 0, size: m.size };
  }
  fetch(m: Manifest, message: string): void {
    this.calls.push(['fetch', m.name, message]);
  }
  cancel(m: Manifest): void {
    this.calls.push(['cancel', m.name]);
  }
  async blob(m: Manifest): Promise<Blob | undefined> {
    this.calls.push(['blob', m.name]);
    return this.stateOf(m).phase === 'held' ? this.blobs.get(m.list) : undefined;
  }
  async download(m: Manifest): Promise<void> {
    this.calls.push(['download', m.name]);
  }
  async remove(m: Manifest): Promise<void> {
    this.calls.push(['remove', m.name]);
    this.set(m, 'missing');
  }
  thumbUrl(m: Manifest): string | undefined {
    return this.thumbs.get(m.list);
  }
  /** The names of the calls made, in order. */
  get called(): string[] {
    return this.calls.map((c) => c[0]);
  }
}
