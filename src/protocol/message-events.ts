/**
 * Message events (protocol 1.3): an edit, a deletion or a reaction is a message of its own —
 * its own envelope, its own id, signed by its sender — whose body names the message it is
 * about (`target`). So every transport, catch-up page, author budget and export carries them
 * like any message, and a member who was away gets them like the rest. A reply is a chat
 * message whose body also names the message it answers (`reply`): an older member shows it
 * as the text it is.
 *
 * Who may do what is decided from the signed envelope alone, without the target at hand:
 * every message id begins with its author's id (`signed-envelope.ts`), so an edit or a
 * deletion counts only when its target's id begins with the sender's id. In an encrypted room
 * the body (and so the target) is sealed and is read when it is opened.
 */
import * as v from 'valibot';
import { IdSchema } from './fields.js';
import { IDENTITY_ID_LENGTH } from './identity.js';
import { TextSchema } from './message-body.js';

/** The body kinds of message events. */
export const EVENT_KINDS = ['edit', 'delete', 'react'] as const;
/** One of the body kinds of message events. */
export type EventKind = (typeof EVENT_KINDS)[number];

/** Longest reaction, in UTF-16 code units: one emoji with its modifiers and joiners. */
export const MAX_EMOJI = 32;

/**
 * A reaction: a short run of characters with no letters, digits, spaces or controls, and no
 * direction marks or overrides (which would turn the text around them), starting with a
 * visible symbol; only the joiners, variation selectors, keycap and tag characters emoji are
 * built with may follow it besides other symbols.
 */
export const EmojiSchema = v.pipe(
  v.string(),
  v.minLength(1, 'a reaction cannot be empty'),
  v.maxLength(MAX_EMOJI, `a reaction has at most ${MAX_EMOJI} characters`),
  v.regex(
    /^[^\p{L}\p{N}\p{Z}\p{Cc}<>&"'\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]+$/u,
    'a reaction is an emoji',
  ),
  // It starts with something visible, and carries no marks or invisible characters but the
  // joiners, selectors, keycap and tags emoji are built with (nothing blank, nothing that spills).
  v.regex(
    /^[\p{Extended_Pictographic}\p{S}\p{P}](?:[^\p{M}\p{Cf}\p{Cs}]|\u200d|\ufe0e|\ufe0f|\u20e3|[\u{e0020}-\u{e007f}])*$/u,
    'a reaction is an emoji',
  ),
);

/** `{ kind: "edit", target, text }`: the author's new text for their message `target`. */
export const EditBodySchema = v.looseObject({
  kind: v.literal('edit'),
  target: IdSchema,
  text: TextSchema,
});

/** `{ kind: "delete", target }`: the author takes their message `target` back. */
export const DeleteBodySchema = v.looseObject({
  kind: v.literal('delete'),
  target: IdSchema,
});

/** `{ kind: "react", target, emoji, on }`: the sender adds (`on`) or takes back a reaction. */
export const ReactBodySchema = v.looseObject({
  kind: v.literal('react'),
  target: IdSchema,
  emoji: EmojiSchema,
  on: v.boolean(),
});

/** An edit, as read. */
export interface EditEvent {
  kind: 'edit';
  target: string;
  text: string;
}
/** A deletion, as read. */
export interface DeleteEvent {
  kind: 'delete';
  target: string;
}
/** A reaction added (`on`) or taken back, as read. */
export interface ReactEvent {
  kind: 'react';
  target: string;
  emoji: string;
  on: boolean;
}
/** A message event, as read. */
export type MessageEvent = EditEvent | DeleteEvent | ReactEvent;

/** Whether `kind` (a body's kind) is one of the message events. */
export function isEventKind(kind: string): kind is EventKind {
  return (EVENT_KINDS as readonly string[]).includes(kind);
}

/**
 * The event body `body` (of kind `kind`, in the clear or opened) says, or undefined when it
 * is not a well-formed event of that kind.
 */
export function readEvent(kind: string, body: unknown): MessageEvent | undefined {
  if (kind === 'edit') {
    const r = v.safeParse(EditBodySchema, body);
    return r.success ? { kind, target: r.output.target, text: r.output.text } : undefined;
  }
  if (kind === 'delete') {
    const r = v.safeParse(DeleteBodySchema, body);
    return r.success ? { kind, target: r.output.target } : undefined;
  }
  if (kind === 'react') {
    const r = v.safeParse(ReactBodySchema, body);
    if (!r.success) return undefined;
    return { kind, target: r.output.target, emoji: r.output.emoji, on: r.output.on };
  }
  return undefined;
}

/** The author id a message id begins with. */
export function authorOfId(id: string): string {
  return id.slice(0, IDENTITY_ID_LENGTH);
}

/**
 * Whether event `ev`, carried by the verified envelope `env`, may count: an edit or a
 * deletion only for a message of the same author (its id begins with the sender's id), and
 * no event about itself. Reactions may be about anyone's message.
 */
export function eventAllowed(ev: MessageEvent, env: { id: string; from: { id: string } }): boolean {
  if (ev.target === env.id) return false;
  if (ev.kind === 'react') return true;
  return ev.target.length > IDENTITY_ID_LENGTH && authorOfId(ev.target) === env.from.id;
}

export { replyOf } from './message-body.js';

/** The body of an event we compose. */
export type EventBody =
  | { kind: 'edit'; target: string; text: string }
  | { kind: 'delete'; target: string }
  | { kind: 'react'; target: string; emoji: string; on: boolean };

/** The body of a reply we compose: a chat message naming the message it answers. */
export interface ReplyBody {
  text: string;
  reply: string;
}
