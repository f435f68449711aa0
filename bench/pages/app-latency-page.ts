/**
 * Browser side of the app-to-app latency benchmark (`bench/app-latency.ts`). Bundled with
 * esbuild (minified, as the production build) and loaded into headless Chromium pages; Node
 * drives it through `window.bench` and presses the keys itself.
 *
 * The page is the real app: every Parley element registered (`src/define.ts`, what the app
 * page and the library load) and one `<parley-chat>` filling the page, told what to use by
 * the address: `?transport=socketio|webrtc&name=Alice&db=…` (a site-signed-in visitor, so no
 * login popup; an own database per page) and `#room=name` — with `&key=…` for an encrypted
 * room, which is how an invite link hands over the room key. `ice-servers` is an empty list:
 * WebRTC uses host candidates only, so nothing leaves the benchmark's private network.
 *
 * What it times, in this page's clock as epoch ms (`performance.timeOrigin + performance.now()`,
 * see `app-latency.ts` for why that is one clock across pages): when Enter reached the page (a
 * capture listener on `window`, before the composer handles it), when the element announced
 * an incoming message (`parley-message`, the room controller done, before rendering) and when
 * its row was put into the message list's DOM (a MutationObserver on the list's shadow root,
 * whose callback runs right after the render that inserted it), and the frame after that (a
 * task after the next animation frame: painted); on the sending page, when our own row went into
 * the list's DOM, when it first showed the message stored, and the first frame that painted the
 * composer empty. The app's phase marks
 * (`src/controllers/room/phase-marks.ts`) are listened to here, per message id, on both pages.
 */
import '../../src/define.js';
import { listenPhases, type PhaseName } from '../../src/controllers/room/phase-marks.js';
import type { ChatMessage } from '../../src/controllers/room/message-list.js';
import type { ParleyStatusDetail } from '../../src/components/shared/events.js';

/** A message as the receiving page saw it arrive. */
export interface Shown {
  /** Epoch ms the row with the token was inserted into the list's DOM. */
  domEpoch: number;
  /** Epoch ms `<parley-chat>` announced it (`parley-message`, direction `in`). */
  eventEpoch: number;
  /** Whether it travelled sealed (the room controller opened it with the room key). */
  sealed: boolean;
  /** Messages in the list now (it stays fully rendered below 150). */
  listed: number;
  /** Whether the list is rendered in full (not virtualized). */
  full: boolean;
  /** Epoch ms of the frame after the row went into the DOM (rAF, then a task: it is painted). */
  paintEpoch: number;
  /** The app's marks for this message on this page (`in-…`), epoch ms. */
  phases: Phases;
}

/** The app's phase marks for one message on one page, epoch ms (the first of each name). */
export type Phases = Partial<Record<PhaseName, number>>;

/** The Enter that sent a message, as the sending page saw it. */
export interface Sent {
  /** Epoch ms the Enter keydown reached the page. */
  enterEpoch: number;
  /** Status of our message once waited for (`delivered`: the other member's receipt came). */
  status: string;
  /**
   * Epoch ms our row first rendered as stored (`queued` or later): sealed, signed, committed to
   * IndexedDB. The message went on the wire before (the `out-wire` mark), while it was stored.
   */
  storedEpoch: number;
  /** Epoch ms our own row first went into our list's DOM (as "saving"). */
  ownRowEpoch: number;
  /**
   * Epoch ms the composer was painted empty: the frame after Enter in which the field held
   * nothing (rAF, then a task: painted, as the receiver's `paintEpoch`). NaN when it was not
   * empty within {@link CLEARED_FRAMES} frames (the send was refused).
   */
  clearedEpoch: number;
  /** The app's marks for this message on this page (`out-…`), epoch ms. */
  phases: Phases;
}

/** What Node may call on `window.bench`. */
export interface AppLatencyPageApi {
  /**
   * Resolves once the chat is open in its room with `members` people (ourselves included) and,
   * when `direct`, every other one linked directly; rejects after `ms` with what it saw.
   */
  linked(members: number, direct: boolean, ms: number): Promise<string>;
  /** Watches for a message whose text contains `token` (the next one Node sends). */
  arm(token: string): void;
  /** Resolves when the armed message is in the list's DOM; rejects after `ms`. */
  shown(ms: number): Promise<Shown>;
  /**
   * The last Enter, checked to have been pressed on a composer holding `token`; waits (up to
   * `ms`) for our message to show as delivered, so its receipt is not in the next sample.
   */
  sent(token: string, ms: number): Promise<Sent>;
  /** Epoch ms now, on this page's clock (for the clock check). */
  clock(): number;
  /** Whether the page is cross-origin isolated (`performance.now()` in 5 µs steps). */
  isolated(): boolean;
  /** Script problems the element reported (`parley-error`). */
  problems(): string[];
}

