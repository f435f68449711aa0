import { expect } from '@open-wc/testing';
import { CatchUp } from '../../../src/controllers/room/catch-up.js';
import { MessageList } from '../../../src/controllers/room/message-list.js';
import {
  catchUpPort,
  type ActiveRoom,
  type RoomServices,
} from '../../../src/controllers/room/room-context.js';
import type { CatchUpPort } from '../../../src/controllers/room/catch-up.js';
import type { RosterMember } from '../../../src/controllers/presence/roster.js';
import type { TransportController } from '../../../src/controllers/connection/transport-controller.js';
import type { Envelope } from '../../../src/protocol/chat-events.js';
import { SIGNATURE_SHAPED, TEST_AUTHOR } from '../../support/identity.js';

// Catch-up bounds only count and page: signatures are the intake's business (tested there).
const env = (i: number, room = 'r'): Envelope => ({
  id: `m${i}`,
  room,
  from: { id: TEST_AUTHOR.id, name: 'Someone', key: TEST_AUTHOR.key },
  ts: 1000 + i,
  seq: i,
  body: { text: `#${i}` },
  sig: SIGNATURE_SHAPED,
});

/**
 * A catch-up whose transport records what it sends; the link lists "a", "b" (direct), "c" and
 * another tab of ours, whether or not their own hellos have come (catch-up asks either way).
 */
function setup() {
  const sent: Array<{ to: string; ev: string; payload: unknown }> = [];
  const hello = (id: string, userId: string) => ({ id, userId, name: id, since: 0 });
  const transport = {
    emitTo: (to: string, ev: string, payload: unknown) => (sent.push({ to, ev, payload }), true),
    payloadCap: 64 * 1024,
    reach: () => ({
      selfId: 'me',
      me: { userId: 'me', name: 'Me' },
      kind: 'socketio',
      members: [
        { hello: hello('a', 'ua'), link: 'relay' },
        { hello: hello('tab', 'me'), link: 'tab' },
        { hello: hello('b', 'ub'), link: 'direct' },
        { hello: hello('c', 'uc'), link: 'relay' },
      ],
    }),
  } as unknown as TransportController;
  const roster: RosterMember[] = [
    { id: 'me', userId: 'me', name: 'Me', self: true, link: 'relay' },
    { id: 'a', userId: 'ua', name: 'A', self: false, link: 'relay' },
    { id: 'b', userId: 'ub', name: 'B', self: false, link: 'direct' },
    { id: 'c', userId: 'uc', name: 'C', self: false, link: 'relay' },
  ];
  const services: RoomServices = {
    transport,
    roster: () => roster,
    wasHere: () => true,
    list: new MessageList(),
    changed: () => {},
    enqueue: () => {},
  };
  const active = { owner: 'me', room: 'r', db: undefined } as unknown as ActiveRoom;
  const port = catchUpPort(services, () => active);
  return { catchUp: new CatchUp(port, () => 3), sent, active: 'r', port, services };
}

