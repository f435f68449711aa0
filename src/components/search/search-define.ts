/**
 * Registers the search panel's element and hands back the function that renders it bound to
 * the chat (search-panel.ts). Loaded on its own (a lazy chunk) the first time the
 * panel is opened, like Connection details (connection-define.ts); the search controller and,
 * at the first query, the index's query module come with it, so none of them is in the first
 * download.
 *
 * One plain `customElements.define` call, so the manifest analyzer reads the tag name from here.
 */
import { ParleySearch } from './parley-search.js';

export { ParleySearch } from './parley-search.js';
export { searchPanel } from './search-panel.js';

// Defining a tag twice throws; a page that loads Parley twice keeps the first definition.
if (!customElements.get('parley-search')) customElements.define('parley-search', ParleySearch);

declare global {
  interface HTMLElementTagNameMap {
    'parley-search': ParleySearch;
  }
}
