/**
 * Attack: a member with an identity of her own (Mallory, a raw socket.io-client that proves
 * her key at join) sends correctly signed events naming Alice's messages — an edit, a
 * deletion, events whose envelope poses as Alice's (her id, her name, her message's very id) —
 * live and inside a catch-up page a newcomer asked her for. Alice's and Bob's screens (and the
 * newcomer's) keep Alice's words: no "edited", no "message deleted". Mallory's reaction, which
 * anyone may give, does show: the events were taken in and refused for what they say, not lost.
 * Each check fails if the attack works (see `eventAllowed` in src/protocol/message-events.ts).
 */
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { io, type Socket } from 'socket.io-client';
import type { Envelope } from '../../src/protocol/chat-events.js';
import {
  createIdentity,
  signerOf,
  type Identity,
  type Signer,
} from '../../src/protocol/identity.js';
import { uuidv7 } from '../../src/protocol/message-id.js';
import type { JoinReply } from '../../src/protocol/relay-frames.js';
import { messageIdOf, signEnvelope } from '../../src/protocol/signed-envelope.js';
import { provenJoin } from '../support/identity.js';
import { allStored, openUser, signUp, say, useAppAndBrowser, type User } from './harness.js';
import { allShow, chipShows, idOf, rowOf, summary, until } from './message-events-harness.js';

const WORDS = 'EDITED BY MALLORY';
const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Mallory in one room: what she heard, and her hand at sending and answering. */
interface Mallory {
  socket: Socket;
  /** The signed messages she heard, live. */
  heard: Envelope[];
  /** Peer ids of members who left. */
  left: string[];
  /** What she answers a catch-up request with (nothing, until set). */
  page: Envelope[] | undefined;
  /** Who asked her for catch-up. */
  askers: string[];
}

async function malloryIn(url: string, room: string, identity: Identity): Promise<Mallory> {
  const socket = io(url, { transports: ['websocket'], forceNew: true, reconnection: false });
  const m: Mallory = { socket, heard: [], left: [], page: undefined, askers: [] };
  socket.on('relay:event', (from: string, event: string, args: unknown[]) => {
    if (event === 'chat:message') m.heard.push(args[0] as Envelope);
    if (event !== 'chat:sync-req') return;
    m.askers.push(from);
    if (m.page) socket.emit('relay:to', from, 'chat:sync-res', [{ room, messages: m.page }]);
  });
  socket.on('relay:presence', (_room: string, changes: Array<{ leave?: string }>) => {
    for (const c of changes) if (c.leave) m.left.push(c.leave);
  });
  await new Promise((resolve) => socket.once('connect', () => resolve(undefined)));
  const joining = await provenJoin(socket, room, 'Mallory', identity);
  const reply = await new Promise<JoinReply>((r) => socket.emit('relay:join', joining, r));
  assert.equal(reply.ok, true, 'Mallory is a member');
  assert.equal(joining.me.userId, identity.id, 'under her own identity');
  return m;
}

/**
 * The forged events Mallory makes about Alice's `first` and `second` (both signed by her key):
 * an edit and a deletion in her own name; the same posing as Alice (Alice's id and name, an id
 * of Alice's); copies that reuse Alice's message id (a conflicting copy of it); and last, the
 * reaction she may give.
 */
async function forgeries(
  signer: Signer,
  room: string,
  alice: { id: string; name: string },
  first: string,
  second: string,
): Promise<Envelope[]> {
  const mine = { id: signer.id, name: 'Mallory', key: signer.publicKey };
  const posing = { id: alice.id, name: alice.name, key: signer.publicKey };
  const make = (body: object, id = messageIdOf(signer.id, uuidv7()), from = mine) =>
    signEnvelope(signer, { id, room, from, ts: Date.now(), seq: 0, body: body as never });
  const edit = { kind: 'edit', target: first, text: WORDS };
  const remove = { kind: 'delete', target: second };
  return [
    await make(edit),
    await make(remove),
    await make(edit, messageIdOf(alice.id, uuidv7())),
    await make(remove, messageIdOf(alice.id, uuidv7()), posing),
    await make({ text: WORDS }, first),
    await make(edit, second),
    await make({ kind: 'react', target: first, emoji: '😈', on: true }),
  ];
}

