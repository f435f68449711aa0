/**
 * Parley's public API, `parley/elements` (built as `dist/lib/elements.js`): the element
 * classes and the types a page or a custom transport needs. Re-exports only and no side
 * effects: importing it registers no element (`parley`, src/define.ts, does), so a page can
 * register the classes under tag names of its own.
 */
export * from './api.js';
// The Settings panel's, the login box's, the member list's and the message list's classes: chunks of their own under `parley` (see
// settings-define.ts and login-define.ts).
export { ParleyLogin } from './components/login/parley-login.js';
export { ParleyRoster } from './components/roster/parley-roster.js';
export { ParleyMessages } from './components/messages/parley-messages.js';
export { ParleySettings } from './components/settings/parley-settings.js';
export { ParleyRoomLock } from './components/settings/settings-room-lock.js';
export { ParleyIdentityCard } from './components/settings/settings-identity.js';
export { ParleyIdentityPort } from './components/settings/settings-identity-port.js';
export { ParleySettingsHistory } from './components/settings/settings-history.js';
export { ParleySearch } from './components/search/parley-search.js';
