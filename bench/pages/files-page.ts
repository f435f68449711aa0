/**
 * Browser side of the files benchmark (`bench/files.ts`). Bundled with esbuild and loaded into
 * headless Chromium pages, each its own browser context; Node drives it through `window.bench`.
 *
 * With `?transport=…` in the address the page is the real app: every Parley element registered
 * and one `<parley-chat>` (as `bench/pages/app-latency-page.ts` makes it), its `max-file-size`
 * raised to the protocol's ceiling so a 100 MB file may be sent. A file goes in the way a user
 * puts it in: a `File` on the composer's hidden `<input type=file>` and its `change` event
 * ("Attach file" then a pick in the dialog); it is fetched the way a user asks for it: the
 * receiver's "Download" button on the file's row. Without `transport` the page holds no chat
 * and serves the raw baselines: a bare `RTCDataChannel` (signaled by Node, which hands the
 * offer and answer over) and a bare socket.io-client socket to a forwarding server.
 *
 * Every time is this page's `performance.timeOrigin + performance.now()` (epoch ms; pages of
 * one machine agree, see `app-latency.ts`), so a transfer is timed from the sender's start to
 * the receiver's end, each where it happens.
 */
import '../../src/define.js';
import { io, type Socket } from 'socket.io-client';
import type { ChatMessage } from '../../src/controllers/room/message-list.js';
import type { FileActions } from '../../src/controllers/files/file-state.js';
import type { ParleyStatusDetail } from '../../src/components/shared/events.js';
import { MAX_FILE_CEILING } from '../../src/protocol/file-manifest.js';

/** One binary message of the raw baselines: the app's chunk size. */
export const RAW_CHUNK = 64 * 1024;
/** The raw data channel waits while more than this is buffered… */
const RAW_HIGH = 4 * 1024 * 1024;
/** …until `bufferedamountlow` says it is down to this. */
const RAW_LOW = 1024 * 1024;
/** The raw socket.io sender waits while its WebSocket buffers more than this (relay-bytes.ts). */
const IO_HIGH = 256 * 1024;
const MIB = 1024 * 1024;

/** Where a file given to the app stands on this page, as its files controller says. */
export interface FileSeen {
  phase: string;
  done: number;
  size: number;
}

/** What Node may call on `window.bench`. */
export interface FilesPageApi {
  /** Makes the page's file: `mib` MiB of random bytes, a Blob of 1 MiB parts (held once). */
  makeFile(name: string, mib: number): void;
  /** Drops the page's file (its Blob parts are freed with it). */
  dropFile(): void;
  /** Raw WebRTC, caller side: the offer, with every host candidate in it. */
  rtcOffer(): Promise<string>;
  /** Raw WebRTC, answering side: the answer to `offer`. */
  rtcAnswer(offer: string): Promise<string>;
  /** Raw WebRTC, caller side: takes the answer and waits (up to `ms`) for the channel. */
  rtcAccept(answer: string, ms: number): Promise<void>;
  /** Raw socket.io: connects to the forwarding server at `url` (WebSocket only). */
  ioConnect(url: string, ms: number): Promise<void>;
  /** Raw: expects `bytes` on `kind` (before the sender starts: Node awaits this first). */
  rawExpect(kind: 'rtc' | 'io', bytes: number, ms: number): void;
  /** Raw: the epoch the last expected byte came; rejects when `ms` (of rawExpect) ran out. */
  rawDone(): Promise<number>;
  /** Raw: sends the page's file on `kind` in 64 KiB messages; resolves with the start epoch. */
  rawSend(kind: 'rtc' | 'io'): Promise<number>;
  /** Raw: closes the data channel, the peer connection and the socket. */
  rawClose(): void;
  /** App: resolves once the chat is open with `members` (and, when `direct`, linked directly). */
  linked(members: number, direct: boolean, ms: number): Promise<string>;
  /** App: the byte budget the link announced (relay) or applies (direct), if it says. */
  budget(): unknown;
  /** App: puts the page's file on the composer's file input; resolves with that epoch. */
  attach(): number;
  /** App: waits for the row of file `name` and presses its Download; resolves with that epoch. */
  download(name: string, ms: number): Promise<number>;
  /** App: waits until file `name` is `phase` here; resolves with the epoch it was seen so. */
  reach(name: string, phase: string, ms: number): Promise<number>;
  /** App: the state of file `name` here (undefined: no such message yet). */
  seen(name: string): FileSeen | undefined;
  /** App: watches for our message holding `token` to show delivered (after Node's Enter). */
  armPing(token: string): void;
  /** App: Enter → our message `token` delivered (the other member's receipt back), in ms. */
  pinged(ms: number): Promise<number>;
  /** App: watches for a row holding `token` to be put into our message list (someone's Enter). */
  armRow(token: string): void;
  /** App: the epoch the armed row went into our list's DOM; rejects after `ms`. */
  rowShown(ms: number): Promise<number>;
  /** App: the epoch of the last Enter, checked to have been on a composer holding `token`. */
  entered(token: string): number;
  /** Holds `mib` MiB of touched memory (to find this page's renderer by its growth), or frees it. */
  ballast(mib: number): void;
  /** Script problems the element reported (`parley-error`) and the composer's last note. */
  problems(): string[];
}

