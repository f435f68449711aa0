/** Parley's public API: re-exports only, no side effects (import `define.js` to register). */
export { ParleyChat } from './components/parley-chat.js';
export { ParleyComposer } from './components/parley-composer.js';
export { ParleyLogin } from './components/parley-login.js';
export { ParleyMessages } from './components/parley-messages.js';
export { ParleyRoster } from './components/parley-roster.js';
export { ParleySettings } from './components/parley-settings.js';
export { SettingsController } from './controllers/settings-controller.js';
export type {
  ParleySettings as ParleySettingsValue,
  RosterMember,
} from './controllers/settings.js';
export type {
  ParleyEventMap,
  ParleyChatEventMap,
  ParleyMessageDetail,
  ParleyStatusDetail,
  Credentials,
} from './components/events.js';
export { SessionController, SessionStatus } from './controllers/session-controller.js';
export { TransportController } from './controllers/transport-controller.js';
export { RoomController } from './controllers/room-controller.js';
export type * from './transport/types.js';
export { TransportError } from './transport/errors.js';
// The transports themselves load through `loadTransport` (each its own chunk, fetched on first
// use); re-exporting them here would pull every one into the initial download.
export type { MemoryHub, MemoryTransport } from './transport/memory.js';
export type { BroadcastTransport } from './transport/broadcast.js';
export { loadTransport } from './transport/index.js';
export type { Envelope, ChatEvents } from './protocol/chat-events.js';
