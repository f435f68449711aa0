/**
 * `components/shared/` — what several views use: the DOM events, the theme, avatars, focus helpers
 * and the side lists' styles.
 *
 * The DOM events Parley's views fire: kebab-case, `parley-` prefix, bubbling and composed so
 * they cross shadow roots, and typed through `GlobalEventHandlersEventMap`.
 */
import type { ProblemCode } from '../../controllers/shared/problem.js';
import type { MessageReport } from '../../controllers/room/message-report.js';
import type { MarkedReport } from '../../controllers/room/message-marks.js';
import type { ParleySettings } from '../../controllers/settings/settings.js';

/** Credentials typed into the login popup. */
export interface Credentials {
  name: string;
  password: string;
}

/** Fires a typed, bubbling, composed, cancelable custom event from `el`; returns false if cancelled. */
export function fire<K extends keyof ParleyEventMap>(
  el: HTMLElement,
  type: K,
  detail: ParleyEventMap[K] extends CustomEvent<infer D> ? D : never,
): boolean {
  return el.dispatchEvent(
    new CustomEvent(type, { detail, bubbles: true, composed: true, cancelable: true }),
  );
}

/**
 * Fires `type` from `el` with `detail`, and `secret` readable as `detail[field]` by `el`'s own
 * listeners.
 *
 * For events that hand a secret (a password, a room passphrase) from a view to the one element
 * that owns it. Any script on the embedding page can listen on `window` or `document` in the
 * capture phase and read a composed event's detail, so such an event never leaves the shadow
 * tree it was fired in: it is neither composed nor bubbling (only listeners on the view
 * itself, or capture listeners inside the same shadow tree, see it at all), and the secret in
 * its detail is a getter that answers only a listener on the view itself, only while the event
 * is being dispatched — a capture listener above it reads '', and so does anyone who kept the
 * event for later.
 */
export function fireSecret<D extends object, F extends string>(
  el: HTMLElement,
  type: string,
  detail: D,
  field: F,
  secret: string,
): boolean {
  let held = secret;
  const shown = { ...detail };
  const event = new CustomEvent(type, {
    detail: shown,
    bubbles: false,
    composed: false,
    cancelable: true,
  });
  Object.defineProperty(shown, field, {
    enumerable: false,
    // Only the view's own listeners (what its owner binds in its template), during dispatch.
    get: () => (event.currentTarget === el && event.eventPhase === Event.AT_TARGET ? held : ''),
  });
  try {
    return el.dispatchEvent(event);
  } finally {
    held = '';
  }
}

/** Every Parley DOM event and its detail. */
export interface ParleyEventMap {
  /**
   * The user submits the login form. It carries the password, so it is fired neither bubbling
   * nor composed and `password` answers only the login element's own listeners (see
   * `fireSecret`): no listener on the page's window or document sees it.
   */
  'parley-login-submit': CustomEvent<Credentials>;
  /** The user submits the form to create an account (kept to the login element, like the login). */
  'parley-register-submit': CustomEvent<Credentials>;
  /** The user sends a message; cancel it to keep the text in the composer. */
  'parley-send': CustomEvent<{ text: string; reply?: string; edit?: string }>;
  /** The user asks to send one of their failed messages again. */
  'parley-retry': CustomEvent<{ id: string }>;
  /** The user is typing (fired at most every few seconds) or stopped. */
  'parley-typing': CustomEvent<{ typing: boolean }>;
  /** The user asks for older messages. */
  'parley-load-older': CustomEvent<Record<string, never>>;
  /** The user adds (`on`) or takes back a reaction to message `id`. */
  'parley-react': CustomEvent<{ id: string; emoji: string; on: boolean }>;
  /** The user deletes their message `id` (they confirmed). */
  'parley-delete': CustomEvent<{ id: string }>;
  /** Show message `id` (of `room`, else this one) in context: a reply's quote, a search result. */
  'parley-jump': CustomEvent<{ id: string; room?: string }>;
  /** Start answering or editing a message (see `messages/row-events.ts`). */
  'parley-compose': CustomEvent<{ mode: 'edit' | 'reply'; id: string; text: string }>;
  /** The composer left its reply or edit mode. */
  'parley-compose-end': CustomEvent<Record<string, never>>;
  /** ArrowUp in an empty composer: edit our newest message. */
  'parley-edit-last': CustomEvent<Record<string, never>>;
  /** The user closes the "Search" panel. */
  'parley-search-close': CustomEvent<Record<string, never>>;
  /**
   * The user saves valid settings (`force`: "Save anyway", without checking the server). The
   * owner calls preventDefault, checks and stores them, and closes the panel once saved.
   */
  'parley-settings-save': CustomEvent<{ settings: ParleySettings; force?: boolean }>;
  'parley-settings-close': CustomEvent<Record<string, never>>;
  /**
   * The user marks a member's identity verified (they compared its safety code) or takes the
   * mark back; the owner stores it.
   */
  'parley-verify': CustomEvent<{ userId: string; verified: boolean }>;
  /** The user types a room passphrase (a secret: kept to its element, like the login). */
  'parley-room-passphrase': CustomEvent<{ passphrase: string }>;
  /** The user asks for the room's invite link. */
  'parley-copy-invite': CustomEvent<Record<string, never>>;
  /** What is written in the composer for `room` (its draft) changed, or the room was left. */
  'parley-draft': CustomEvent<{ room: string; text: string }>;
  /**
   * The user asks for a new room titled `title`: private (an unguessable id, a key of its own)
   * unless `public` (the room anyone who types the name joins and reads).
   */
  'parley-room-create': CustomEvent<{ title: string; public: boolean }>;
  /** The user opens a room from the room list. */
  'parley-room-select': CustomEvent<{ room: string }>;
  /** The user asks for a room's link, to share it. */
  'parley-room-invite': CustomEvent<{ room: string }>;
  /** The user leaves a room, keeping its messages on this device or deleting them. */
  'parley-room-leave': CustomEvent<{ room: string; deleteHistory: boolean }>;
  /** The user asks for Connection details (from Settings). */
  'parley-connection-open': CustomEvent<Record<string, never>>;
  /** The user closes Connection details (Close or Escape). */
  'parley-connection-close': CustomEvent<Record<string, never>>;
  /** The user asks to test the STUN/TURN servers ("Test STUN/TURN"). */
  'parley-stun-test': CustomEvent<Record<string, never>>;
  /** The user asks for the connection report on the clipboard ("Copy report"). */
  'parley-copy-report': CustomEvent<Record<string, never>>;
}

