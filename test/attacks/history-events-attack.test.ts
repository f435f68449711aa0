/**
 * A hostile member against the message list's fold of issue 24's events (pure, no network):
 * a flood of edits and reactions naming messages that never arrive, and replies that name
 * what a reply should not (itself, an event, a deleted message, a message never seen, a
 * message no key opens). Each test fails if the list grows without bound, hangs, or shows
 * something it was not given.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MAX_WAITING } from '../../src/controllers/room/annotations.js';
import { MessageList, REPLY_EXCERPT } from '../../src/controllers/room/message-list.js';
import type { MessageEvent } from '../../src/protocol/message-events.js';
import { ANN, EVE, ev, row } from '../support/event-rows.js';

describe('attack: events naming messages that never arrive', () => {
  it(`keeps at most MAX_WAITING (${MAX_WAITING}) of 50,000 of them, the newest, in bounded time`, () => {
    const list = new MessageList('me');
    list.upsert(row(ANN, 'm0', 1, 'hello'));
    const flood = 50_000;
    const started = performance.now();
    // One at a time, as live frames come: edits (of Eve's own ids) and reactions.
    for (let i = 0; i < flood; i++) {
      const target = `${EVE.id}never${i}`;
      const event: MessageEvent =
        i % 2 === 0
          ? { kind: 'edit', target, text: 'x'.repeat(100) }
          : { kind: 'react', target, emoji: '👍', on: true };
      list.upsert(ev(EVE, `e${i}`, 10 + i, event));
    }
    const took = performance.now() - started;
    assert.equal(list.waiting, MAX_WAITING);
    // The oldest went first; the newest are held.
    assert.equal(list.has(`${EVE.id}e0`), false);
    assert.equal(list.has(`${EVE.id}e${flood - MAX_WAITING - 1}`), false);
    assert.equal(list.has(`${EVE.id}e${flood - MAX_WAITING}`), true);
    assert.equal(list.has(`${EVE.id}e${flood - 1}`), true);
    // The one real row is untouched, and nothing else became a row.
    assert.deepEqual(
      list.items.map((m) => m.id),
      [`${ANN.id}m0`],
    );
    assert.equal(list.items[0]!.reactions, undefined);
    // Measured about 1.5 s for 50,000 on a loaded 2-CPU machine; a list that scanned what
    // waits on every arrival would take minutes.
    assert.ok(took < 15_000, `50,000 waiting events took ${took.toFixed(0)} ms`);
  });

  it('a target that finally arrives gets only the events still held for it', () => {
    const list = new MessageList('me', 100);
    const target = row(EVE, 'late', 5, 'late words');
    list.upsert(ev(EVE, 'first', 6, { kind: 'edit', target: target.id, text: 'first edit' }));
    for (let i = 0; i < 200; i++) {
      list.upsert(
        ev(EVE, `f${i}`, 7 + i, { kind: 'react', target: `${EVE.id}x${i}`, emoji: '🔥', on: true }),
      );
    }
    assert.equal(list.waiting, 100);
    list.upsert(target);
    // The edit was pushed out by the flood: the message shows as sent, not edited.
    const shown = list.get(target.id)!;
    assert.equal(shown.text, 'late words');
    assert.equal(shown.edited, undefined);
  });
});

describe('attack: replies that name what a reply should not', () => {
  it('a reply naming itself quotes its own text once, cut to REPLY_EXCERPT, and stops', () => {
    const list = new MessageList('me');
    const id = `${EVE.id}self`;
    const text = 'loop '.repeat(1000);
    list.upsert(row(EVE, 'self', 10, text, { replyTo: { id } }));
    const shown = list.get(id)!;
    assert.equal(shown.replyTo?.id, id);
    assert.ok(Array.from(shown.replyTo?.excerpt ?? '').length <= REPLY_EXCERPT);
    // An edit of it re-describes the quote without going round forever.
    list.upsert(ev(EVE, 'ed', 11, { kind: 'edit', target: id, text: 'changed' }));
    assert.equal(list.get(id)!.replyTo?.excerpt, 'changed');
  });

  it("a reply naming an event's id, a message never seen or another room's id quotes nothing", () => {
    const list = new MessageList('me');
    const m = row(ANN, 'm', 1, 'original words');
    const reaction = ev(ANN, 'r', 2, { kind: 'react', target: m.id, emoji: '👍', on: true });
    list.upsertMany([m, reaction]);
    const toEvent = row(EVE, 'a', 3, 'to an event', { replyTo: { id: reaction.id } });
    const toNothing = row(EVE, 'b', 4, 'to nothing', { replyTo: { id: `${ANN.id}elsewhere` } });
    list.upsertMany([toEvent, toNothing]);
    // Only the id: the view says "Original message not loaded"; no name, no words of an event.
    assert.deepEqual(list.get(toEvent.id)!.replyTo, { id: reaction.id });
    assert.deepEqual(list.get(toNothing.id)!.replyTo, { id: `${ANN.id}elsewhere` });
    // Forged derived fields on the reply as it came are taken off, not shown.
    const forged = row(EVE, 'c', 5, 'forged quote', {
      replyTo: { id: `${ANN.id}gone`, name: 'Ann', excerpt: 'words Ann never wrote' },
    });
    list.upsert(forged);
    assert.deepEqual(list.get(forged.id)!.replyTo, { id: `${ANN.id}gone` });
  });

  it('a reply to a deleted message says deleted, and to a sealed one it cannot open, no words', () => {
    const list = new MessageList('me');
    const m = row(ANN, 'm', 1, 'secret soon gone');
    const locked = row(ANN, 'k', 2, '', { unreadable: true });
    list.upsertMany([m, locked]);
    const r1 = row(EVE, 'r1', 3, 'about it', { replyTo: { id: m.id } });
    const r2 = row(EVE, 'r2', 4, 'about the sealed one', { replyTo: { id: locked.id } });
    list.upsertMany([r1, r2]);
    assert.equal(list.get(r1.id)!.replyTo?.excerpt, 'secret soon gone');
    list.upsert(ev(ANN, 'del', 5, { kind: 'delete', target: m.id }));
    assert.deepEqual(list.get(r1.id)!.replyTo, { id: m.id, name: 'Ann', deleted: true });
    assert.equal(list.get(r2.id)!.replyTo?.excerpt, undefined);
    assert.equal(list.get(r2.id)!.replyTo?.unreadable, true, 'said as not readable yet');
    // Eve's deletion of Ann's message is no deletion.
    const m2 = row(ANN, 'm2', 6, 'stays');
    list.upsert(m2);
    list.upsert(ev(EVE, 'del2', 7, { kind: 'delete', target: m2.id }));
    list.upsert(ev(EVE, 'ed2', 8, { kind: 'edit', target: m2.id, text: 'Eve says' }));
    assert.equal(list.get(m2.id)!.text, 'stays');
    assert.equal(list.get(m2.id)!.deleted, undefined);
  });
});
