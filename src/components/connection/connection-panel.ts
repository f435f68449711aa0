/**
 * `<parley-connection>` bound to its controller, as `<parley-chat>` renders it. In the panel's
 * chunk, so the chat's initial download holds only the door (connection-door.ts).
 */
import { html } from 'lit';
import type { ConnectionDetails } from '../../controllers/connection/connection-details.js';

/** The parts `<parley-connection>` exposes, forwarded by `<parley-chat>`. */
const CONNECTION_PARTS =
  'dialog, connection-dialog, title, section, member, facts, result, hint, button, stun-test, copy-report, close';

/** The panel for `details`; `onClose` when the visitor closes it. */
export function connectionPanel(
  d: ConnectionDetails,
  inline: boolean,
  open: boolean,
  onClose: () => void,
) {
  return html`<parley-connection
    part="connection-details"
    exportparts=${CONNECTION_PARTS}
    ?inline=${inline}
    ?open=${open}
    ?stun-busy=${d.stunBusy}
    ?copied=${d.copied}
    .copyText=${d.copyText}
    .report=${open ? d.report : undefined}
    @parley-connection-close=${onClose}
    @parley-stun-test=${() => void d.testStun()}
    @parley-copy-report=${() => void d.copyReport()}
  ></parley-connection>`;
}
