/**
 * Registers `<parley-file>`, a file in the conversation (file-row.ts). Loaded on its own (a
 * lazy chunk) the first time the message list shows a file message; until then the row holds
 * a plain `<parley-file>` element, which takes its message and files API with it when it
 * upgrades.
 *
 * One plain `customElements.define` call, so the manifest analyzer reads the tag name from here.
 */
import { ParleyFile } from './file-row.js';

// Defining a tag twice throws; a page that loads Parley twice keeps the first definition.
if (!customElements.get('parley-file')) customElements.define('parley-file', ParleyFile);

declare global {
  interface HTMLElementTagNameMap {
    'parley-file': ParleyFile;
  }
}
