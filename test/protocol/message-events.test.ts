/**
 * Message events (protocol 1.3) as a member reads them: which bodies are well-formed events,
 * what a reaction may be, and who may send what — decided from the signed envelope alone
 * (every message id begins with its author's id).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { eventAllowed, readEvent, replyOf } from '../../src/protocol/message-events.js';

const ALICE = 'A'.repeat(22);
const MALLORY = 'M'.repeat(22);
const aliceMsg = `${ALICE}0192f3c4-0000-7000-8000-000000000001`;
const env = (from: string, id = `${from}0192f3c4-0000-7000-8000-00000000ffff`) => ({
  id,
  from: { id: from },
});

describe('message events', () => {
  it('reads edits, deletions and reactions, and nothing that breaks their rules', () => {
    assert.deepEqual(readEvent('edit', { kind: 'edit', target: aliceMsg, text: 'new' }), {
      kind: 'edit',
      target: aliceMsg,
      text: 'new',
    });
    assert.deepEqual(readEvent('delete', { kind: 'delete', target: aliceMsg, extra: 1 }), {
      kind: 'delete',
      target: aliceMsg,
    });
    assert.equal(readEvent('edit', { kind: 'edit', target: aliceMsg, text: '' }), undefined);
    assert.equal(
      readEvent('edit', { kind: 'edit', target: aliceMsg, text: 'x'.repeat(8001) }),
      undefined,
    );
    assert.equal(readEvent('delete', { kind: 'delete', target: 'x'.repeat(65) }), undefined);
    assert.equal(readEvent('react', { kind: 'react', target: aliceMsg, emoji: '👍' }), undefined);
    assert.equal(readEvent('edit', { kind: 'delete', target: aliceMsg }), undefined);
    assert.equal(readEvent('poll', { kind: 'poll', target: aliceMsg }), undefined);
  });

  it('takes emoji with joiners, modifiers and flags, never letters, markup or direction marks', () => {
    const react = (emoji: string) =>
      readEvent('react', { kind: 'react', target: aliceMsg, emoji, on: true }) !== undefined;
    for (const ok of [
      '👍',
      '❤️',
      '👩‍👩‍👧',
      '🏳️‍🌈',
      '👍🏽',
      '🇫🇷',
      '#️⃣',
      '©️',
      '🏴󠁧󠁢󠁳󠁣󠁴󠁿',
      '😂',
      '🎉',
      '😮',
      '😢',
      '🙏',
      '👀',
    ])
      assert.equal(react(ok), true, ok);
    for (const bad of [
      '',
      'ok',
      '1',
      ' 👍',
      '<b>',
      '\u202e👍',
      '👍\u2066',
      '\u200f',
      '👍'.repeat(20),
    ])
      assert.equal(react(bad), false, JSON.stringify(bad));
  });

  it('lets only the author edit or delete, anyone react, and nothing name itself', () => {
    const edit = { kind: 'edit' as const, target: aliceMsg, text: 'x' };
    const del = { kind: 'delete' as const, target: aliceMsg };
    const react = { kind: 'react' as const, target: aliceMsg, emoji: '👍', on: true };
    assert.equal(eventAllowed(edit, env(ALICE)), true);
    assert.equal(eventAllowed(del, env(ALICE)), true);
    assert.equal(eventAllowed(edit, env(MALLORY)), false);
    assert.equal(eventAllowed(del, env(MALLORY)), false);
    assert.equal(eventAllowed(react, env(MALLORY)), true);
    // A target that is only the author's id (no message of theirs) is nobody's message.
    assert.equal(eventAllowed({ ...del, target: ALICE }, env(ALICE)), false);
    // An event about itself does nothing.
    assert.equal(eventAllowed({ ...react, target: aliceMsg }, env(ALICE, aliceMsg)), false);
  });

  it("reads a reply's target from a text body, ignoring a malformed one", () => {
    assert.equal(replyOf({ text: 'hi', reply: aliceMsg }), aliceMsg);
    assert.equal(replyOf({ text: 'hi', reply: 42 }), undefined);
    assert.equal(replyOf({ text: 'hi', reply: '' }), undefined);
    assert.equal(replyOf(null), undefined);
  });
});
