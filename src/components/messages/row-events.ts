/**
 * The events the message list and the composer fire for editing, deleting, replying and
 * reacting (issue 24), with their details. They bubble and cross shadow roots like the other
 * `parley-` events; `<parley-chat>` binds them to the room controller.
 */

/** What a message row asks the composer to do: answer it, or edit it (ours). */
export interface ComposeDetail {
  mode: 'edit' | 'reply';
  id: string;
  /** The message's current text (what an edit starts from). */
  text: string;
  /** Its author's name ("You" for ours). */
  name: string;
  /** A one-line excerpt of its text, at most `REPLY_EXCERPT` characters. */
  excerpt: string;
}

/** Every event of this file and its detail. */
export interface RowEventMap {
  /** Add (`on`) or take back our reaction `emoji` to message `id`. */
  'parley-react': { id: string; emoji: string; on: boolean };
  /** Delete our message `id` (the reader confirmed): others see "message deleted". */
  'parley-delete': { id: string };
  /** Show message `id` in context (a reply's quote): the list loads it and highlights it. */
  'parley-jump': { id: string };
  /** Start answering or editing a message: the owner hands it to the composer. */
  'parley-compose': ComposeDetail;
  /** The composer left its reply or edit mode (sent, or cancelled): the owner forgets it. */
  'parley-compose-end': Record<string, never>;
  /** ArrowUp in an empty composer: the owner starts editing our newest message. */
  'parley-edit-last': Record<string, never>;
}

/** Fires a bubbling, composed, cancelable event of {@link RowEventMap} from `el`. */
export function emit<K extends keyof RowEventMap>(
  el: EventTarget,
  type: K,
  detail: RowEventMap[K],
): boolean {
  return el.dispatchEvent(
    new CustomEvent(type, { detail, bubbles: true, composed: true, cancelable: true }),
  );
}

/** A message's text as one line of at most `max` characters (an excerpt for a reply). */
export function excerptOf(text: string, max: number): string {
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length <= max ? line : `${line.slice(0, max - 1).trimEnd()}…`;
}
