/**
 * `controllers/settings/` — the visitor's settings: what they are and how they are checked
 * (settings.ts), loaded and saved (this controller).
 *
 * Settings controller: loads the user's settings from IndexedDB, checks them, saves changes
 * and tells the host (which applies them: a transport switch, another server, other ICE
 * servers). A stored record that no longer passes the checks falls back to the defaults
 * field by field, so a bad entry can never break the connection.
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { PeerHello } from '../../protocol/peer.js';
import { readSettings, writeSettings } from '../../store/settings-store.js';
import { probeServer } from '../../transport/index.js';
import type { ProbeResult } from '../../transport/probe.js';
import type { Problem } from '../shared/problem.js';
import type { SessionController } from '../session/session-controller.js';
import {
  DEFAULT_SETTINGS,
  directPolicy,
  hasProblems,
  historyMaxProblem,
  isDirectChoice,
  iceServerProblem,
  serverList,
  serverProblem,
  settingsProblems,
  UserTransports,
  type DirectChoice,
  type IceServerEntry,
  type ParleySettings,
  type SettingsProblems,
} from './settings.js';

/** Configuration of the settings controller. */
export interface SettingsConfig {
  /** Where the settings are stored (only its `db` is used). */
  session: Pick<SessionController, 'db'>;
  /** Called once the stored settings are loaded, and after each successful save. */
  apply: (settings: ParleySettings, previous: ParleySettings | undefined) => void;
  /** Checks that a server answers before it is saved; a short Socket.IO connection by default. */
  probe?: (url: string) => Promise<ProbeResult>;
  /**
   * Whom the visitor has verified (compared safety codes with), for "Connect directly to: only
   * people I have verified". The hook for the contacts store; without it nobody is verified,
   * so that choice links to nobody.
   */
  verified?: (hello: PeerHello) => boolean;
}

/** How {@link SettingsController.save} goes about it. */
export interface SaveOptions {
  /** Save even if a new server does not answer (the user's "Save anyway"): no check is made. */
  force?: boolean;
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
    // Records from before this setting (or written by a newer Parley) link as before.
    direct: isDirectChoice(r.direct) ? r.direct : DEFAULT_SETTINGS.direct,
    historyMax:
      typeof r.historyMax === 'number' && !historyMaxProblem(r.historyMax)
        ? r.historyMax
        : DEFAULT_SETTINGS.historyMax,
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
  /** Whether a save is waiting for new servers to answer. */
  checking = false;
  /** Whether the last save was refused because a server did not answer. */
  unreachable = false;
  /** Counts checks, so an abandoned or overtaken one cannot save or report anything. */
  private check = 0;

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

  /**
   * The WebRTC transport's `directTo` for `choice` (the saved one unless told): whether a
   * member may be linked directly, asking the `verified` hook for "only people I have verified".
   * The hook is asked at each decision, so a verification counts from the next link on.
   */
  directTo(choice: DirectChoice = this.settings.direct): (hello: PeerHello) => boolean {
    return directPolicy(choice, (hello) => this.config.verified?.(hello) ?? false);
  }

  /** Why saving failed, as a problem (always the browser's storage). */
  get problem(): Problem | undefined {
    return this.error === undefined ? undefined : { code: 'storage', message: this.error };
  }

  /**
   * Why the last save was refused because a server did not answer, e.g. "Could not reach
   * https://chat.example.org: no answer within 4 s."; undefined otherwise.
   */
  get serverProblem(): string | undefined {
    return this.unreachable ? this.problems.server : undefined;
  }

  /** Forgets the last check's problem and abandons a check in progress (its save is dropped). */
  clearCheck(): void {
    this.check++;
    this.checking = false;
    this.unreachable = false;
    this.problems = {};
    this.host.requestUpdate();
  }

  /**
   * Checks `next` field by field; when its server list is new (and not empty), checks that
   * every server answers, unless `force`; then stores and applies it. Returns false (with
   * `problems`, and `unreachable` if a server did not answer) when refused.
   */
  async save(next: ParleySettings, options: SaveOptions = {}): Promise<boolean> {
    const check = ++this.check;
    this.checking = false; // a check this save overtakes no longer counts
    this.problems = settingsProblems(next);
    this.unreachable = false;
    if (hasProblems(this.problems)) {
      this.host.requestUpdate();
      return false;
    }
    const servers = serverList(next.server);
    const known = serverList(this.settings.server);
    if (!options.force && servers.length > 0 && servers.join(' ') !== known.join(' ')) {
      const failures = await this.unanswered(servers);
      if (check !== this.check) return false;
      if (failures) {
        this.problems = { server: failures };
        this.unreachable = true;
        this.host.requestUpdate();
        return false;
      }
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

  /** Probes `servers` together; one sentence per server that did not answer, or undefined. */
  private async unanswered(servers: string[]): Promise<string | undefined> {
    const check = this.check;
    const probe = this.config.probe ?? ((url: string) => probeServer(url));
    this.checking = true;
    this.host.requestUpdate();
    const results = await Promise.all(
      servers.map((url) =>
        probe(url).catch((err: unknown): ProbeResult => ({
          ok: false,
          reason: `the check itself failed (${err instanceof Error ? err.message : String(err)})`,
        })),
      ),
    );
    if (check === this.check) this.checking = false;
    const failed = servers.flatMap((url, i) => {
      const r = results[i]!;
      return r.ok ? [] : [`Could not reach ${url}: ${r.reason}.`];
    });
    return failed.length > 0 ? failed.join(' ') : undefined;
  }
}
