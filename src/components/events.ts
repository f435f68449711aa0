/**
 * The DOM events Parley's views fire: kebab-case, `parley-` prefix, bubbling and composed so
 * they cross shadow roots, and typed through `GlobalEventHandlersEventMap`.
 */
import type { ParleySettings } from '../controllers/settings.js';

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

/** Every Parley DOM event and its detail. */
export interface ParleyEventMap {
  /** The user asks to log in. */
  'parley-login': CustomEvent<Credentials>;
  /** The user asks to create an account. */
  'parley-register': CustomEvent<Credentials>;
  /** The user sends a message; cancel it to keep the text in the composer. */
  'parley-send': CustomEvent<{ text: string }>;
  /** The user asks to send one of their failed messages again. */
  'parley-retry': CustomEvent<{ id: string }>;
  /** The user is typing (fired at most every few seconds) or stopped. */
  'parley-typing': CustomEvent<{ typing: boolean }>;
  /** The user asks for older messages. */
  'parley-load-older': CustomEvent<Record<string, never>>;
  /** The user saves valid settings; cancel it to keep the settings panel open. */
  'parley-settings-save': CustomEvent<{ settings: ParleySettings }>;
  /** The user dismisses the settings panel (Cancel or Escape) without saving. */
  'parley-settings-close': CustomEvent<Record<string, never>>;
}

declare global {
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type
  interface GlobalEventHandlersEventMap extends ParleyEventMap {}
}