/**
 * A message as `<parley-chat>` reports it to the page: id, room, from, ts, text, direction,
 * and for one that arrived, what its row says of it — `encrypted` (it travelled end-to-end
 * encrypted), `inClear` (it came in the clear to a room we hold a key for: "Not encrypted"),
 * `otherKey` (opened with a key that is not the room's, an invite link's added behind it) and
 * `fingerprint` (the author's, as shown beside the name).
 */
export type ParleyMessageDetail = MessageReport & Omit<MarkedReport, keyof MessageReport>;

/** The connection as `<parley-chat>` reports it to the page. */
export interface ParleyStatusDetail {
  /** `direct`: the server is unreachable; directly linked members still hear us. */
  state: 'idle' | 'connecting' | 'open' | 'direct' | 'offline' | 'closed';
  transport: string;
  room: string;
  /** Members present, ourselves included (0 when not connected). */
  members: number;
}

/** A problem as `<parley-chat>` reports it to the page. */
export interface ParleyErrorDetail {
  /** The sentence the visitor is shown (in the chat's own words). */
  message: string;
  /**
   * What went wrong, for programs: stable, unlike the words. A transport's code
   * (`unreachable`, `refused`, `mesh-full`, `too-large`, `server`, `not-open`, `unknown-peer`,
   * `invalid-payload`, `reserved`) or `load-failed` (the transport, or the chat past its login
   * box, could not be loaded); a
   * login's or registration's (`invalid-name`, `weak-password`, `unknown-user`,
   * `wrong-password`, `name-taken`); a room's (`invalid-room`, `not-joined`,
   * `invalid-message`); or `storage` when this browser's storage failed.
   */
  code: ProblemCode;
}

/**
 * The events `<parley-chat>` fires on itself for the embedding page (bubbling, composed, not
 * cancelable). The views' own events above stay inside the element.
 */
export interface ParleyChatEventMap {
  /** A message arrived or was sent. */
  'parley-message': CustomEvent<ParleyMessageDetail>;
  /** The connection changed (connecting, open, offline…). */
  'parley-status': CustomEvent<ParleyStatusDetail>;
  /**
   * Something went wrong that the visitor is shown (connection, storage, a refused action):
   * `detail.message` in words, `detail.code` for programs (see {@link ParleyErrorDetail}).
   */
  'parley-error': CustomEvent<ParleyErrorDetail>;
  /** Someone logged in (or was still logged in when the element started). */
  'parley-login': CustomEvent<{ userId: string; name: string }>;
  /** The visitor logged out. */
  'parley-logout': CustomEvent<Record<string, never>>;
}

/** Fires a public event from the `<parley-chat>` host. */
export function announce<K extends keyof ParleyChatEventMap>(
  host: HTMLElement,
  type: K,
  detail: ParleyChatEventMap[K] extends CustomEvent<infer D> ? D : never,
): void {
  host.dispatchEvent(new CustomEvent(type, { detail, bubbles: true, composed: true }));
}

/** The views' own event names: `<parley-chat>` keeps them from leaking to the page. */
export const VIEW_EVENTS: ReadonlyArray<keyof ParleyEventMap> = [
  'parley-login-submit',
  'parley-register-submit',
  'parley-send',
  'parley-retry',
  'parley-typing',
  'parley-load-older',
  'parley-react',
  'parley-delete',
  'parley-jump',
  'parley-compose',
  'parley-compose-end',
  'parley-edit-last',
  'parley-search-close',
  'parley-history-export',
  'parley-history-import',
  'parley-settings-save',
  'parley-settings-close',
  'parley-verify',
  'parley-room-passphrase',
  'parley-copy-invite',
  'parley-draft',
  'parley-room-create',
  'parley-room-select',
  'parley-room-invite',
  'parley-room-leave',
  'parley-connection-open',
  'parley-connection-close',
  'parley-stun-test',
  'parley-copy-report',
];

declare global {
  interface GlobalEventHandlersEventMap extends ParleyEventMap, ParleyChatEventMap {}
}