const epoch = () => performance.timeOrigin + performance.now();
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Polls `check` every `step` ms until it gives a value; rejects with `what()` after `ms`. */
async function until<T>(check: () => T | undefined, what: () => string, ms: number, step = 5) {
  const end = performance.now() + ms;
  for (;;) {
    const v = check();
    if (v !== undefined) return v;
    if (performance.now() > end) throw new Error(`${what()} (after ${ms} ms)`);
    await sleep(step);
  }
}

// ---- the page's file ----------------------------------------------------------------------

let file: File | undefined;

/** 1 MiB of fresh random bytes (getRandomValues fills at most 64 KiB a call). */
function randomMiB(): Uint8Array<ArrayBuffer> {
  const part = new Uint8Array(MIB);
  for (let at = 0; at < MIB; at += 65536) crypto.getRandomValues(part.subarray(at, at + 65536));
  return part;
}

// ---- raw baselines ------------------------------------------------------------------------

let pc: RTCPeerConnection | undefined;
let channel: RTCDataChannel | undefined;
let socket: Socket | undefined;
/** What the raw receiver waits for: bytes still to come, and who to tell. */
let expecting: { left: number; done: (at: number) => void } | undefined;
let arrival: Promise<number> | undefined;

function received(size: number): void {
  const e = expecting;
  if (!e) return;
  e.left -= size;
  if (e.left <= 0) {
    expecting = undefined;
    e.done(epoch());
  }
}

function useChannel(ch: RTCDataChannel): void {
  channel = ch;
  ch.binaryType = 'arraybuffer';
  ch.bufferedAmountLowThreshold = RAW_LOW;
  ch.onmessage = (e: MessageEvent<ArrayBuffer>) => received(e.data.byteLength);
}

/** Waits until ICE gathering is over, so the description carries every candidate. */
async function described(p: RTCPeerConnection): Promise<string> {
  if (p.iceGatheringState !== 'complete') {
    await new Promise<void>((r) => {
      p.addEventListener('icegatheringstatechange', () => {
        if (p.iceGatheringState === 'complete') r();
      });
    });
  }
  return p.localDescription!.sdp;
}

/** Sends the file in 64 KiB messages, read 1 MiB at a time, held back by `wait`. */
async function pump(
  send: (b: Uint8Array<ArrayBuffer>) => void,
  wait: () => Promise<void>,
): Promise<void> {
  const f = file!;
  for (let at = 0; at < f.size; at += MIB) {
    const buf = new Uint8Array(await f.slice(at, at + MIB).arrayBuffer());
    for (let i = 0; i < buf.length; i += RAW_CHUNK) {
      await wait();
      send(buf.subarray(i, i + RAW_CHUNK));
    }
  }
}

