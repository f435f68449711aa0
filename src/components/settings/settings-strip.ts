/**
 * The Settings panel's three parts — *This room*, *You*, *Connection* — and the strip above
 * its body that takes the reader to each. The parts are headed sections of one scrolling body
 * (every control stays where a search, a test or a screen reader finds it); the strip is a
 * set of buttons that scroll a part to the top and move the focus to its heading, the one in
 * view marked `aria-current`. Not ARIA tabs: nothing is hidden, so nothing pretends to be.
 */
import { html, nothing } from 'lit';

/** One of the panel's parts. */
export type SettingsPart = 'room' | 'you' | 'connection';

/** The parts, in the order they are shown. */
export const SETTINGS_PARTS_ORDER: readonly SettingsPart[] = ['room', 'you', 'connection'];

/** Each part's section id (its heading's is this plus `-heading`). */
export const SETTINGS_PART_IDS: Record<SettingsPart, string> = {
  room: 'part-room',
  you: 'part-you',
  connection: 'part-connection',
};

/** What each part is called: its heading and its button in the strip. */
export const SETTINGS_PART_NAMES: Record<SettingsPart, string> = {
  room: 'This room',
  you: 'You',
  connection: 'Connection',
};

/** The strip: one button per part, the one in view marked current. */
export function partStrip(current: SettingsPart, go: (part: SettingsPart) => void) {
  return html`<nav class="strip" part="strip" aria-label="Parts of Settings" @keydown=${arrows}>
    ${SETTINGS_PARTS_ORDER.map(
      (p) =>
        html`<button
          type="button"
          part="button strip-button"
          aria-controls=${SETTINGS_PART_IDS[p]}
          aria-current=${p === current ? 'true' : nothing}
          @click=${() => go(p)}
        >
          ${SETTINGS_PART_NAMES[p]}
        </button>`,
    )}
  </nav>`;
}

/** Left and right arrows (Home, End) move the focus along the strip, as in a toolbar. */
function arrows(e: KeyboardEvent): void {
  const buttons = [...(e.currentTarget as HTMLElement).querySelectorAll('button')];
  const i = buttons.indexOf(e.target as HTMLButtonElement);
  const n = buttons.length;
  const to = { ArrowRight: i + 1, ArrowLeft: i - 1 + n, Home: 0, End: n - 1 }[e.key];
  if (i < 0 || to === undefined) return;
  e.preventDefault();
  buttons[to % n]!.focus();
}

/**
 * The part in view in `body` (the scrolling box): the last whose top is at or above a point a
 * little below the body's top — or the last part when the body is scrolled to its end.
 */
export function partAt(body: HTMLElement): SettingsPart {
  const top = body.getBoundingClientRect().top + 24;
  const atEnd = body.scrollTop + body.clientHeight >= body.scrollHeight - 2;
  if (atEnd && body.scrollTop > 0) return SETTINGS_PARTS_ORDER.at(-1)!;
  let found: SettingsPart = SETTINGS_PARTS_ORDER[0]!;
  for (const p of SETTINGS_PARTS_ORDER) {
    const section = body.querySelector(`#${SETTINGS_PART_IDS[p]}`);
    if (section && section.getBoundingClientRect().top <= top) found = p;
  }
  return found;
}

/** Scrolls `body` so the part's section starts at its top, and focuses its heading. */
export function showPart(body: HTMLElement, part: SettingsPart): void {
  const section = body.querySelector<HTMLElement>(`#${SETTINGS_PART_IDS[part]}`);
  if (!section) return;
  const offset = section.getBoundingClientRect().top - body.getBoundingClientRect().top;
  body.scrollTop += offset;
  body.querySelector<HTMLElement>(`#${SETTINGS_PART_IDS[part]}-heading`)?.focus({
    preventScroll: true,
  });
}

/**
 * The event a slotted part fires at `<parley-settings>` to save the whole panel (Enter in the
 * room's passphrase). Not composed: it never leaves the tree the panel is in.
 */
export const SETTINGS_SUBMIT = 'parley-settings-submit';
