/**
 * The members of the clog attack (issue 26 item 3), for its test and its benchmark: raw
 * Socket.IO clients on 127.0.0.1 that join a room with valid identities of their own. An
 * honest one acknowledges every message it hears (to its sender only, as a browser does); each
 * clogging one sends, as fast as the relay's rate limit lets it, receipts naming 200 made-up
 * ids and catch-up requests for 2,000 messages, to the victim's connection.
 */
import { randomUUID } from 'node:crypto';
import { Raw } from '../../bench/abuse/raw-client.js';
import { MAX_ACK_IDS, MAX_SYNC_LIMIT } from '../../src/protocol/chat-events.js';

/** A message the honest member heard: its id, text and when (Node's epoch ms). */
export interface Heard {
  id: string;
  text: string;
  from: string;
  at: number;
}

/** An honest member: acknowledges what it hears, and keeps it. */
export class HonestMember {
  readonly raw = new Raw();
  readonly heard: Heard[] = [];
  userId = '';

  /** Joins `room` on the relay at `port`. */
  async join(port: number, room: string): Promise<void> {
    if (!(await this.raw.connect(port))) throw new Error('the honest member was refused');
    this.userId = (await this.raw.join(room, 'Bob')).me.userId;
    this.raw.onEvent = (from, event, args) => {
      if (event !== 'chat:message') return;
      const env = args[0] as { id?: unknown; body?: { text?: unknown } };
      if (typeof env?.id !== 'string') return;
      const at = performance.timeOrigin + performance.now();
      this.heard.push({ id: env.id, text: String(env.body?.text ?? ''), from, at });
      void this.raw.ack(from, room, [env.id]);
    };
  }

  /** The first message heard whose text contains `token`. */
  find(token: string): Heard | undefined {
    return this.heard.find((h) => h.text.includes(token));
  }

  close(): void {
    this.raw.close();
  }
}

/** Frames each clogging member sends per second: under the relay's default 20/s. */
export const CLOG_RATE = 18;

/** Clogging members, each with an identity of its own, sending what costs the victim most. */
export class Cloggers {
  readonly members: Raw[] = [];
  private readonly ids: string[] = [];
  private timer: ReturnType<typeof setInterval> | undefined;
  /** Frames sent so far (receipts and requests). */
  sent = 0;
  /** Relay errors heard (a rate-limited frame would show here). */
  errors = 0;

  /** Joins `count` members into `room`. */
  async join(port: number, room: string, count: number): Promise<void> {
    for (let i = 0; i < count; i++) {
      const raw = new Raw();
      if (!(await raw.connect(port))) throw new Error(`clogging member ${i} was refused`);
      this.members.push(raw);
      this.ids.push((await raw.join(room, `Mallory ${i}`)).me.userId);
      raw.ws.on('message', (data) => {
        if (String(data).startsWith('42["relay:error"')) this.errors++;
      });
    }
  }

  /**
   * Starts the flood in `room` at connection `victim` (to it only, as receipts and requests
   * travel): each member alternates a receipt and a request.
   */
  start(room: string, victim: string): void {
    let n = 0;
    this.timer = setInterval(() => {
      n++;
      this.members.forEach((raw, i) => {
        const frame =
          n % 2 === 0
            ? ['chat:ack', [{ room, by: this.ids[i], ids: madeUpIds(MAX_ACK_IDS) }]]
            : ['chat:sync-req', [{ room, since: 0, limit: MAX_SYNC_LIMIT }]];
        raw.send(['relay:to', victim, ...frame]);
        this.sent++;
      });
    }, 1000 / CLOG_RATE);
  }

  /** Stops the flood. */
  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }

  close(): void {
    this.stop();
    this.members.forEach((raw) => raw.close());
  }
}

/** `n` ids shaped like message ids that name no message. */
function madeUpIds(n: number): string[] {
  return Array.from({ length: n }, () => `${'M'.repeat(22)}.${randomUUID()}`);
}

/**
 * The relay's own round trip, for comparison: two raw members on 127.0.0.1 (no browser), one
 * sending the other a tiny receipt through the relay, timed on Node's clock. Its tail under
 * the flood is what the relay, this process and the machine add, with no app in the way.
 */
export class RelayProbe {
  private readonly from = new Raw();
  private readonly to = new Raw();
  private readonly sent = new Map<string, number>();
  private readonly heard = new Map<string, number>();

  /** Joins both into `room` on the relay at `port`. */
  async join(port: number, room: string): Promise<void> {
    for (const [raw, name] of [
      [this.from, 'Carol'],
      [this.to, 'Dave'],
    ] as const) {
      if (!(await raw.connect(port))) throw new Error(`relay probe ${name} was refused`);
      await raw.join(room, name);
    }
    this.to.onEvent = (_from, event, args) => {
      const id = (args[0] as { ids?: unknown[] } | undefined)?.ids?.[0];
      if (event === 'chat:ack' && typeof id === 'string' && this.sent.has(id)) {
        this.heard.set(id, performance.timeOrigin + performance.now());
      }
    };
  }

  /** Sends one probe through the relay now; returns its id. */
  send(room: string): string {
    const id = `${'P'.repeat(22)}.${randomUUID()}`;
    this.sent.set(id, performance.timeOrigin + performance.now());
    this.from.send(['relay:to', this.to.selfId, 'chat:ack', [{ room, by: 'probe', ids: [id] }]]);
    return id;
  }

  /** The probe's round trip in ms (undefined: not heard yet); forgotten once read. */
  take(id: string): number | undefined {
    const at = this.heard.get(id);
    if (at === undefined) return undefined;
    const ms = at - this.sent.get(id)!;
    this.heard.delete(id);
    this.sent.delete(id);
    return ms;
  }

  close(): void {
    this.from.close();
    this.to.close();
  }
}