/** Resolves when the data channel's buffer is low enough to send more. */
function rtcRoom(): Promise<void> {
  const ch = channel!;
  if (ch.bufferedAmount <= RAW_HIGH) return Promise.resolve();
  return new Promise((r) => ch.addEventListener('bufferedamountlow', () => r(), { once: true }));
}

/** Resolves when the socket's WebSocket buffer is below `IO_HIGH` (checked every ms). */
async function ioRoom(): Promise<void> {
  const ws = (socket!.io.engine.transport as unknown as { ws: WebSocket }).ws;
  while (ws.bufferedAmount > IO_HIGH) await sleep(1);
}

// ---- the app ------------------------------------------------------------------------------

const params = new URLSearchParams(location.search);
const transport = params.get('transport');
let chat: (HTMLElement & { files?: FileActions }) | undefined;
let status: ParleyStatusDetail | undefined;
const problems: string[] = [];

if (transport) {
  document.documentElement.style.cssText = 'height:100%';
  document.body.style.cssText = 'height:100%;margin:0';
  const el = document.createElement('parley-chat');
  el.setAttribute('transport', transport);
  el.setAttribute('display-name', params.get('name') ?? 'Bench');
  el.setAttribute('db-name', params.get('db') ?? 'parley-bench-files');
  el.setAttribute('ice-servers', '[]');
  el.setAttribute('max-file-size', String(MAX_FILE_CEILING));
  el.style.cssText = 'display:block;height:100vh';
  el.addEventListener('parley-status', (e) => void (status = e.detail));
  el.addEventListener('parley-error', (e) => void problems.push(e.detail.message));
  // Its files API is a private field: read here only to see where a file stands.
  chat = el as unknown as HTMLElement & { files?: FileActions };
  document.body.append(el);
}

/** Every element matching `selector` in `root` and the shadow roots under it. */
function deepAll(root: ParentNode, selector: string, out: Element[] = []): Element[] {
  for (const el of root.querySelectorAll('*')) {
    if (el.matches(selector)) out.push(el);
    if (el.shadowRoot) deepAll(el.shadowRoot, selector, out);
  }
  return out;
}

function messages(): readonly ChatMessage[] {
  const list = chat?.shadowRoot?.querySelector('parley-messages') as
    (HTMLElement & { messages: readonly ChatMessage[] }) | null;
  return list?.messages ?? [];
}

/** The file message named `name` (the last one, should a name repeat). */
const fileMessage = (name: string) => messages().findLast((m) => m.file?.name === name);

function links(): string[] {
  const roster = chat?.shadowRoot?.querySelector('parley-roster')?.shadowRoot;
  if (!roster) return [];
  return [...roster.querySelectorAll('li:not(.self) .badge')].map(
    (b) => b.getAttribute('aria-label') ?? '?',
  );
}

/** The element's files API: a private field of `<parley-chat>`, read, never called to send. */
const filesApi = () => chat?.files;

let lastEnter: { at: number; value: string } | undefined;
let ping: { token: string; at?: number; wake?: () => void } | undefined;
window.addEventListener(
  'keydown',
  (e) => {
    if (e.key !== 'Enter' || e.shiftKey) return;
    const target = e.composedPath()[0];
    lastEnter = { at: epoch(), value: target instanceof HTMLTextAreaElement ? target.value : '' };
  },
  { capture: true },
);

let row: { token: string; at?: number; wake?: () => void } | undefined;
/** Notes the moment the armed row (or what holds it) was inserted. */
function rowsAdded(records: MutationRecord[], at: number): void {
  const a = row;
  if (!a || a.at !== undefined) return;
  for (const r of records) {
    for (const node of r.addedNodes) {
      if (
        node instanceof HTMLElement &&
        (node.matches('li.msg') || node.querySelector('li.msg') !== null) &&
        node.textContent?.includes(a.token)
      ) {
        a.at = at;
        a.wake?.();
        return;
      }
    }
  }
}

