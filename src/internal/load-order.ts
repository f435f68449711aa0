/**
 * The order a visitor's browser fetches Parley's chunks in, page-wide: what the first view
 * needs first (the login box, or a returning visitor's room), then what being in a room needs
 * (for a visitor not logged in, once they turn to the chat: see chat-intent.ts),
 * and only once the room is live and the page idle what a visitor may never use (files, the
 * Settings panel, search, notifications, the room list). Each stage waits for the one before,
 * so the bytes fetched before the login box can be used, and before the chat is in its room,
 * are only those (the visitor-bytes test holds both to a budget).
 *
 * Nothing here loads anything: loaders ask to wait (`afterFirstView`, `afterSettled`); the chat
 * says when a stage is reached (`firstViewShown`, `roomSettled`). Only a page whose entry
 * registers the chat orders its loads (`orderLoads`, called by src/define.ts): elsewhere — the
 * Node client, a controller on its own, a test — nothing waits.
 */

/** A stage reached once, for the whole page. */
function stage(): { reached: Promise<void>; reach: () => void; done: () => boolean } {
  let reach!: () => void;
  let done = false;
  const reached = new Promise<void>((resolve) => {
    reach = () => {
      done = true;
      resolve();
    };
  });
  return { reached, reach: () => reach(), done: () => done };
}

const firstView = stage();
const settled = stage();
/** Whether a chat orders this page's loads (see the file's comment). */
let ordered = false;

/** Says that this page's chat orders its loads: from now on, loaders wait for its stages. */
export function orderLoads(): void {
  ordered = true;
}

/** How long the page may stay busy before the last stage starts anyway (ms). */
const IDLE_WAIT_MS = 1500;

/** Resolves once a chat shows its first view: the login box can be used, or a session is back. */
export function afterFirstView(): Promise<void> {
  return ordered ? firstView.reached : Promise.resolve();
}

/** Resolves once a chat is live in its room and the page has been idle a moment. */
export function afterSettled(): Promise<void> {
  return ordered ? settled.reached : Promise.resolve();
}

/** `load` once the first view is up (see {@link afterFirstView}), its promise passed on. */
export function loadAfterFirstView<T>(load: () => Promise<T>): Promise<T> {
  return afterFirstView().then(load);
}

/** `load` once the chat is settled in its room (see {@link afterSettled}). */
export function loadAfterSettled<T>(load: () => Promise<T>): Promise<T> {
  return afterSettled().then(load);
}

/** A chat's first view is up: the login box can be typed in, or the visitor is logged in. */
export function firstViewShown(): void {
  if (!firstView.done()) firstView.reach();
}

/**
 * A chat is live in its room: once the browser is idle (or after {@link IDLE_WAIT_MS} at the
 * latest), what waits for the last stage starts loading.
 */
let settling = false;
export function roomSettled(): void {
  if (settling) return;
  settling = true;
  firstViewShown();
  const go = () => settled.reach();
  if (typeof requestIdleCallback === 'function') requestIdleCallback(go, { timeout: IDLE_WAIT_MS });
  else setTimeout(go, 0);
}