const params = new URLSearchParams(location.search);
const epoch = () => performance.timeOrigin + performance.now();

/** The app's phase marks per message id; emptied once a sample has read its own. */
const marks = new Map<string, Phases>();
listenPhases((name, id, at) => {
  let m = marks.get(id);
  if (!m) {
    if (marks.size > 1_000) marks.clear(); // bounded: only the sample in flight matters
    marks.set(id, (m = {}));
  }
  m[name] ??= performance.timeOrigin + at;
});
/** The marks of message `id`, forgotten here (each sample reads its own once). */
function takeMarks(id: string | undefined): Phases {
  if (id === undefined) return {};
  const m = marks.get(id) ?? {};
  marks.delete(id);
  return m;
}

document.documentElement.style.cssText = 'height:100%';
document.body.style.cssText = 'height:100%;margin:0';
const chat = document.createElement('parley-chat');
chat.setAttribute('transport', params.get('transport') ?? 'socketio');
chat.setAttribute('display-name', params.get('name') ?? 'Bench');
chat.setAttribute('db-name', params.get('db') ?? 'parley-bench-app');
// No STUN/TURN servers: host candidates on the benchmark's private network only.
chat.setAttribute('ice-servers', '[]');
chat.style.cssText = 'display:block;height:100vh';

let status: ParleyStatusDetail | undefined;
const problems: string[] = [];
chat.addEventListener('parley-status', (e) => void (status = e.detail));
chat.addEventListener('parley-error', (e) => void problems.push(e.detail.message));

/** The message being waited for, and when each of its events happened. */
let armed:
  | {
      token: string;
      domEpoch?: number;
      eventEpoch?: number;
      paintEpoch?: number;
      wake?: () => void;
    }
  | undefined;

chat.addEventListener('parley-message', (e) => {
  const d = e.detail;
  if (
    armed &&
    armed.eventEpoch === undefined &&
    d.direction === 'in' &&
    d.text.includes(armed.token)
  )
    armed.eventEpoch = epoch();
});

let lastEnter: { at: number; value: string } | undefined;
/** Our message being sent: when its row first showed, showed it stored, and the field cleared. */
let sending: { value: string; stored?: number; row?: number; cleared?: number } | undefined;
const STORED = ['queued', 'sent', 'delivered'];
/** Frames after Enter in which the composer is looked at for being empty. */
const CLEARED_FRAMES = 10;
window.addEventListener(
  'keydown',
  (e) => {
    if (e.key !== 'Enter' || e.shiftKey) return;
    const at = epoch();
    const target = e.composedPath()[0];
    if (!(target instanceof HTMLTextAreaElement)) return;
    lastEnter = { at, value: target.value };
    const s = (sending = { value: lastEnter.value });
    watchCleared(target, s, CLEARED_FRAMES);
  },
  { capture: true },
);

/** Notes the first frame after Enter that painted `field` empty (a few frames at most). */
function watchCleared(field: HTMLTextAreaElement, s: NonNullable<typeof sending>, frames: number) {
  requestAnimationFrame(() => {
    // Read before this frame's paint: what it paints.
    const empty = field.value === '';
    setTimeout(() => {
      if (empty) s.cleared = epoch();
      else if (frames > 1) watchCleared(field, s, frames - 1);
    }, 0);
  });
}

document.body.append(chat);

/** The chat's message list element (inside its shadow root once rendered). */
function messagesElement(): (HTMLElement & { messages: readonly ChatMessage[] }) | null {
  return chat.shadowRoot?.querySelector('parley-messages') ?? null;
}

let observed: ShadowRoot | undefined;
/** Observes the list's shadow root (again if the element was rendered anew). */
function observe(): void {
  const root = messagesElement()?.shadowRoot;
  if (!root || root === observed) return;
  observed = root;
  new MutationObserver((records) => {
    const at = epoch();
    if (sending) ownStatus(records, sending, at);
    if (sending && sending.row === undefined && hasRow(records, sending.value.trim())) {
      sending.row = at;
    }
    const a = armed;
    if (!a || a.domEpoch !== undefined || !hasRow(records, a.token)) return;
    a.domEpoch = at;
    // Painted once the frame that follows has run (its paint comes right after rAF callbacks).
    requestAnimationFrame(() =>
      setTimeout(() => {
        a.paintEpoch = epoch();
        a.wake?.();
      }, 0),
    );
  }).observe(root, { childList: true, subtree: true, attributeFilter: ['class'] });
}

