/**
 * Members for the files controller's tests: each a bare host with a real TransportController
 * over in-page memory transports of one hub and a real IndexedDB, and a FilesController whose
 * posted file messages are kept in `posted` (no room controller: the files' side alone).
 */
import { TransportController } from '../../../src/controllers/connection/transport-controller.js';
import { FilesController } from '../../../src/controllers/files/files-controller.js';
import { DEFAULT_MAX_FILE, type FileBody } from '../../../src/protocol/file-manifest.js';
import { deleteParleyDb, openParleyDb, type ParleyDb } from '../../../src/store/db.js';
import type { TransportFactory } from '../../../src/transport/index.js';
import type { MemoryHub } from '../../../src/transport/memory.js';
import { BareHost } from '../../support/bare-host.js';
import { uniqueDbName } from '../../support/db.js';
import { until } from '../room-harness.js';

/** A room key both ends of a sealed-room test hold. */
export interface TestKey {
  key: CryptoKey;
  kid: string;
}

/** One member: its controllers, database and what it posted. */
export interface FilesMember {
  owner: string;
  host: BareHost;
  transport: TransportController;
  files: FilesController;
  db: ParleyDb;
  dbName: string;
  posted: FileBody[];
  /** Ends the controllers and the link (the database stays, for a resumed member). */
  close: () => void;
}

/** Options of one member. */
export interface MemberOptions {
  key?: TestKey;
  maxFileSize?: number;
  /** Reuses a database (a reload of the same browser). */
  dbName?: string;
  owner?: string;
}

/** Joins `room` of `hub` as `name`, with a files controller. */
export async function filesMember(
  hub: MemoryHub,
  name: string,
  room: string,
  options: MemberOptions = {},
): Promise<FilesMember> {
  const dbName = options.dbName ?? uniqueDbName();
  const db = await openParleyDb(dbName);
  const owner = options.owner ?? `${name}-account`;
  const host = new BareHost();
  const factory = (async (_kind, opts) => hub.transport(opts)) as TransportFactory;
  const transport = new TransportController(host, { kind: () => 'memory', factory: () => factory });
  const posted: FileBody[] = [];
  const key = options.key;
  const files = new FilesController(host, {
    transport,
    active: () => ({ owner, room, db, encrypted: key !== undefined }),
    sealingKey: () => key,
    keyOf: (kid) => (key && kid === key.kid ? key.key : undefined),
    post: (body) => {
      posted.push(body);
      return `${name}-message-${posted.length}`;
    },
    maxFileSize: () => options.maxFileSize ?? DEFAULT_MAX_FILE,
  });
  host.controllers.forEach((c) => c.hostConnected?.());
  await transport.join(room, { userId: `${name}-id`, name });
  await until(() => transport.state === 'open', `${name} connected`);
  let closed = false;
  return {
    owner,
    host,
    transport,
    files,
    db,
    dbName,
    posted,
    close: () => {
      if (closed) return;
      closed = true;
      host.controllers.forEach((c) => c.hostDisconnected?.());
    },
  };
}

/** Closes every member and deletes their databases. */
export async function dropAll(members: FilesMember[]): Promise<void> {
  for (const m of members) m.close();
  const names = new Set(members.map((m) => m.dbName));
  for (const m of members) m.db.close();
  await Promise.all([...names].map((n) => deleteParleyDb(n)));
}

/** `size` random bytes as a File called `name`. */
export function randomFile(size: number, name = 'random.bin', type = 'application/x-test'): File {
  const bytes = new Uint8Array(size);
  for (let at = 0; at < size; at += 65536) {
    crypto.getRandomValues(bytes.subarray(at, Math.min(size, at + 65536)));
  }
  return new File([bytes], name, { type });
}

/** The SHA-256 of a Blob's bytes, in hex. */
export async function digestOf(blob: Blob): Promise<string> {
  const hash = new Uint8Array(await crypto.subtle.digest('SHA-256', await blob.arrayBuffer()));
  return [...hash].map((b) => b.toString(16).padStart(2, '0')).join('');
}

/** A room key of the right kind, with a made-up key id of the right length. */
export async function testKey(): Promise<TestKey> {
  const key = await crypto.subtle.generateKey({ name: 'AES-GCM', length: 256 }, false, [
    'encrypt',
    'decrypt',
  ]);
  return { key, kid: 'testkey-0123456_' };
}

/** Makes every chunk `member` serves arrive `ms` later (a slow link). */
export function slowDown(member: FilesMember, ms: number): void {
  const send = member.transport.sendBytes.bind(member.transport);
  member.transport.sendBytes = async (peer, head, bytes) => {
    await new Promise((r) => setTimeout(r, ms));
    return send(peer, head, bytes);
  };
}

export { until };
