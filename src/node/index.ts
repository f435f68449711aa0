/**
 * Parley for bots in Node (`import { connect } from 'parley/node'`): the browser's protocol
 * — signed messages, sealed rooms, receipts, catch-up, fail-over and reconnection — from the
 * same source, for programs that talk in rooms. A bot's identity lives in a key file made on
 * first run and readable by its owner only. See docs/BOTS.md.
 */
export { connect, ParleyClient, type ConnectOptions } from './client.js';
export { BotRoom, type JoinOptions } from './room.js';
export type { BotMessage, ClientEvents, Delivered, RoomEvents } from './events.js';
export { createKeyFile, KeyFileError, loadIdentity, loadOrCreateIdentity } from './key-file.js';
export type { Envelope } from '../protocol/chat-events.js';
export type { AuthorBudget, IntakeCounts } from '../controllers/room/intake.js';
export type { TransportState } from '../transport/types.js';
