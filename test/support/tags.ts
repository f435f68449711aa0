/** Every tag name Parley registers (src/define.ts), in the order it registers them. */
export const PARLEY_TAGS = [
  'parley-chat',
  'parley-composer',
  'parley-login',
  'parley-messages',
  'parley-roster',
  'parley-settings',
  'parley-room-lock',
  'parley-identity-card',
  'parley-identity-port',
  'parley-settings-history',
] as const;