describe('catch-up bounds', () => {
  it('asks at most two members, direct links first, for the recent history when new', () => {
    const { catchUp, sent, active } = setup();
    catchUp.ask(active);
    expect(sent.map((s) => s.to)).to.deep.equal(['b', 'a']);
    expect(sent[0]!.payload).to.deep.equal({ room: 'r', since: 0, limit: 3 });
  });

  it('accepts answers only from members it asked, only up to what it asked for', () => {
    const { catchUp, active } = setup();
    catchUp.askOne(active, 'a');
    const page = { room: 'r', messages: [env(1), env(2), env(3), env(4)] };
    expect(catchUp.accept(active, page, 'c'), 'never asked').to.equal(undefined);
    expect(catchUp.accept(active, page, 'a')!.map((e) => (e as Envelope).id)).to.deep.equal([
      'm1',
      'm2',
      'm3',
    ]);
    expect(catchUp.accept(active, page, 'a'), 'budget spent').to.equal(undefined);
  });

  it('refuses malformed pages, and leaves each message of a page to the intake', () => {
    const { catchUp, active } = setup();
    catchUp.askOne(active, 'a');
    expect(catchUp.accept(active, { room: 'other', messages: [env(1, 'other')] }, 'a')).to.equal(
      undefined,
    );
    expect(catchUp.accept(active, { room: 'r', messages: 'all' }, 'a')).to.equal(undefined);
    const tooMany = { room: 'r', messages: Array.from({ length: 201 }, (_, i) => env(i)) };
    expect(catchUp.accept(active, tooMany, 'a'), 'page over 200').to.equal(undefined);
    // One message this version cannot read (or a bad one) never costs the others of its page:
    // the page is taken, and the intake checks each message on its own.
    const bad = { ...env(1), ts: 'soon' };
    const taken = catchUp.accept(active, { room: 'r', messages: [bad, env(2)] }, 'a');
    expect(taken).to.deep.equal([bad, env(2)]);
  });

  it('answers one member at most once per moment (request floods)', () => {
    const { catchUp, active, port } = setup();
    const jobs: string[] = [];
    (port as { enqueue: CatchUpPort['enqueue'] }).enqueue = () => void jobs.push('answer');
    const req = { room: 'r', since: 0, limit: 10 };
    for (let i = 0; i < 5; i++) catchUp.answer(active, req, 'a');
    catchUp.answer(active, req, 'b');
    expect(jobs).to.have.lengthOf(2);
    expect(catchUp.answer(active, { room: 'r', since: -1, limit: 10 }, 'c')).to.equal(false);
    expect(catchUp.answer(active, { ...req, limit: 99_999 }, 'c')).to.equal(false);
    expect(catchUp.answer(active, { ...req, room: 'elsewhere' }, 'c')).to.equal(false);
  });

  it('takes at most a bounded number of messages from all members together (rejoin floods)', () => {
    const { catchUp, active, services } = setup();
    // We have history, so we ask each member for all it has since (up to 2,000).
    services.list.upsert({ ...env(1), owner: 'me', status: 'received', text: '#1' });
    // A member who leaves and joins again, under new connection ids, is asked each time and
    // answers with full pages.
    let taken = 0;
    for (let i = 0; i < 30; i++) {
      const peer = `again-${i}`;
      catchUp.askOne(active, peer);
      const page = { room: 'r', messages: Array.from({ length: 200 }, (_, k) => env(k)) };
      taken += catchUp.accept(active, page, peer)?.length ?? 0;
    }
    expect(taken).to.be.within(4000, 4010); // the burst (and what trickled in meanwhile)
  });

  it('pages its answers to fit the payload cap the server announced', async () => {
    const { catchUp, sent, services, port } = setup();
    const big = (i: number): Envelope => ({ ...env(i), body: { text: 'x'.repeat(7000) } });
    (services.transport as { payloadCap: number }).payloadCap = 16 * 1024;
    const jobs: Array<() => Promise<unknown>> = [];
    Object.assign(port, {
      enqueue: (job: () => Promise<unknown>) => void jobs.push(job),
      history: async () => Array.from({ length: 6 }, (_, i) => big(i)),
    });
    catchUp.answer('r', { room: 'r', since: 0, limit: 10 }, 'a');
    await jobs[0]!();
    const pages = sent.filter((s) => s.ev === 'chat:sync-res');
    // 6 messages of ~7.3 KB under a 16 KiB cap: two a page (three would not fit).
    expect(pages.map((p) => (p.payload as { messages: unknown[] }).messages.length)).to.deep.equal([
      2, 2, 2,
    ]);
    for (const p of pages) expect(JSON.stringify([p.payload]).length).to.be.below(16 * 1024);
  });

  it('leaves out a message too large to travel even alone, and serves the rest', async () => {
    const { catchUp, sent, services, port } = setup();
    (services.transport as { payloadCap: number }).payloadCap = 16 * 1024;
    const jobs: Array<() => Promise<unknown>> = [];
    const huge: Envelope = { ...env(1), body: { kind: 'x', pad: 'x'.repeat(17 * 1024) } };
    Object.assign(port, {
      enqueue: (job: () => Promise<unknown>) => void jobs.push(job),
      history: async () => [env(0), huge, env(2), env(3)],
    });
    catchUp.answer('r', { room: 'r', since: 0, limit: 10 }, 'a');
    await jobs[0]!();
    const served = sent
      .filter((s) => s.ev === 'chat:sync-res')
      .flatMap((p) => (p.payload as { messages: Envelope[] }).messages.map((m) => m.id));
    expect(served).to.deep.equal(['m0', 'm2', 'm3']);
  });

  it('takes no more pages from a member once one of its pages held a forgery', () => {
    const { catchUp, active } = setup();
    catchUp.askOne(active, 'a');
    const page = { room: 'r', messages: [env(1)] };
    expect(catchUp.accept(active, page, 'a')).to.have.lengthOf(1);
    catchUp.distrust('a');
    expect(catchUp.accept(active, page, 'a')).to.equal(undefined);
  });

  it('answers with the newest messages first: a first page of 50, older pages after it', async () => {
    const { catchUp, sent, port } = setup();
    const jobs: Array<() => Promise<unknown>> = [];
    Object.assign(port, {
      enqueue: (job: () => Promise<unknown>) => void jobs.push(job),
      history: async (_room: string, _since: number, limit: number) =>
        Array.from({ length: 500 }, (_, i) => env(i)).slice(-limit),
    });
    catchUp.answer('r', { room: 'r', since: 0, limit: 500 }, 'a');
    await jobs[0]!();
    const pages = sent
      .filter((s) => s.ev === 'chat:sync-res')
      .map((p) => (p.payload as { messages: Envelope[] }).messages.map((m) => m.seq));
    expect(pages[0]).to.deep.equal(Array.from({ length: 50 }, (_, i) => 450 + i));
    // Every page is oldest first within, each older than the one before, none left out.
    for (const [i, page] of pages.entries()) {
      expect(page, `page ${i} in order`).to.deep.equal([...page].sort((a, b) => a - b));
      if (i > 0) expect(page.at(-1)!).to.be.below(pages[i - 1]![0]!);
    }
    expect(pages.flat().sort((a, b) => a - b)).to.deep.equal(
      Array.from({ length: 500 }, (_, i) => i),
    );
  });

  it('asks again from where an answer cut short began, not from the newest page it brought', () => {
    const { catchUp, sent, active, services } = setup();
    services.list.upsert({ ...env(1), owner: 'me', status: 'received', text: '#1' });
    catchUp.askOne(active, 'a');
    const asked = sent[0]!.payload as { since: number; limit: number };
    // The newest page arrives (dated far later), then the link drops: asked again, from the start.
    const newest = { ...env(2), ts: Date.now() };
    expect(catchUp.accept(active, { room: 'r', messages: [newest] }, 'a')).to.have.lengthOf(1);
    services.list.upsert({ ...newest, owner: 'me', status: 'received', text: '#2' });
    catchUp.askOne(active, 'b');
    expect(sent[1]!.payload).to.deep.equal({ room: 'r', since: asked.since, limit: asked.limit });
    // Once no answer can still be coming, the newest message we hold decides again.
    catchUp.stop();
    catchUp.askOne(active, 'c');
    expect((sent[2]!.payload as { since: number }).since).to.be.above(asked.since);
  });
});
