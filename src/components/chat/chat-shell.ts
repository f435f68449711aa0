/**
 * What the chat's core (chat-core.ts, a chunk of its own) needs of `<parley-chat>` itself: its
 * attributes, and the parts it keeps from the start — the session (the login box needs it
 * before anything else), the narrow layout's panels, the focus, the unread count.
 */
import type { LitElement } from 'lit';
import type { SessionController } from '../../controllers/session/session-controller.js';
import type {
  TransportFactory,
  TransportKind,
} from '../../controllers/connection/transport-controller.js';
import type { Credentials } from '../shared/events.js';
import type { ChatAttention } from './chat-attention.js';
import type { ChatFocus } from './chat-focus.js';
import type { NarrowPanels } from './narrow-panels.js';
import type { DeskRole } from './chat-desk.js';

/** `<parley-chat>` as its core sees it: the element and the attributes the core reads. */
export interface ChatShell extends LitElement {
  room: string | undefined;
  server: string | undefined;
  transport: TransportKind;
  iceServers: string | undefined;
  historyLimit: number;
  historyMax: number | undefined;
  transportFactory: TransportFactory | undefined;
  greeting: string | undefined;
  maxFileSize: number | undefined;
  login: 'inline' | 'modal';
  launcher: boolean;
  launcherOpen: boolean;
  rooms: 'list' | 'none';
  /** The help desk's agent cards (`agents`) and away message (`away`). */
  agents: string;
  away: string | undefined;
  /** Which side of a help desk this chat is on, if any (see chat-desk.ts). */
  desk(): DeskRole | undefined;
}

/** The parts of the chat made before its core (see the file's comment). */
export interface ShellParts {
  session: SessionController;
  panels: NarrowPanels;
  focusing: ChatFocus;
  attention: ChatAttention;
  /** Someone is logged in. */
  signedIn: () => boolean;
  /** The login box is shown (nobody logged in, or a login under way; not for a site's visitor). */
  showLogin: () => boolean;
  /** The login box's answers. */
  credentials: (kind: 'login' | 'register', e: CustomEvent<Credentials>) => void;
  /** A guest's part of Settings (her name, email, "Protect with a password"), or nothing. */
  guestSettings: () => unknown;
}
