/**
 * Escape for Parley's panels (`<dialog>`s that are modal on a page of their own and inline,
 * non-modal, in an embedded chat): the browser closes a modal dialog on Escape by itself, an
 * inline one is closed here — unless the key was taken already or an input method is composing.
 */

/** Calls `dismiss` for an Escape that should close the inline panel (`inline`); else nothing. */
export function escapeInline(e: KeyboardEvent, inline: boolean, dismiss: () => void): void {
  if (e.key !== 'Escape' || !inline || e.defaultPrevented || e.isComposing) return;
  e.preventDefault();
  dismiss();
}
