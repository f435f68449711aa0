/**
 * What views know of files: the state of one file in this browser (held, moving, stopped) and
 * the calls a view makes. The files controller (`files-controller.ts`) implements
 * {@link FileActions}; views import only this file's types, never the controller's I/O.
 */
import type { Manifest } from '../../protocol/file-manifest.js';

export type { Manifest } from '../../protocol/file-manifest.js';

/**
 * Where one file stands in this browser:
 * - `held`: every chunk is here and the whole file checked against its SHA-256;
 * - `fetching`: chunks are coming in (`done` of `size` bytes, at `speed` bytes per second);
 * - `sending`: we are serving it to someone (our own or a copy), with progress;
 * - `waiting`: wanted, but no member who holds it is reachable now — resumes by itself;
 * - `stopped`: the user pressed Cancel (what came stays; Download starts again from there);
 * - `missing`: not here and not being fetched (never asked for, or removed from this browser);
 * - `failed`: something went wrong that will not fix itself (`error` says what, in words).
 */
export type FilePhase =
  'held' | 'fetching' | 'sending' | 'waiting' | 'stopped' | 'missing' | 'failed';

/** One file's state, as views show it. */
export interface FileState {
  /** The file's address (the manifest's `list`). */
  id: string;
  phase: FilePhase;
  /** Bytes of the file held here (fetching) or sent (sending). */
  done: number;
  size: number;
  /** Bytes per second over the last few seconds, while moving. */
  speed?: number;
  /** What went wrong, in plain words (`failed`, or a quota problem). */
  error?: string;
}

/** What a view may ask of files; implemented by the files controller. */
export interface FileActions {
  /** The largest file we let the user send now: the element's limit and the server's cap. */
  readonly maxFileSize: number;
  /**
   * Sends `files` to the room, one message each. Every file over `maxFileSize` (or empty) is
   * refused before anything is sent, with a sentence saying so; returns those sentences
   * (empty when all went).
   */
  attach(files: readonly File[]): Promise<string[]>;
  /** The state of the file `m` describes in this browser. */
  stateOf(m: Manifest): FileState;
  /**
   * Starts (or resumes) fetching the file message `message` carries; the state moves to
   * `fetching` or `waiting`.
   */
  fetch(m: Manifest, message: string): void;
  /** Stops fetching or sending it; what came stays. */
  cancel(m: Manifest): void;
  /**
   * The whole file as a Blob of a safe type (images of a previewable type keep theirs; every
   * other file is `application/octet-stream`), once held and checked; undefined otherwise.
   */
  blob(m: Manifest): Promise<Blob | undefined>;
  /** Saves the file under its sanitised name (a Blob URL on a download link). */
  download(m: Manifest): Promise<void>;
  /** Removes the file's bytes from this browser (the message stays, and can fetch it again). */
  remove(m: Manifest): Promise<void>;
  /** A Blob URL of the manifest's thumbnail, or undefined (none, or not a thumbnail type). */
  thumbUrl(m: Manifest): string | undefined;
}