/** Waits (up to `ms`) until `w.at` is set, woken by the observer. */
async function woken(w: { token: string; at?: number; wake?: () => void }, ms: number) {
  if (w.at === undefined) {
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`"${w.token}" not seen in ${ms} ms`)), ms);
      w.wake = () => {
        clearTimeout(timer);
        resolve();
      };
    });
  }
  return w.at!;
}

/** Notes the moment our pinged message first shows delivered (its row's status class). */
let watching: ShadowRoot | undefined;
function watchStatus(): void {
  const root = chat?.shadowRoot?.querySelector('parley-messages')?.shadowRoot;
  if (!root || root === watching) return;
  watching = root;
  new MutationObserver((records) => {
    const at = epoch();
    rowsAdded(records, at);
    const p = ping;
    if (!p || p.at !== undefined) return;
    for (const r of records) {
      const span = r.target;
      if (!(span instanceof HTMLElement) || !span.classList.contains('delivered')) continue;
      if (span.closest('li.msg.own')?.textContent?.includes(p.token) !== true) continue;
      p.at = at;
      p.wake?.();
      return;
    }
  }).observe(root, { childList: true, subtree: true, attributeFilter: ['class'] });
}

const api: FilesPageApi = {
  makeFile(name, mib) {
    const parts: Uint8Array<ArrayBuffer>[] = [];
    // Each part becomes a Blob at once, so the page never holds the bytes twice.
    const blobs: Blob[] = [];
    for (let i = 0; i < mib; i++) {
      parts[0] = randomMiB();
      blobs.push(new Blob(parts));
    }
    file = new File(blobs, name, { type: 'application/octet-stream' });
  },
  dropFile() {
    file = undefined;
  },
  async rtcOffer() {
    pc = new RTCPeerConnection({ iceServers: [] });
    useChannel(pc.createDataChannel('raw-bytes'));
    await pc.setLocalDescription(await pc.createOffer());
    return described(pc);
  },
  async rtcAnswer(offer) {
    pc = new RTCPeerConnection({ iceServers: [] });
    pc.ondatachannel = (e) => useChannel(e.channel);
    await pc.setRemoteDescription({ type: 'offer', sdp: offer });
    await pc.setLocalDescription(await pc.createAnswer());
    return described(pc);
  },
  async rtcAccept(answer, ms) {
    await pc!.setRemoteDescription({ type: 'answer', sdp: answer });
    await until(
      () => (channel?.readyState === 'open' ? true : undefined),
      () => `raw data channel is ${channel?.readyState ?? 'missing'}`,
      ms,
    );
  },
  async ioConnect(url, ms) {
    socket = io(url, { transports: ['websocket'], forceNew: true, reconnection: false });
    socket.on('b', (bytes: ArrayBuffer) => received(bytes.byteLength));
    await until(
      () => (socket!.connected ? true : undefined),
      () => 'raw socket not connected',
      ms,
    );
  },
  rawExpect(kind, bytes, ms) {
    if (kind === 'rtc' && channel?.readyState !== 'open') throw new Error('no raw data channel');
    if (kind === 'io' && !socket?.connected) throw new Error('no raw socket');
    arrival = new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        const left = expecting?.left;
        expecting = undefined;
        reject(new Error(`raw ${kind}: ${left} bytes still missing after ${ms} ms`));
      }, ms);
      expecting = {
        left: bytes,
        done: (at) => {
          clearTimeout(timer);
          resolve(at);
        },
      };
    });
    // Held for rawDone; a rejection nobody awaits yet must not count as unhandled.
    arrival.catch(() => undefined);
  },
  rawDone() {
    if (!arrival) return Promise.reject(new Error('nothing expected'));
    return arrival;
  },
  async rawSend(kind) {
    if (!file) throw new Error('no file made');
    const started = epoch();
    if (kind === 'rtc') await pump((b) => channel!.send(b), rtcRoom);
    else await pump((b) => socket!.emit('b', b), ioRoom);
    return started;
  },
  rawClose() {
    channel?.close();
    pc?.close();
    socket?.disconnect();
    channel = undefined;
    pc = undefined;
    socket = undefined;
  },
  async linked(members, direct, ms) {
    const ok = () => {
      const l = links();
      const open =
        status?.state === 'open' &&
        status.members >= members &&
        filesApi() !== undefined &&
        (!direct || (l.length >= members - 1 && l.every((w) => w === 'directly')));
      return open ? true : undefined;
    };
    await until(
      ok,
      () => `not linked: ${JSON.stringify(status)}, links ${links().join(', ')}`,
      ms,
      20,
    );
    watchStatus();
    return links().join(', ');
  },
  budget() {
    // The live transport's byte budget (the relay's announced one, or a direct link's own),
    // through the element's private transport controller, read for the report.
    type Link = { current?: { byteBudget?: unknown } };
    return (chat as unknown as { link?: Link }).link?.current?.byteBudget;
  },
  attach() {
    if (!file) throw new Error('no file made');
    const input = deepAll(document, 'parley-composer input[type=file], input[type=file]')[0];
    if (!(input instanceof HTMLInputElement)) throw new Error('no file input in the composer');
    const picked = new DataTransfer();
    picked.items.add(file);
    const at = epoch();
    input.files = picked.files;
    input.dispatchEvent(new Event('change', { bubbles: true }));
    return at;
  },
  async download(name, ms) {
    const button = await until(
      () => {
        const row = deepAll(document, 'parley-file').find(
          (el) => (el as HTMLElement & { message?: ChatMessage }).message?.file?.name === name,
        );
        return [...(row?.shadowRoot?.querySelectorAll('button') ?? [])].find(
          (b) => b.textContent?.trim() === 'Download' && !b.disabled,
        );
      },
      () => `no Download for ${name}`,
      ms,
    );
    const at = epoch();
    button.click();
    return at;
  },
  async reach(name, phase, ms) {
    await until(
      () => (api.seen(name)?.phase === phase ? true : undefined),
      () => `${name} is ${JSON.stringify(api.seen(name))}, not ${phase}`,
      ms,
    );
    return epoch();
  },
  seen(name) {
    const m = fileMessage(name)?.file;
    const files = filesApi();
    if (!m || !files) return undefined;
    const s = files.stateOf(m);
    return { phase: s.phase, done: s.done, size: s.size };
  },
  armPing(token) {
    watchStatus();
    ping = { token };
  },
  async pinged(ms) {
    const p = ping;
    if (!p) throw new Error('nothing armed');
    const at = await woken(p, ms);
    ping = undefined;
    return at - api.entered(p.token);
  },
  armRow(token) {
    watchStatus();
    row = { token };
  },
  async rowShown(ms) {
    const r = row;
    if (!r) throw new Error('no row armed');
    const at = await woken(r, ms);
    row = undefined;
    return at;
  },
  entered(token) {
    const enter = lastEnter;
    if (!enter?.value.includes(token)) throw new Error(`the last Enter was not on ${token}`);
    return enter.at;
  },
  ballast(mib) {
    // Kept on the global, so nothing frees it before Node has looked.
    const g = globalThis as { ballast?: Uint8Array };
    g.ballast = mib > 0 ? new Uint8Array(mib * MIB).fill(1) : undefined;
  },
  problems() {
    const note = deepAll(document, 'parley-composer')[0] as
      (HTMLElement & { note?: string }) | undefined;
    return note?.note ? [...problems, `composer: ${note.note}`] : problems;
  },
};

(globalThis as unknown as { bench: FilesPageApi }).bench = api;
