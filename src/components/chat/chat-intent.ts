/**
 * When a visitor who is not logged in turns to the chat: the first pointer over it, press, key
 * or input inside it (the login box, the launcher, the top bar). `<parley-chat>` then fetches its core, so the
 * download and its evaluation overlap the visitor's typing and the password's stretching,
 * instead of blocking the page for a visitor who may never log in.
 *
 * A focus counts only in an inline chat: the modal login box takes the focus itself as it
 * opens (see parley-login.ts), which says nothing of the visitor; an inline one never does.
 */

/** What the visitor does that says they are turning to the chat. */
const INTENT = ['pointerover', 'pointerdown', 'keydown', 'input'] as const;

/**
 * Calls `intent` the first time the visitor acts inside `root` (see the file's comment); a
 * `focusin` counts while `focusCounts()` says so. The listeners go once `done` resolves (the
 * core is wanted, by this or by a login).
 */
export function watchIntent(
  root: Node,
  focusCounts: () => boolean,
  done: Promise<void>,
  intent: () => void,
): void {
  const stop = new AbortController();
  const options = { signal: stop.signal, capture: true, passive: true };
  for (const type of INTENT) root.addEventListener(type, intent, options);
  root.addEventListener('focusin', () => focusCounts() && intent(), options);
  void done.then(() => stop.abort());
}
