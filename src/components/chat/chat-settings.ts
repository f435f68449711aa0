/**
 * `<parley-chat>`'s side of the Settings panel: loading the panel's chunk, opening, saving and
 * closing it, and what goes in its slots — `<parley-room-lock>` (*This room*: private or
 * public, the passphrase typed and what it would open, the invite link once made, the
 * members), `<parley-identity-card>` (*You*) and what was refused in the room (*Connection*'s
 * diagnostics). Everything asked in the panel waits for Save — the settings, a passphrase, a
 * member removed — and Cancel forgets it all. View state only: the controllers do the work.
 */
import { html } from 'lit';
import type { ReactiveControllerHost } from 'lit';
import type { PresenceController } from '../../controllers/presence/presence-controller.js';
import type { SettingsController } from '../../controllers/settings/settings-controller.js';
import type { ParleySettings } from '../../controllers/settings/settings.js';
import type { SettingsRoom, SlottedParts } from '../settings/settings-slotted.js';
import type { PortSession } from '../../controllers/settings/identity-port.js';
import { loadAfterSettled } from '../../internal/load-order.js';

/** The panel's chunk: its elements registered, and what the chat slots into it. */
type PanelChunk = typeof import('../settings/settings-define.js');

let panel: Promise<PanelChunk> | undefined;
let panelLoaded = false;
let arrived!: (chunk: PanelChunk) => void;
/** The panel's chunk, whoever asked for it first. */
const panelHere = new Promise<PanelChunk>((resolve) => (arrived = resolve));

/**
 * Loads and registers the Settings panel's elements (a chunk of their own, see
 * settings-define.ts), once: when someone opens the panel, or once the room is live.
 */
export function loadSettingsPanel(): Promise<PanelChunk> {
  panel ??= import('../settings/settings-define.js').then((chunk) => {
    panelLoaded = true;
    arrived(chunk);
    return chunk;
  });
  return panel;
}

/** Whether the Settings panel's elements are registered already. */
export function settingsPanelLoaded(): boolean {
  return panelLoaded;
}

/** Each chat's slots, for its door: what Save applies and Cancel forgets besides the settings. */
const slotsOf = new WeakMap<object, SettingsSlots>();

export type { SettingsRoom };

/** Whether the Settings panel is open, and the ways in and out of it. */
export class SettingsDoor {
  /** The panel is open (shown once someone is logged in). */
  open = false;
  /** The last save was "Save anyway": the servers saved did not answer the check. */
  private forced = false;

  constructor(
    private readonly host: ReactiveControllerHost & { isConnected: boolean },
    private readonly prefs: SettingsController,
    /** Where the focus goes once the panel closes. */
    private readonly closed: () => void,
  ) {}

  /** Opens the panel (its chunk is normally here by then; else it opens once it is). */
  show(): void {
    this.prefs.clearCheck();
    slotsOf.get(this.host)?.parts?.forget();
    if (settingsPanelLoaded()) this.set(true);
    else void loadSettingsPanel().then(() => this.set(this.host.isConnected));
  }

  /** Closes it (Cancel forgets everything asked); a server check still running must not save then. */
  close(): void {
    this.prefs.clearCheck();
    slotsOf.get(this.host)?.parts?.forget();
    this.set(false);
    this.closed();
  }

  /**
   * The panel stays open until the settings are checked and stored and the room's changes
   * (passphrase, members, key) are made, then closes. A passphrase too short to be used stops
   * it before anything is saved.
   */
  async save(e: CustomEvent<{ settings: ParleySettings; force?: boolean }>): Promise<void> {
    e.preventDefault();
    const { settings, force } = e.detail;
    const room = slotsOf.get(this.host)?.parts;
    if (room && !room.ready()) return;
    this.forced = force === true;
    if (!(await this.prefs.save(settings, { force: this.forced }))) return;
    if (room && !(await room.apply())) return;
    this.close();
  }

  /**
   * Whether the settings just applied were saved with "Save anyway" (asked once, by whoever
   * moves the room to the new link): their servers did not answer, so the old link must not
   * stand in for them — the link is replaced, and the header shows the new one's own state.
   */
  takeForced(): boolean {
    const forced = this.forced;
    this.forced = false;
    return forced;
  }

  private set(open: boolean): void {
    this.open = open;
    this.host.requestUpdate();
  }
}

/**
 * What `<parley-chat>` puts in the Settings panel's slots: made by the panel's chunk once it
 * is here (before the panel can open), nothing until then.
 */
export class SettingsSlots {
  /** The slotted parts and the room's changes asked in them, once the chunk is here. */
  parts: SlottedParts | undefined;

  constructor(
    host: ReactiveControllerHost,
    room: SettingsRoom,
    presence: PresenceController,
    /** The title of the room on screen, as the header shows it. */
    title: () => string,
    /** The session, for Settings' "Export identity" / "Import identity". */
    session?: PortSession,
  ) {
    slotsOf.set(host, this);
    // Made when the chunk is here, before the panel opens (`show` waits for the same chunk).
    void loadAfterSettled(loadSettingsPanel);
    void panelHere.then(({ SlottedParts }) => {
      this.parts = new SlottedParts(host, room, presence, title, session);
      host.requestUpdate();
    });
  }

  /** The slotted elements: this room (unless `noRoom`: none is on screen), you, what was refused. */
  render(noRoom = false) {
    return this.parts?.render(noRoom) ?? html``;
  }
}
