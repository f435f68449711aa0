/**
 * Export and import as the room controller offers them (loaded lazily, with the first use):
 * the room on screen as a JSON file to verify and import elsewhere, or as a web page to read;
 * a JSON export taken into this account's history. An export of another room is taken into
 * *that* room — its messages are signed for it and could not belong anywhere else — and the
 * report names it, so the user is told where they went.
 */
import { isPrivateRoom } from '../../protocol/room-kind.js';
import type { RoomKeyEntry } from '../../store/room-keys.js';
import { collectRows, exportHtml } from './export-html.js';
import { exportJson } from './history-export.js';
import { importHistory, type ImportReport } from './history-import.js';
import type { ControlNote } from './history-rows.js';
import type { HistoryPort } from './history-port.js';
import type { ActiveRoom } from './room-context.js';
import { saveBlob } from '../files/file-handout.js';
import { describeImport } from './history-import.js';

export { saveBlob } from '../files/file-handout.js';
export { describeImport, type ImportReport } from './history-import.js';

/** The formats a room exports to. */
export type ExportFormat = 'json' | 'html';

const pad = (n: number) => String(n).padStart(2, '0');

/** The file name of an export of `room` made at `now`: `parley-general-2026-12-07.json`. */
export function exportName(room: string, format: ExportFormat, now = Date.now()): string {
  const d = new Date(now);
  const day = `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
  return `parley-${room}-${day}.${format}`;
}

/** How a private room's control messages show on the page: as the room shows them. */
async function controlNotes(active: ActiveRoom): Promise<ControlNote | undefined> {
  if (!isPrivateRoom(active.room)) return undefined;
  const { RoomControl } = await import('./room-control.js');
  const control = await RoomControl.open(active);
  return async (msg, body) => {
    if (body !== undefined && RoomControl.is(body))
      return (await control.take(msg, body)).note ?? null;
    // Words of a member written after their removal are not shown, here as in the room.
    return control.removedWhen(msg.from.id, msg.ts) ? null : undefined;
  };
}

/**
 * The history of `active`'s room as a file to save: `json`, every stored envelope as signed
 * (sealed ones sealed); `html`, a readable page of the messages opened with `keys` (in an
 * encrypted room the page holds them in the clear), titled `title`.
 */
export async function exportRoom(
  active: ActiveRoom,
  keys: readonly RoomKeyEntry[],
  format: ExportFormat,
  title: string,
): Promise<{ blob: Blob; name: string }> {
  const now = Date.now();
  const name = exportName(active.room, format, now);
  if (format === 'json')
    return { blob: await exportJson(active.db, active.owner, active.room), name };
  const note = await controlNotes(active);
  const rows = await collectRows(
    active.db,
    active.owner,
    active.room,
    [...keys],
    active.self.id,
    note,
  );
  const page = exportHtml(rows, {
    room: active.room,
    title,
    exported: now,
    encrypted: keys.length > 0,
  });
  return { blob: new Blob([page], { type: 'text/html' }), name };
}

/**
 * Takes the JSON export `file` into this account's history, into the room the file is of
 * (which may not be `active`'s: the report's `room` says which). Our own messages are stored
 * as delivered. Never throws for a bad file (the report says why); throws if storage fails.
 */
export function importRoom(active: ActiveRoom, file: Blob): Promise<ImportReport> {
  return importHistory(active.db, active.owner, file, { self: active.self.id });
}

/**
 * Exports `active`'s room as `format` and saves the file, saying so through `port` (busy, then
 * the file's name or what went wrong). Resolves false, with the problem said, when it fails.
 */
export async function exportFor(
  port: HistoryPort,
  active: ActiveRoom,
  format: ExportFormat,
  title: string,
): Promise<boolean> {
  port.busy(true, 'Exporting…');
  try {
    const { blob, name } = await exportRoom(active, port.sealing.entries, format, title);
    saveBlob(blob, name);
    port.busy(false, `Saved ${name}.`);
    return true;
  } catch (err) {
    const why = `Could not export this room's history: ${String(err)}`;
    port.busy(false, why);
    return port.fail('storage', why);
  }
}

/**
 * Imports the JSON export `file` into this account (see {@link importRoom}), hands what it
 * added to the room controller and says what happened through `port`. Resolves with the
 * report, or undefined (the problem said) when storage failed.
 */
export async function importFor(
  port: HistoryPort,
  active: ActiveRoom,
  file: Blob,
): Promise<ImportReport | undefined> {
  port.busy(true, 'Checking and importing…');
  try {
    const report = await importRoom(active, file);
    if (report.fresh.length > 0) port.imported(active, report);
    port.busy(false, describeImport(report));
    return report;
  } catch (err) {
    const why = `Could not import into this browser's storage: ${String(err)}`;
    port.busy(false, why);
    port.fail('storage', why);
    return undefined;
  }
}
