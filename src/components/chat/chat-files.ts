/**
 * The files part of `<parley-chat>`, in a chunk of its own loaded right after the chat first
 * renders: it makes the files controller (sending, fetching and serving files; see
 * `files-controller.ts`) on the chat's link and room, has the file rows follow it, and makes
 * the chat a drop target for files (chat-drop.ts). Until it is there the composer's "Attach
 * file" waits for it and file rows show their file with their buttons off.
 */
import type { LitElement } from 'lit';
import type { TransportController } from '../../controllers/connection/transport-controller.js';
import type { FileActions } from '../../controllers/files/file-state.js';
import { FilesController } from '../../controllers/files/files-controller.js';
import type { RoomController } from '../../controllers/room/room-controller.js';
import { DEFAULT_MAX_FILE } from '../../protocol/file-manifest.js';
import { followFiles } from '../messages/file-live.js';
import { ChatDrop } from './chat-drop.js';

/**
 * The files controller of the chat `host` whose link is `link` and room `chat`; its limit is
 * the chat's `max-file-size` (unset, or not a positive number: the default 25 MiB).
 */
export function filesFor(
  host: LitElement & { maxFileSize?: number | undefined },
  link: TransportController,
  chat: RoomController,
): FileActions {
  host.addController(followFiles); // file rows follow the progress the controller renders
  new ChatDrop(host); // files dropped on the chat are sent
  return new FilesController(host, {
    transport: link,
    active: () => chat.fileRoom(),
    sealingKey: () => chat.sealingKey(),
    keyOf: (kid) => chat.keyOf(kid),
    post: (body) => chat.postFile(body),
    maxFileSize: () => {
      const set = host.maxFileSize;
      return set !== undefined && set > 0 ? set : DEFAULT_MAX_FILE;
    },
  });
}
