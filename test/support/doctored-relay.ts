/**
 * A doctored relay for the tests: a Socket.IO server that speaks the relay's frames well enough
 * for the app (join, presence, room events, directed events, pings) and lies the way an
 * operator who modified the real one could — holding no member's key. It can keep a member who
 * left "here" (no goodbye, and their last words replayed), swallow the room's messages, and
 * hand any member a frame stamped as coming from anyone. The tests drive it through the test
 * runner's `doctored-relay` command (see web-test-runner.config.mjs).
 */
import { createServer, type Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Server, type Socket } from 'socket.io';
import { PROTOCOL_VERSION } from '../../src/protocol/version.js';

/** What the operator does wrong; all off by default (then it relays honestly). */
export interface Doctoring {
  /** Members who leave stay listed, and their last hello and typing notice are replayed. */
  ghosts?: boolean;
  /** `chat:message` frames are dropped instead of relayed. */
  swallow?: boolean;
}

/** A command from a test. */
export type DoctorCommand =
  | { action: 'url' }
  | { action: 'doctor'; doctoring: Doctoring }
  | { action: 'inject'; to: string; from: string; ev: string; args: unknown[] }
  | { action: 'heard'; from: string; ev: string };

interface Member {
  socket: Socket;
  room: string;
  hello: Record<string, unknown>;
  /** The last frame of each event it sent (what a ghost replays). */
  last: Map<string, unknown[]>;
}

/** Starts the doctored relay on 127.0.0.1; `command` answers the tests, `close` stops it. */
export async function startDoctoredRelay() {
  const http: HttpServer = createServer();
  const io = new Server(http, { cors: { origin: '*' } });
  const members = new Map<string, Member>();
  const ghosts = new Map<string, Member>();
  let doctoring: Doctoring = {};
  let replay: ReturnType<typeof setInterval> | undefined;

  const others = (m: Member) => [...members.values()].filter((o) => o !== m && o.room === m.room);
  const event = (to: Member, from: string, ev: string, args: unknown[]) =>
    to.socket.emit('relay:event', from, ev, args);

  io.on('connection', (socket) => {
    const id = socket.id;
    socket.on(
      'relay:join',
      (req: { room: string; me: Record<string, unknown>; v?: string }, ack) => {
        const hello = { ...req.me, id, since: Date.now(), v: req.v ?? PROTOCOL_VERSION };
        const m: Member = { socket, room: req.room, hello, last: new Map() };
        const peers = [...others(m), ...[...ghosts.values()].filter((g) => g.room === m.room)];
        members.set(id, m);
        ack({
          ok: true,
          v: PROTOCOL_VERSION,
          selfId: id,
          since: hello.since,
          peers: peers.map((p) => p.hello),
          limits: { rate: 1000, burst: 2000, maxPayload: 65536 },
        });
        for (const o of others(m)) o.socket.emit('relay:presence', m.room, [{ join: hello }]);
      },
    );
    socket.on('relay:emit', (ev: string, args: unknown[]) => {
      const m = members.get(id);
      if (!m) return;
      m.last.set(ev, args);
      if (ev === 'chat:message' && doctoring.swallow) return;
      for (const o of others(m)) event(o, id, ev, args);
    });
    socket.on('relay:to', (to: string, ev: string, args: unknown[]) => {
      const m = members.get(id);
      m?.last.set(ev, args);
      const target = members.get(to);
      if (m && target) event(target, id, ev, args);
    });
    socket.on('relay:ping', (ack: (r: { t: number }) => void) => ack({ t: Date.now() }));
    socket.on('disconnect', () => {
      const m = members.get(id);
      members.delete(id);
      if (!m) return;
      if (doctoring.ghosts) {
        ghosts.set(id, m); // no goodbye: the others keep it
        return;
      }
      const leave = { leave: id, since: m.hello['since'] };
      for (const o of others(m)) o.socket.emit('relay:presence', m.room, [leave]);
    });
  });

  /** Every 100 ms each ghost "says" again what it said last: its hello, its typing. */
  const replayGhosts = () => {
    for (const [id, g] of ghosts) {
      for (const o of members.values()) {
        if (o.room !== g.room) continue;
        for (const ev of ['chat:here', 'chat:typing'] as const) {
          const args = g.last.get(ev);
          if (args) event(o, id, ev, args);
        }
      }
    }
  };

  await new Promise<void>((r) => http.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
  return {
    command(c: DoctorCommand): unknown {
      switch (c.action) {
        case 'url':
          return url;
        case 'doctor':
          doctoring = c.doctoring;
          clearInterval(replay);
          if (doctoring.ghosts) replay = setInterval(replayGhosts, 100);
          else ghosts.clear();
          return true;
        case 'inject': {
          const to = members.get(c.to);
          if (to) event(to, c.from, c.ev, c.args);
          return to !== undefined;
        }
        case 'heard':
          return (members.get(c.from) ?? ghosts.get(c.from))?.last.get(c.ev) ?? [];
      }
    },
    async close() {
      clearInterval(replay);
      io.close();
      await new Promise((r) => http.close(r));
    },
  };
}
