/**
 * What `<parley-messages>` loads later, once for every list on the page: the virtualized
 * rendering (`@lit-labs/virtualizer` is a fifth of the element's code, and most chats never
 * need it) the first time a list grows long, and the conversation's lines and flags
 * (timeline.ts) right after a list first renders. Read through live bindings: undefined until
 * loaded.
 */

/** The virtualized rendering, once loaded. */
export let virtualList: typeof import('./virtual-list.js') | undefined;
let loadingList: Promise<void> | undefined;

/** Loads the virtualized rendering once; a failed load (offline) is tried again next time. */
export function loadVirtualList(): Promise<void> {
  loadingList ??= import('./virtual-list.js').then(
    (module) => void (virtualList = module),
    () => void (loadingList = undefined), // meanwhile lists render in full: slower, still right
  );
  return loadingList;
}

/** The lines and flags of the conversation (timeline.ts), once loaded. */
export let lines: typeof import('./timeline.js') | undefined;
let loadingLines: Promise<typeof import('./timeline.js')> | undefined;

/** Loads the lines' chunk once. */
export function loadLines(): Promise<typeof import('./timeline.js')> {
  return (loadingLines ??= import('./timeline.js').then((m) => (lines = m)));
}
