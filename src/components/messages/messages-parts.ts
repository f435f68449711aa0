/**
 * The parts `<parley-messages>` exposes, for `<parley-chat>`'s `exportparts`. Kept apart from
 * the element so the chat can name them without loading it: the message list comes in a chunk
 * of its own (see messages-define.ts).
 */
export const MESSAGES_PARTS =
  'list, message, own, group, avatar, author, time, text, status, day, beginning, line, flag, button, retry, show-more, load-older, new-pill, empty, file, highlight, quote, reactions, reaction, edited, actions, action, picker, confirm';