/** Whether `records` inserted a row (or what holds one) whose text holds `text`. */
function hasRow(records: MutationRecord[], text: string): boolean {
  for (const r of records) {
    for (const node of r.addedNodes) {
      // A row, or what holds it (the first row replaces the empty list's placeholder).
      if (
        node instanceof HTMLElement &&
        (node.matches('li.msg') || node.querySelector('li.msg') !== null) &&
        node.textContent?.includes(text)
      )
        return true;
    }
  }
  return false;
}

/** Notes when our row's status (its class) first shows the message stored. */
function ownStatus(records: MutationRecord[], s: NonNullable<typeof sending>, at: number): void {
  for (const r of records) {
    const span = r.target;
    if (r.type !== 'attributes' || !(span instanceof HTMLElement)) continue;
    if (!span.classList.contains('status')) continue;
    if (span.closest('li.msg.own')?.textContent?.includes(s.value.trim()) !== true) continue;
    if (s.stored === undefined && STORED.some((c) => span.classList.contains(c))) s.stored = at;
  }
}

/** Polls `check` every `step` ms until it is true; rejects with `what()` after `ms`. */
async function until(check: () => boolean, what: () => string, ms: number, step = 20) {
  const end = performance.now() + ms;
  while (!check()) {
    if (performance.now() > end) throw new Error(`${what()} (after ${ms} ms)`);
    await new Promise((r) => setTimeout(r, step));
  }
}

/** The roster's link words for the other members ("directly", "via the server"). */
function links(): string[] {
  const roster = chat.shadowRoot?.querySelector('parley-roster')?.shadowRoot;
  if (!roster) return [];
  return [...roster.querySelectorAll('li:not(.self) .badge')].map(
    (b) => b.getAttribute('aria-label') ?? '?',
  );
}

const api: AppLatencyPageApi = {
  async linked(members, direct, ms) {
    const ok = () => {
      const l = links();
      return (
        status?.state === 'open' &&
        status.members >= members &&
        (!direct || (l.length >= members - 1 && l.every((w) => w === 'directly')))
      );
    };
    await until(ok, () => `not linked: ${JSON.stringify(status)}, links ${links().join(', ')}`, ms);
    observe();
    if (!observed) throw new Error('no message list rendered');
    return links().join(', ');
  },
  arm(token) {
    observe();
    armed = { token };
  },
  async shown(ms) {
    const a = armed;
    if (!a) throw new Error('nothing armed');
    if (a.paintEpoch === undefined) {
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => {
          const listed = messagesElement()?.messages ?? [];
          const inModel = listed.some((m) => m.text.includes(a.token));
          const why = `${listed.length} listed, ${inModel ? 'in the model' : 'not in the model'}`;
          reject(new Error(`"${a.token}" not shown after ${ms} ms (${why})`));
        }, ms);
        a.wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
    }
    const list = messagesElement()!;
    const msg = list.messages.find((m) => m.text.includes(a.token));
    armed = undefined;
    return {
      domEpoch: a.domEpoch!,
      eventEpoch: a.eventEpoch ?? NaN,
      paintEpoch: a.paintEpoch!,
      phases: takeMarks(msg?.id),
      sealed: msg?.sealed === true,
      listed: list.messages.length,
      full: list.shadowRoot?.querySelector('ol.virtual') === null,
    };
  },
  async sent(token, ms) {
    const enter = lastEnter;
    if (!enter?.value.includes(token)) throw new Error(`the last Enter was not on "${token}"`);
    const own = () => messagesElement()?.messages.find((m) => m.text.includes(token));
    await until(
      () => own()?.status === 'delivered',
      () => `"${token}" is ${own()?.status ?? 'not listed'}`,
      ms,
      2,
    );
    const s = sending?.value === enter.value ? sending : undefined;
    return {
      enterEpoch: enter.at,
      status: own()!.status,
      storedEpoch: s?.stored ?? NaN,
      ownRowEpoch: s?.row ?? NaN,
      clearedEpoch: s?.cleared ?? NaN,
      phases: takeMarks(own()!.id),
    };
  },
  clock: epoch,
  isolated: () => globalThis.crossOriginIsolated === true,
  problems: () => problems,
};

(globalThis as unknown as { bench: AppLatencyPageApi }).bench = api;
