/**
 * Payload rules shared by every transport, both ways: arguments must be plain JSON values (so
 * every transport can carry them unchanged) and their JSON must fit the size cap.
 *
 * Every app event passes these checks twice, when sent and when received, so they sit on the
 * path each message takes to the other screen: the walk below allocates nothing but the key
 * lists it must read, and calls no closures.
 */
import { TransportError } from './errors.js';
import { MAX_EVENT_NAME, utf8Length } from '../protocol/limits.js';
import { ReservedNames } from './types.js';

const MAX_DEPTH = 32;

/** Bytes of JSON still allowed; the walk below spends it. */
interface Budget {
  left: number;
}

/**
 * Whether `value` is plain JSON — objects whose prototype is Object's (or none), arrays without
 * holes or extra properties, strings, finite numbers, booleans, null; no cycles, at most 32
 * deep — and spends no more bytes of `budget` than its JSON takes (brackets, braces and commas
 * before the items are looked at), stopping once it is spent. The budget bounds the walk
 * itself: a value carried by structured clone (another tab's) can be tiny in memory yet
 * endless as JSON, such as an array of length 2³² with no items, or one array listed twice at
 * each of 32 levels. `parents[0..depth)` are the objects above `value`: a cycle leads back to
 * one of them.
 */
function isPlainJson(value: unknown, depth: number, parents: object[], budget: Budget): boolean {
  switch (typeof value) {
    case 'string':
      return (budget.left -= value.length + 2) >= 0;
    case 'number':
      return Number.isFinite(value) && --budget.left >= 0;
    case 'boolean':
      return (budget.left -= 4) >= 0;
    case 'object': {
      if (value === null) return (budget.left -= 4) >= 0;
      if (depth > MAX_DEPTH) return false;
      for (let i = 0; i < depth; i++) if (parents[i] === value) return false;
      parents[depth] = value;
      return Array.isArray(value)
        ? isPlainArray(value, depth, parents, budget)
        : isPlainObject(value, depth, parents, budget);
    }
    default:
      return false; // undefined, function, symbol, bigint
  }
}

/** {@link isPlainJson} for an array: brackets and commas first, then no holes, only items. */
function isPlainArray(value: unknown[], depth: number, parents: object[], budget: Budget): boolean {
  const n = value.length;
  if ((budget.left -= 1 + Math.max(1, n)) < 0) return false;
  if (Object.keys(value).length !== n) return false;
  for (let i = 0; i < n; i++) {
    if (!isPlainJson(value[i], depth + 1, parents, budget)) return false;
  }
  return true;
}

/** {@link isPlainJson} for an object: a plain one, its braces, then each key and value. */
function isPlainObject(value: object, depth: number, parents: object[], budget: Budget): boolean {
  const proto: unknown = Object.getPrototypeOf(value);
  if ((proto !== Object.prototype && proto !== null) || --budget.left < 0) return false;
  const keys = Object.keys(value);
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i]!;
    // A key costs its quotes, colon and comma besides its text.
    if ((budget.left -= key.length + 4) < 0) return false;
    if (!isPlainJson((value as Record<string, unknown>)[key], depth + 1, parents, budget)) {
      return false;
    }
  }
  return true;
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
  const budget: Budget = { left: maxPayload };
  if (!Array.isArray(args) || !isPlainJson(args, 0, [], budget)) {
    if (budget.left < 0) return tooLarge(ev, `over the ${maxPayload}-byte cap`);
    return new TransportError(
      'invalid-payload',
      `payload of "${ev}" is not plain JSON`,
      'use objects, arrays, strings, finite numbers, booleans and null',
    );
  }
  const json = JSON.stringify(args);
  const size = utf8Length(json);
  if (size > maxPayload) return tooLarge(ev, `${size} bytes, over the ${maxPayload}-byte cap`);
  return json;
}

function tooLarge(ev: string, size: string): TransportError {
  return new TransportError('too-large', `payload of "${ev}" is ${size}`, 'send less per event');
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

/** Why a received event may not reach listeners (`too-large`: over the cap), or `undefined`. */
export function refusal(
  ev: unknown,
  args: unknown,
  maxPayload: number,
): 'too-large' | 'invalid' | undefined {
  const checked = inspect(ev, args, maxPayload);
  if (typeof checked === 'string') return undefined;
  return checked.code === 'too-large' ? 'too-large' : 'invalid';
}
