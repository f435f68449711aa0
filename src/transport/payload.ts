/**
 * Payload rules shared by every transport, both ways: arguments must be plain JSON values (so
 * every transport can carry them unchanged) and their JSON must fit the size cap.
 *
 * Every app event passes these checks twice, when sent and when received, so they sit on the
 * path each message takes to the other screen: the walk below allocates nothing but the key
 * lists it must read, and calls no closures. It also adds up the most bytes the JSON can take,
 * so a received event well under the cap (every chat line) is not serialised again just to be
 * measured: only one that might be over it is, and its exact size decides, as always.
 */
import { TransportError } from './errors.js';
import { MAX_EVENT_NAME, utf8Length } from '../protocol/limits.js';
import { ReservedNames } from './types.js';

const MAX_DEPTH = 32;
/**
 * The longest JSON a finite number has: a sign, 17 significant digits, a point and an exponent
 * (`-1.2345678901234567e-308`, 24), or a small fraction written out (`-0.0000012345678901234567`,
 * 25).
 */
const MAX_NUMBER_JSON = 25;
/**
 * The most UTF-8 bytes one UTF-16 unit of a string takes in JSON: `\u001f` for a control
 * character or a lone surrogate (6); others take 1–3, a surrogate pair 4 for its two units.
 */
const MAX_UNIT_JSON = 6;

/** The JSON's size as the walk below counts it, in bytes. */
interface Budget {
  /**
   * What is left of the cap once the least each item's JSON can take is spent: below zero, the
   * value is over the cap whatever its exact size.
   */
  left: number;
  /** The most the JSON can take: at or under the cap, so is its exact size. */
  most: number;
}

/**
 * Whether `value` is plain JSON — objects whose prototype is Object's (or none), arrays without
 * holes or extra properties, strings, finite numbers, booleans, null; no cycles, at most 32
 * deep — and spends no more bytes of `budget` than its JSON takes (brackets, braces and commas
 * before the items are looked at), stopping once it is spent. The budget bounds the walk
 * itself: a value carried by structured clone (another tab's) can be tiny in memory yet
 * endless as JSON, such as an array of length 2³² with no items, or one array listed twice at
 * each of 32 levels. `parents[0..depth)` are the objects above `value`: a cycle leads back to
 * one of them. Meanwhile it adds the most bytes each item's JSON can take to `budget.most`.
 */
function isPlainJson(value: unknown, depth: number, parents: object[], budget: Budget): boolean {
  switch (typeof value) {
    case 'string':
      budget.most += value.length * MAX_UNIT_JSON + 2;
      return (budget.left -= value.length + 2) >= 0;
    case 'number':
      budget.most += MAX_NUMBER_JSON;
      return Number.isFinite(value) && --budget.left >= 0;
    case 'boolean':
      budget.most += 5;
      return (budget.left -= 4) >= 0;
    case 'object': {
      budget.most += 4; // null, or at least the brackets and a comma
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
  budget.most += n; // the commas
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
    budget.most += key.length * MAX_UNIT_JSON + 4;
    if ((budget.left -= key.length + 4) < 0) return false;
    if (!isPlainJson((value as Record<string, unknown>)[key], depth + 1, parents, budget)) {
      return false;
    }
  }
  return true;
}

/**
 * What is wrong with event `ev` and its arguments — a name that is reserved or not 1–64
 * characters, arguments that are not a list of plain JSON values, or a walk that already
 * spent the cap — or, when nothing is yet, the walk's count, whose `most` says whether the
 * exact size must still be measured. The same rules hold for what we send and what we accept.
 */
function walk(ev: unknown, args: unknown, maxPayload: number): Budget | TransportError {
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
  const budget: Budget = { left: maxPayload, most: 0 };
  if (!Array.isArray(args) || !isPlainJson(args, 0, [], budget)) {
    if (budget.left < 0) return tooLarge(ev, `over the ${maxPayload}-byte cap`);
    return new TransportError(
      'invalid-payload',
      `payload of "${ev}" is not plain JSON`,
      'use objects, arrays, strings, finite numbers, booleans and null',
    );
  }
  return budget;
}

/** `json`'s UTF-8 size, unless it is at most `maxPayload`; it is no more than `most`. */
function overCap(json: string, most: number, maxPayload: number): number | undefined {
  if (most <= maxPayload) return undefined;
  const size = utf8Length(json);
  return size > maxPayload ? size : undefined;
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
  const checked = walk(ev, args, maxPayload);
  if (checked instanceof TransportError) throw checked;
  const json = JSON.stringify(args);
  const size = overCap(json, checked.most, maxPayload);
  if (size !== undefined) throw tooLarge(ev, `${size} bytes, over the ${maxPayload}-byte cap`);
  return json;
}

/**
 * Why a received event may not reach listeners (`too-large`: over the cap), or `undefined`: it
 * must pass the rules `emit` applies, since anything on the wire may come from a script rather
 * than a Parley client. Its JSON is made again only when it might be over the cap.
 */
export function refusal(
  ev: unknown,
  args: unknown,
  maxPayload: number,
): 'too-large' | 'invalid' | undefined {
  const checked = walk(ev, args, maxPayload);
  if (checked instanceof TransportError)
    return checked.code === 'too-large' ? 'too-large' : 'invalid';
  if (checked.most <= maxPayload) return undefined;
  return overCap(JSON.stringify(args), checked.most, maxPayload) === undefined
    ? undefined
    : 'too-large';
}

/** Whether a received event may reach listeners: {@link refusal} finds nothing wrong with it. */
export function acceptable(ev: unknown, args: unknown, maxPayload: number): ev is string {
  return refusal(ev, args, maxPayload) === undefined;
}
