/**
 * Which settings `<parley-chat>` runs with: the embedding page's attributes (`transport`,
 * `server`, `ice-servers`, `history-max`) until the visitor saves their own Settings, and the
 * transport options that follow from them. Pure functions of the attributes and the saved
 * settings; the chat reads them on every render.
 */
import type { SettingsController } from '../../controllers/settings/settings-controller.js';
import {
  iceServersFrom,
  isUserTransport,
  serverList,
  type ParleySettings,
} from '../../controllers/settings/settings.js';
import type { WatchLink } from '../../controllers/rooms/room-watch.js';
import type {
  TransportFactory,
  TransportKind,
} from '../../controllers/connection/transport-controller.js';

/** The attributes of `<parley-chat>` the visitor's Settings can override. */
export interface PageSettings {
  transport: TransportKind;
  server: string | undefined;
  iceServers: string | undefined;
  historyMax?: number | undefined;
  transportFactory?: TransportFactory | undefined;
}

/**
 * The settings in force: the visitor's own once they saved any; until then the embedding
 * page's attributes over the defaults.
 */
export function effectiveSettings(prefs: SettingsController, page: PageSettings): ParleySettings {
  const saved = prefs.settings;
  if (prefs.customized) return saved;
  return {
    transport: isUserTransport(page.transport) ? page.transport : saved.transport,
    server: page.server ?? saved.server,
    iceServers: iceServersFrom(page.iceServers) ?? saved.iceServers,
    direct: saved.direct,
    historyMax: saved.historyMax,
  };
}

/** The transport options of `settings`. */
export function linkOptions(settings: ParleySettings, prefs: SettingsController) {
  return {
    url: serverList(settings.server),
    iceServers: settings.iceServers,
    // Only a restriction is passed: without one WebRTC links to everyone, as it always did.
    // "Nobody" takes no seat in the room's direct-link mesh at all.
    ...(settings.direct === 'everyone' ? {} : { directTo: prefs.directTo(settings.direct) }),
    ...(settings.direct === 'nobody' ? { directLinks: false } : {}),
  };
}

/** `history-max` when it is a usable number (at least 1). */
export function usableHistoryMax(n: number | undefined): number | undefined {
  return n !== undefined && n >= 1 ? Math.floor(n) : undefined;
}

/** Messages kept per room: the page's `history-max`, else the visitor's setting. */
export function historyKept(prefs: SettingsController, page: PageSettings): number {
  return usableHistoryMax(page.historyMax) ?? prefs.settings.historyMax;
}

/** How the rooms not on screen are listened to: as the settings say (see room-watch.ts). */
export function watchLink(prefs: SettingsController, page: PageSettings): WatchLink {
  const settings = effectiveSettings(prefs, page);
  return {
    kind: page.transport === 'memory' ? 'memory' : settings.transport,
    options: linkOptions(settings, prefs),
    factory: page.transportFactory,
    historyMax: historyKept(prefs, page),
  };
}
