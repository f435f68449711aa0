/**
 * The parts `<parley-composer>` exposes, for the chat's `exportparts`: apart from the element,
 * so the chat can name them before the composer's own code is here.
 */
export const COMPOSER_PARTS =
  'form, textarea, button, primary, send, attach, meta, note, mode, cancel';
