/**
 * Registers the Connection details panel's element and hands back its controller and the
 * function that renders the two bound together. Loaded on its
 * own (a lazy chunk) the first time the panel is opened, like the Settings panel
 * (`settings-define.ts`), so neither costs anything in the initial download.
 */
import { ParleyConnection } from './parley-connection.js';

export { ConnectionDetails } from '../../controllers/connection/connection-details.js';
export { connectionPanel } from './connection-panel.js';

// Defining a tag twice throws; a page that loads Parley twice keeps the first definition.
if (!customElements.get('parley-connection'))
  customElements.define('parley-connection', ParleyConnection);

declare global {
  interface HTMLElementTagNameMap {
    'parley-connection': ParleyConnection;
  }
}
