/**
 * Settings controller: loads the user's settings from IndexedDB, checks them, saves changes
 * and tells the host (which applies them: a transport switch, another server, other ICE
 * servers). A stored record that no longer passes the checks falls back to the defaults
 * field by field, so a bad entry can never break the connection.
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { readSettings, writeSettings } from '../store/settings-store.js';
import type { SessionController } from './session-controller.js';
import {
  DEFAULT_SETTINGS,
  hasProblems,
  iceServerProblem,
  serverProblem,
  settingsProblems,
  UserTransports,
  type IceServerEntry,
  type ParleySettings,
  type SettingsProblems,
} from './settings.js';

/** Configuration of the settings controller. */
export interface SettingsConfig {
  session: SessionController;
  /** Called once the stored settings are loaded, and after each successful save. */
  apply: (settings: ParleySettings, previous: ParleySettings | undefined) => void;
}

function isEntry(e: unknown): e is IceServerEntry {
  const x = e as IceServerEntry | null;
  return typeof x === 'object' && x !== null && typeof x.urls === 'string' && !iceServerProblem(x);
}

/** Makes sense of a stored record, keeping what is valid and defaulting the rest. */
export function reviveSettings(raw: unknown): ParleySettings {
  const r = (typeof raw === 'object' && raw !== null ? raw : {}) as Partial<ParleySettings>;
  return {
    transport: UserTransports.includes(r.transport as never)
      ? r.transport!
      : DEFAULT_SETTINGS.transport,
    server:
      typeof r.server === 'string' && !serverProblem(r.server) ? r.server : DEFAULT_SETTINGS.server,
    iceServers:
      Array.isArray(r.iceServers) && r.iceServers.every(isEntry)
        ? r.iceServers.map((e) => ({ ...e }))
        : DEFAULT_SETTINGS.iceServers.map((e) => ({ ...e })),
  };
}

/** Owns the settings of the host element. */
export class SettingsController implements ReactiveController {
  /** The settings in force. */
  settings: ParleySettings = reviveSettings(undefined);
  /** Whether the stored settings have been read. */
  loaded = false;
  /**
   * Whether this visitor ever saved settings here; until then an embedding page's attributes
   * decide (see `<parley-chat>`).
   */
  customized = false;
  /** Problems of the last refused save. */
  problems: SettingsProblems = {};
  /** Why saving failed (storage), for display. */
  error: string | undefined;

  constructor(
    private readonly host: ReactiveControllerHost,
    private readonly config: SettingsConfig,
  ) {
    host.addController(this);
  }

  hostConnected(): void {
    if (this.loaded) return;
    void this.load();
  }

  private async load(): Promise<void> {
    const db = await this.config.session.db;
    let raw: unknown;
    try {
      raw = db ? await readSettings(db) : undefined;
    } catch {
      raw = undefined; // unreadable storage: run on defaults, say so when saving
    }
    this.settings = reviveSettings(raw);
    this.customized = raw !== undefined;
    this.loaded = true;
    this.config.apply(this.settings, undefined);
    this.host.requestUpdate();
  }

  /** Checks, stores and applies `next`; returns false (with `problems`) if refused. */
  async save(next: ParleySettings): Promise<boolean> {
    this.problems = settingsProblems(next);
    if (hasProblems(this.problems)) {
      this.host.requestUpdate();
      return false;
    }
    const previous = this.settings;
    this.settings = reviveSettings(next);
    this.customized = true;
    this.error = undefined;
    try {
      const db = await this.config.session.db;
      if (db) await writeSettings(db, this.settings);
    } catch (err) {
      this.error = `Settings apply now but could not be stored: ${String(err)}`;
    }
    this.config.apply(this.settings, previous);
    this.host.requestUpdate();
    return true;
  }
}
