/**
 * The parts `<parley-login>` exposes, for `<parley-chat>`'s `exportparts`. Kept apart from the
 * element so the chat can name them without loading it: the login box comes in its own chunk
 * (see login-define.ts).
 */
export const LOGIN_PARTS =
  'dialog, login-dialog, title, label, input, hint, error, button, primary, login-button, register-button, create-button';