/** Fails if `page` shows any trace of the forged edit or deletion. */
async function untouched(page: Page, ids: string[], texts: string[]) {
  for (const [i, id] of ids.entries()) {
    const row = rowOf(page, id);
    await row.waitFor();
    assert.equal(await row.locator('p.text').textContent(), texts[i], 'Alice’s words');
    assert.equal(await row.locator('.edited').count(), 0, 'an "edited" mark');
  }
  const list = page.locator('parley-messages');
  assert.equal(await list.getByText('message deleted').count(), 0, 'a "message deleted"');
  assert.equal(await list.getByText(WORDS).count(), 0, 'Mallory’s words shown');
}

describe('attack: forged edits and deletions from another member', { timeout: 300_000 }, () => {
  const app = useAppAndBrowser();
  const users: User[] = [];
  const sockets: Socket[] = [];
  after(async () => {
    for (const s of sockets) s.disconnect();
    await Promise.all(users.map((u) => u.context.close()));
  });
  const join = async (room: string, name: string): Promise<User> => {
    const u = await openUser(app.browser, `${app.server.url}/#room=${room}`);
    users.push(u);
    await signUp(u.page, name);
    return u;
  };

  it('live: signed events naming Alice’s messages change nothing on Alice’s and Bob’s screens; a reaction shows', async () => {
    const room = 'forged-live';
    const identity = await createIdentity();
    const signer = signerOf(identity);
    const mallory = await malloryIn(app.server.url, room, identity);
    sockets.push(mallory.socket);
    const alice = await join(room, 'Alice');
    const bob = await join(room, 'Bob');
    const texts = ['only Alice may change this', 'nor delete this'];
    for (const t of texts) await say(alice.page, t);
    const ids = [await idOf(bob.page, texts[0]!), await idOf(bob.page, texts[1]!)];
    await until(
      () => ids.every((id) => mallory.heard.some((e) => e.id === id)),
      () => 'Mallory heard both',
    );
    const from = mallory.heard.find((e) => e.id === ids[0])!.from;
    const forged = await forgeries(signer, room, from, ids[0]!, ids[1]!);
    for (const env of forged) mallory.socket.emit('relay:emit', 'chat:message', [env]);

    const want = [`Alice: ${texts[0]} [😈 1: Mallory]`, `Alice: ${texts[1]}`];
    await allShow([alice.page, bob.page], want);
    await chipShows(alice.page, ids[0]!, '😈 1: Mallory', false);
    await pause(1000); // room for a late forgery to show, if one got through
    for (const u of [alice, bob]) await untouched(u.page, ids, texts);
    assert.deepEqual(await summary(alice.page), want);

    // Stored, read back from this browser's storage: still refused.
    await bob.page.reload();
    await allShow([bob.page], want);
    await untouched(bob.page, ids, texts);
    assert.deepEqual([...alice.problems, ...bob.problems], []);
  });

  it('catch-up: a page Mallory serves a newcomer with the forged events changes nothing either', async () => {
    const room = 'forged-sync';
    const identity = await createIdentity();
    const signer = signerOf(identity);
    const mallory = await malloryIn(app.server.url, room, identity);
    sockets.push(mallory.socket);
    const alice = await join(room, 'Alice');
    const texts = ['said before Mallory’s page', 'also said before it'];
    for (const t of texts) await say(alice.page, t);
    await until(
      () => texts.every((t) => mallory.heard.some((e) => (e.body as { text?: string }).text === t)),
      () => 'Mallory heard Alice',
    );
    const said = texts.map((t) =>
      mallory.heard.find((e) => (e.body as { text?: string }).text === t)!,
    );
    // Alice leaves (once her words are stored: she heard them go before they were): only
    // Mallory is there to answer the newcomer.
    await allStored(alice.page);
    await alice.page.goto('about:blank');
    await until(
      () => mallory.left.length > 0,
      () => 'Alice gone',
    );
    const forged = await forgeries(signer, room, said[0]!.from, said[0]!.id, said[1]!.id);
    // Alice's own messages as she signed them, then the events — all but the copies posing as
    // Alice (a forgery in a page makes the asker stop trusting it, and the reaction must come).
    mallory.page = [...said, ...forged.slice(0, 2), forged[6]!];
    mallory.askers = [];

    const dave = await join(room, 'Dave');
    await until(
      () => mallory.askers.length > 0,
      () => 'Dave asked Mallory',
    );
    const want = [`Alice: ${texts[0]} [😈 1: Mallory]`, `Alice: ${texts[1]}`];
    await allShow([dave.page], want);
    await pause(1000);
    await untouched(
      dave.page,
      said.map((e) => e.id),
      texts,
    );
    await dave.page.reload();
    await allShow([dave.page], want);
    await untouched(
      dave.page,
      said.map((e) => e.id),
      texts,
    );
    assert.deepEqual(dave.problems, []);
  });
});
