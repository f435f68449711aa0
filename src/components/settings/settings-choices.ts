/**
 * A group of radio buttons for the Settings panel (the transport, "Connect directly to"): one
 * per choice, each with its label and, where given, a hint it is described by.
 */
import { html, nothing } from 'lit';
import { live } from 'lit/directives/live.js';
import type { DirectChoice, UserTransport } from '../../controllers/settings/settings.js';

// The words of the choices live with the panel (a chunk of its own), not in the first download.
/** What each transport is called in the UI. */
export const userTransportLabels: Record<UserTransport, string> = {
  socketio: 'Socket.IO relay',
  webrtc: 'WebRTC (peer-to-peer)',
  broadcast: "This browser's tabs",
};

/** What each choice means, in a line: shown under it before it is chosen. */
export const userTransportHints: Record<UserTransport, string> = {
  socketio: 'Messages go through the server to everyone in the room.',
  webrtc:
    'Messages go directly between browsers; the server only introduces people, and carries messages for those who cannot link directly.',
  broadcast: 'Only other tabs of this browser will see your messages — no server, nobody else.',
};

/** What each choice is called in the UI, after "Connect directly to". */
export const directLabels: Record<DirectChoice, string> = {
  everyone: 'everyone in the room',
  verified: 'only people I have verified',
  nobody: 'nobody (relay only)',
};

/**
 * One radio button per choice in `choices` (named `name`), each with its label and, when
 * `hints` has one, a hint it is described by.
 */
export function radios<C extends string>(
  name: string,
  choices: readonly C[],
  current: string,
  choose: (c: C) => void,
  labels: Record<C, string>,
  hints?: Record<C, string>,
) {
  return choices.map(
    (c) => html`
      <div class="choice">
        <input
          part="radio"
          type="radio"
          id="${name}-${c}"
          name=${name}
          value=${c}
          .checked=${live(current === c)}
          aria-describedby=${hints ? `${name}-${c}-hint` : nothing}
          @change=${() => choose(c)}
        />
        <label part="label" for="${name}-${c}">${labels[c]}</label>
        ${
          hints
            ? html`<span class="hint" part="hint" id="${name}-${c}-hint">${hints[c]}</span>`
            : nothing
        }
      </div>
    `,
  );
}
