/**
 * The parts the Settings panel's elements expose, for `<parley-chat>`'s `exportparts`. Kept
 * apart from the elements so the chat can name them without loading the panel, which comes in
 * its own chunk (see settings-define.ts).
 */

/** The parts `<parley-settings>` exposes. */
export const SETTINGS_PARTS =
  'dialog, settings-dialog, title, strip, strip-button, part-heading, notice, error, label, input, radio, hint, button, primary, save, cancel, advanced, checking, keep-server, save-anyway, connection-details';

/** The parts `<parley-room-lock>` exposes. */
export const ROOM_LOCK_PARTS =
  'room-lock, room-kind, room-lock-heading, room-lock-state, mismatch, passphrase, preview, room-key, button, invite-link, members, member, fingerprint, member-change';

/** The parts `<parley-identity-card>` exposes. */
export const IDENTITY_CARD_PARTS = 'identity, name, identity-heading, fingerprint, code, hint';

/** The parts `<parley-identity-port>` exposes ("Export identity", "Import identity"). */
export const IDENTITY_PORT_PARTS =
  'identity-port, button, port-form, label, input, strength, file-identity, warning, hint, error, notice, agent-key, agent-key-text';
