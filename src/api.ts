/**
 * The public API but the Settings panel's, the login box's, the member list's and the message list's element classes: what `parley`
 * (src/define.ts) exports beside registering the elements. Those classes come in chunks of
 * their own (src/components/settings/settings-define.ts, login/login-define.ts), so only `parley/elements`
 * (src/index.ts) exports them.
 */
export { ParleyChat } from './components/chat/parley-chat.js';
export { ParleyInbox } from './components/chat/parley-inbox.js';
export { ParleyComposer } from './components/composer/parley-composer.js';
export type {
  ParleyEventMap,
  ParleyChatEventMap,
  ParleyMessageDetail,
  ParleyStatusDetail,
  ParleyErrorDetail,
  Credentials,
} from './components/shared/events.js';
export type { ParleySettings as ParleySettingsValue } from './controllers/settings/settings.js';
export type { RosterMember } from './controllers/presence/roster.js';
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
