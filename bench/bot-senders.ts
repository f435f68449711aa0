/**
 * The senders of the bot benchmark (`bench/bot.ts`), in a process of their own so their CPU
 * is not counted against the receiver: browser-free raw Socket.IO clients, each with its own
 * identity and a proven join, each sending its messages (signed beforehand) as fast as the
 * relay takes them. Driven over IPC: `{ go: {...} }` → `ready`, `send` → `sent`, `stop`.
 */
import { io, type Socket } from 'socket.io-client';
import { createIdentity, signerOf } from '../src/protocol/identity.js';
import { uuidv7 } from '../src/protocol/message-id.js';
import { messageIdOf, signEnvelope } from '../src/protocol/signed-envelope.js';
import type { Envelope } from '../src/protocol/chat-events.js';
import { provenJoin } from '../test/support/identity.js';

/** What the parent asks for. */
export interface SendersPlan {
  url: string;
  room: string;
  senders: number;
  perSender: number;
}

const sockets: Socket[] = [];
let planned: Array<{ socket: Socket; envs: Envelope[] }> = [];

async function prepare(plan: SendersPlan): Promise<void> {
  planned = await Promise.all(
    Array.from({ length: plan.senders }, async (_, i) => {
      const signer = signerOf(await createIdentity());
      const envs: Envelope[] = [];
      for (let n = 0; n < plan.perSender; n++) {
        const header = {
          id: messageIdOf(signer.id, uuidv7()),
          room: plan.room,
          from: { id: signer.id, name: `sender ${i}`, key: signer.publicKey },
          ts: Date.now(),
          seq: n,
        };
        envs.push(
          await signEnvelope(signer, { ...header, body: { text: `message ${n} of ${i}` } }),
        );
      }
      const socket = io(plan.url, {
        transports: ['websocket'],
        forceNew: true,
        reconnection: false,
      });
      sockets.push(socket);
      await new Promise<void>((resolve, reject) => {
        socket.once('connect', () => resolve());
        socket.once('connect_error', reject);
      });
      const req = await provenJoin(socket, plan.room, `sender ${i}`, signer);
      const reply = (await socket.timeout(10_000).emitWithAck('relay:join', req)) as {
        ok: boolean;
      };
      if (!reply.ok) throw new Error(`sender ${i} could not join: ${JSON.stringify(reply)}`);
      return { socket, envs };
    }),
  );
}

process.on('message', (msg: { go?: SendersPlan; send?: true; stop?: true }) => {
  if (msg.go) {
    prepare(msg.go).then(
      () => process.send!('ready'),
      (err: unknown) => process.send!(`error ${String(err)}`),
    );
  } else if (msg.send) {
    for (const { socket, envs } of planned)
      for (const env of envs) socket.emit('relay:emit', 'chat:message', [env]);
    process.send!('sent');
  } else if (msg.stop) {
    sockets.forEach((s) => s.disconnect());
    process.exit(0);
  }
});
