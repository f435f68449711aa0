/**
 * Parley's public API, `parley/elements` (built as `dist/lib/elements.js`): the element
 * classes and the types a page or a custom transport needs. Re-exports only and no side
 * effects: importing it registers no element (`parley`, src/define.ts, does), so a page can
 * register the classes under tag names of its own.
 */
export { ParleyChat } from './components/parley-chat.js';
export { ParleyComposer } from './components/parley-composer.js';
export { ParleyLogin } from './components/parley-login.js';
export { ParleyMessages } from './components/parley-messages.js';
export { ParleyRoster } from './components/parley-roster.js';
export { ParleySettings } from './components/parley-settings.js';
export { ParleyRoomLock } from './components/settings-room-lock.js';
export { ParleyIdentityCard } from './components/settings-identity.js';
export type {
  ParleyEventMap,
  ParleyChatEventMap,
  ParleyMessageDetail,
  ParleyStatusDetail,
  ParleyErrorDetail,
  Credentials,
} from './components/events.js';
export type { ParleySettings as ParleySettingsValue } from './controllers/settings.js';
export type { RosterMember } from './controllers/roster.js';
export type * from './transport/types.js';
export { TransportError } from './transport/errors.js';
// The transports themselves load through `loadTransport` (each its own chunk, fetched on first
// use); re-exporting them here would pull every one into the initial download.
export {
  loadTransport,
  type AnyTransportOptions,
  type TransportFactory,
} from './transport/index.js';
export type { Envelope, ChatEvents } from './protocol/chat-events.js';
