/**
 * Registers the search panel's element. Loaded on its own (a lazy chunk) the first time the
 * panel is opened (the chat's search-door.ts), like Connection details (connection-define.ts);
 * the search controller comes with it and, at the first query, the index's query module, so
 * none of them is in the first download.
 *
 * One plain `customElements.define` call, so the manifest analyzer reads the tag name from here.
 */
import { ParleySearch } from './parley-search.js';

export { ParleySearch } from './parley-search.js';
/** The panel bound to the chat's state: it comes with the element, in this chunk. */
export { searchPanel } from './search-panel.js';

// Defining a tag twice throws; a page that loads Parley twice keeps the first definition.
if (!customElements.get('parley-search')) customElements.define('parley-search', ParleySearch);

declare global {
  interface HTMLElementTagNameMap {
    'parley-search': ParleySearch;
  }
}
