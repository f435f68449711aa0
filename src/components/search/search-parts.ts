/**
 * The parts `<parley-search>` exposes, for `<parley-chat>`'s `exportparts`. Kept apart from the
 * element so the chat can name them without loading it: the search panel comes in its own
 * chunk (see search-define.ts). Each begins with `search-`, so none clashes with the chat's own.
 */
export const SEARCH_PARTS =
  'search-bar, search-field, search-clear, search-close, search-scope, search-scope-option, search-status, search-results, search-item, search-result, search-author, search-room, search-time, search-excerpt, search-mark, search-hint, search-more';
