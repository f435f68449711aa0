/**
 * Payload rules shared by every transport, both ways: arguments must be plain JSON values (so
 * every transport can carry them unchanged) and their JSON must fit the size cap.
 */
import { TransportError } from './errors.js';
import { MAX_EVENT_NAME, utf8Length } from '../protocol/limits.js';
import { ReservedNames } from './types.js';

const MAX_DEPTH = 32;

function isPlainJson(value: unknown, depth: number, seen: Set<object>): boolean {
  if (value === null) return true;
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return true;
    case 'number':
      return Number.isFinite(value);
    case 'object': {
      if (depth > MAX_DEPTH || seen.has(value)) return false;
      seen.add(value);
      let ok: boolean;
      if (Array.isArray(value)) {
        ok = value.every((item) => isPlainJson(item, depth + 1, seen));
      } else {
        const proto: unknown = Object.getPrototypeOf(value);
        ok =
          (proto === Object.prototype || proto === null) &&
          Object.values(value).every((item) => isPlainJson(item, depth + 1, seen));
      }
      seen.delete(value);
      return ok;
    }
    default:
      return false; // undefined, function, symbol, bigint
  }
}

/**
 * What is wrong with event `ev` and its arguments, or their JSON when nothing is: a name that
 * is reserved or not 1–64 characters, arguments that are not a list of plain JSON values, or
 * JSON over the size cap. The same rules hold for what we send and for what we accept.
 */
function inspect(ev: unknown, args: unknown, maxPayload: number): string | TransportError {
  if (typeof ev !== 'string' || ev.length === 0 || ev.length > MAX_EVENT_NAME) {
    return new TransportError(
      'invalid-payload',
      `event name must be 1–${MAX_EVENT_NAME} characters`,
    );
  }
  if (ReservedNames.has(ev)) {
    return new TransportError(
      'reserved',
      `"${ev}" is a reserved event`,
      'only the transport emits it',
    );
  }
  if (!Array.isArray(args) || !isPlainJson(args, 0, new Set())) {
    return new TransportError(
      'invalid-payload',
      `payload of "${ev}" is not plain JSON`,
      'use objects, arrays, strings, finite numbers, booleans and null',
    );
  }
  const json = JSON.stringify(args);
  const size = utf8Length(json);
  if (size > maxPayload) {
    return new TransportError(
      'too-large',
      `payload of "${ev}" is ${size} bytes, over the ${maxPayload}-byte cap`,
      'send less per event',
    );
  }
  return json;
}

/**
 * Checks an event name and its arguments before sending; returns their JSON (so transports
 * that send JSON need not serialise twice). Throws a TransportError (`reserved`,
 * `invalid-payload`, `too-large`) on misuse.
 */
export function checkOutgoing(ev: string, args: readonly unknown[], maxPayload: number): string {
  const checked = inspect(ev, args, maxPayload);
  if (typeof checked !== 'string') throw checked;
  return checked;
}

/**
 * Whether a received event may reach listeners: it must pass the rules `emit` applies, since
 * anything on the wire may come from a script rather than a Parley client.
 */
export function acceptable(ev: unknown, args: unknown, maxPayload: number): ev is string {
  return typeof inspect(ev, args, maxPayload) === 'string';
}
