/**
 * Events that hand a secret (a password, a room passphrase) from a view to the one element
 * that owns it. Any script on the embedding page can listen on `window` or `document` in the
 * capture phase and read a composed event's detail, so such an event never leaves the shadow
 * tree it was fired in: it is neither composed nor bubbling (only listeners on the view
 * itself, or capture listeners inside the same shadow tree, see it at all), and the secret in
 * its detail is a getter that answers only a listener on the view itself, only while the event
 * is being dispatched — a capture listener above it reads '', and so does anyone who kept the
 * event for later.
 */

/** Fires `type` from `el` with `detail`, and `secret` readable as `detail[field]` by `el`'s own listeners. */
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
