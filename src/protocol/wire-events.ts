/**
 * Every app event the relay carries, with its schema: the chat events (`chat-events.ts`) and the
 * file events (`file-events.ts`). The server checks what it relays with this table; a browser
 * checks chat events with the first and file events with the second, loaded with the files
 * controller, so the first download carries no file schema.
 */
import { relayedEventSchemas } from './chat-events.js';
import { fileEventSchemas } from './file-events.js';

/** Every relayed app event and the schema of its argument list. */
export const wireEventSchemas = { ...relayedEventSchemas, ...fileEventSchemas } as const;

/** Names of every relayed app event. */
export type WireEvent = keyof typeof wireEventSchemas;

/** Whether `name` is an app event the relay carries. */
export function isWireEvent(name: unknown): name is WireEvent {
  return typeof name === 'string' && Object.hasOwn(wireEventSchemas, name);
}
