/**
 * A raw engine.io/Socket.IO client over `ws` for the abuse benchmark (as in
 * `test/signaling/slow-reader.test.ts`): it can stop reading its socket while still answering
 * pings, which no Socket.IO client would do. Used by the honest pair and by the attackers.
 */
import WebSocket from 'ws';
import { provenJoin } from '../../test/signaling/helpers.js';
import { testSigner, type ProvenJoinRequest } from '../../test/support/identity.js';
import type { Signer } from '../../src/protocol/identity.js';
import { signAck, signHere } from '../../src/protocol/signed-notices.js';

/** A raw engine.io/Socket.IO client over `ws` (as in `test/signaling/slow-reader.test.ts`). */
export class Raw {
  ws!: WebSocket;
  sid = '';
  selfId = '';
  closed = false;
  refused = false;
  acks = new Map<number, (args: unknown[]) => void>();
  onEvent: (from: string, event: string, args: unknown[]) => void = () => {};
  private nextAck = 1;

  /** Connects; resolves false when the server refuses the handshake. */
  connect(port: number): Promise<boolean> {
    const ws = new WebSocket(`ws://127.0.0.1:${port}/socket.io/?EIO=4&transport=websocket`);
    this.ws = ws;
    ws.on('close', () => (this.closed = true));
    return new Promise<boolean>((resolve) => {
      const timer = setTimeout(() => resolve(false), 5000);
      const fail = () => {
        this.refused = true;
        clearTimeout(timer);
        resolve(false);
      };
      ws.on('error', fail);
      ws.on('unexpected-response', (req) => {
        req.destroy();
        fail();
      });
      ws.on('message', (data) => {
        const text = String(data);
        if (text.startsWith('0{')) ws.send('40');
        else if (text === '2') ws.send('3');
        else if (text.startsWith('40{')) {
          this.sid = (JSON.parse(text.slice(2)) as { sid: string }).sid;
          clearTimeout(timer);
          resolve(true);
        } else if (text.startsWith('43')) {
          const m = /^43(\d+)(.*)$/s.exec(text);
          if (!m) return;
          const ack = this.acks.get(Number(m[1]));
          this.acks.delete(Number(m[1]));
          ack?.(JSON.parse(m[2]!) as unknown[]);
        } else if (text.startsWith('42["relay:event"')) {
          const [, from, event, args] = JSON.parse(text.slice(2)) as [
            string,
            string,
            string,
            unknown[],
          ];
          this.onEvent(from, event, args);
        }
      });
    });
  }

  /** Sends `frame` (an event array) with an ack; resolves with the ack's arguments. */
  call(frame: unknown[], ms = 5000): Promise<unknown[]> {
    const id = this.nextAck++;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.acks.delete(id);
        reject(new Error('no ack'));
      }, ms);
      this.acks.set(id, (args) => {
        clearTimeout(timer);
        resolve(args);
      });
      this.ws.send(`42${id}${JSON.stringify(frame)}`);
    });
  }

  send(frame: unknown[]): void {
    if (this.ws.readyState === WebSocket.OPEN) this.ws.send(`42${JSON.stringify(frame)}`);
  }

  /** Our identity (made at `join`): signs our hello and receipts, as a 1.4 member does. */
  signer: Signer | undefined;

  /** Joins `room` as `name`, then says it is here with a signed hello (protocol 1.4). */
  async join(room: string, name: string): Promise<ProvenJoinRequest> {
    const signer = (this.signer = await testSigner());
    const request = await provenJoin({ id: this.sid }, room, name, signer);
    const [reply] = (await this.call(['relay:join', request])) as [
      { ok: boolean; selfId: string; error?: { code: string } },
    ];
    if (!reply.ok) throw new Error(`${name} could not join ${room}: ${reply.error?.code}`);
    this.selfId = reply.selfId;
    const here = await signHere(signer, { room, peer: reply.selfId, name, at: Date.now() });
    this.send(['relay:emit', 'chat:here', [here]]);
    return request;
  }

  /** Sends `ids` of `room` a signed receipt, to connection `to` only. */
  async ack(to: string, room: string, ids: string[]): Promise<void> {
    const ack = await signAck(this.signer!, { room, ids });
    this.send(['relay:to', to, 'chat:ack', [ack]]);
  }

  close(): void {
    this.ws?.terminate();
  }
}
