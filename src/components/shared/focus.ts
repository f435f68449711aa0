/** Focus helpers the views share. */

/** The focused element, looked for inside shadow roots too (`document.activeElement` stops at a host). */
export function deepActive(): HTMLElement | null {
  let el = document.activeElement;
  while (el?.shadowRoot?.activeElement) el = el.shadowRoot.activeElement;
  return el instanceof HTMLElement ? el : null;
}
