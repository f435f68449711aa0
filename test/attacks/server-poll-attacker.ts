/**
 * The long-polling reader of issue 26, item 5, for its test and its measurement: it joins a
 * room over engine.io long-polling, then sends each poll on a new TCP connection and never
 * reads past the first bytes of the answer (the rest stays in the sockets), answering the
 * server's pings blindly so it is never timed out. Flooding senders are ordinary members.
 */
import { connect, type Socket as NetSocket } from 'node:net';
import { provenJoin } from '../support/identity.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** What the attack saw, for the test's assertions and the measurement's report. */
export interface PollAttackStats {
  /** Polls sent, each on its own TCP connection. */
  polls: number;
  /** Poll connections the server reset or closed before answering (the TCP cap). */
  refused: number;
  /** Whether the server forgot the session (a pong answered "Session ID unknown"). */
  dropped: boolean;
}

/** One never-reading long-polling member of `room` on the server at `port`. */
export class NeverReadingPoller {
  readonly stats: PollAttackStats = { polls: 0, refused: 0, dropped: false };
  private sid = '';
  private stopped = false;
  private readonly held: NetSocket[] = [];

  constructor(
    private readonly port: number,
    private readonly room: string,
  ) {}

  private get base(): string {
    return `http://127.0.0.1:${this.port}/socket.io/?EIO=4&transport=polling`;
  }

  private post(body: string): Promise<Response> {
    return fetch(`${this.base}&sid=${this.sid}`, { method: 'POST', body });
  }

  /** Reads polls (politely) until one carries a packet starting with `prefix`. */
  private async pollFor(prefix: string): Promise<string> {
    for (let i = 0; i < 50; i++) {
      const text = await (await fetch(`${this.base}&sid=${this.sid}`)).text();
      const found = text.split('\x1e').find((p) => p.startsWith(prefix));
      if (found) return found;
    }
    throw new Error(`no ${prefix} packet`);
  }

  /** Opens the session and joins the room, reading normally; then it stops reading. */
  async join(name: string): Promise<void> {
    const open = await (await fetch(this.base)).text();
    this.sid = (JSON.parse(open.slice(1)) as { sid: string }).sid;
    await this.post('40');
    const connected = await this.pollFor('40{');
    const id = (JSON.parse(connected.slice(2)) as { sid: string }).sid;
    const request = await provenJoin({ id }, this.room, name);
    await this.post(`421${JSON.stringify(['relay:join', request])}`);
    const ack = await this.pollFor('431');
    if (!ack.includes('"ok":true')) throw new Error(`join refused: ${ack}`);
  }

  /** One poll on a new TCP connection; resolves once its answer began (or it was refused). */
  private pollOnce(): Promise<void> {
    return new Promise((resolve) => {
      const socket = connect(this.port, '127.0.0.1');
      this.held.push(socket);
      this.stats.polls++;
      let answered = false;
      socket.on('error', () => {});
      socket.once('data', () => {
        answered = true;
        socket.pause(); // the body is never read
        resolve();
      });
      socket.once('close', () => {
        if (!answered) {
          this.stats.refused++;
          resolve();
        }
      });
      socket.write(
        `GET /socket.io/?EIO=4&transport=polling&sid=${this.sid} HTTP/1.1\r\n` +
          `Host: 127.0.0.1:${this.port}\r\n\r\n`,
      );
    });
  }

  /** Polls without reading and pongs blindly until `stop()` or the server drops the session. */
  async run(): Promise<void> {
    const pongs = (async () => {
      while (!this.stopped && !this.stats.dropped) {
        const res = await this.post('3').catch(() => undefined);
        if (res) {
          const body = await res.text();
          if (res.status === 400 && body.includes('Session ID unknown')) this.stats.dropped = true;
        }
        await sleep(1000);
      }
    })();
    while (!this.stopped && !this.stats.dropped) {
      await this.pollOnce();
      // A refused poll (the cap) is tried again a little later, as an attacker would.
      if (this.stats.refused > 0) await sleep(20);
    }
    await pongs;
  }

  /** Poll connections still open on this side. */
  openPolls(): number {
    return this.held.filter((s) => !s.destroyed && !s.closed).length;
  }

  /** Stops the loops and closes every socket it opened. */
  stop(): void {
    this.stopped = true;
    this.held.forEach((s) => s.destroy());
  }
}
