/**
 * The file rows on the page, so they follow their files' progress: the files controller asks
 * its chat to render again on progress, and {@link followFiles}, a controller of that chat,
 * then has every file row read its state again — without rendering the message list again.
 * Shared by the file rows' chunk and the chat's files chunk, both lazy.
 */
import type { ReactiveController } from 'lit';

/** The `<parley-file>` elements connected now. */
export const liveRows = new Set<{ requestUpdate(): void }>();

/** Added to a chat: after each of its renders, every file row renders again. */
export const followFiles: ReactiveController = {
  hostUpdated() {
    for (const row of liveRows) row.requestUpdate();
  },
};
