/**
 * The bot's outbox: a message is sent again until acknowledged, waits (without counting) while
 * the bot is alone, says when its automatic resends ran out, and goes once acknowledged.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Outbox } from '../../src/node/outbox.js';
import type { Envelope } from '../../src/protocol/chat-events.js';

const env = (id: string) => ({ id }) as unknown as Envelope;

describe('bot outbox', () => {
  it('resends until acknowledged, then stops', async () => {
    const sent: string[] = [];
    let resends!: () => void;
    const third = new Promise<void>((r) => (resends = r));
    const box = new Outbox(
      {
        emit: (e) => {
          sent.push(e.id);
          if (sent.length === 3) resends();
          return true;
        },
        company: () => true,
        gaveUp: () => {},
      },
      [1, 1, 1, 1],
    );
    box.add(env('m1'));
    await third;
    assert.deepEqual(box.acknowledged(['m1', 'other']), ['m1']);
    const count = sent.length;
    await new Promise((r) => setTimeout(r, 20));
    assert.equal(sent.length, count, 'no resend after the receipt');
    assert.equal(box.size, 0);
  });

  it('says when its resends ran out, and sends again on the next flush', async () => {
    const sent: string[] = [];
    let gaveUp!: (e: Envelope) => void;
    const out = new Promise<Envelope>((r) => (gaveUp = r));
    const box = new Outbox(
      { emit: (e) => (sent.push(e.id), true), company: () => true, gaveUp: (e) => gaveUp(e) },
      [1],
    );
    box.add(env('m2'));
    assert.equal((await out).id, 'm2');
    assert.deepEqual(sent, ['m2', 'm2']);
    box.flush();
    assert.deepEqual(sent, ['m2', 'm2', 'm2']);
    box.stop();
  });

  it('keeps a message while the link cannot carry it, and sends it on flush', () => {
    let open = false;
    const sent: string[] = [];
    const box = new Outbox({
      emit: (e) => open && (sent.push(e.id), true),
      company: () => false,
      gaveUp: () => {},
    });
    box.add(env('m3'));
    assert.deepEqual(sent, []);
    open = true;
    box.flush();
    assert.deepEqual(sent, ['m3']);
    box.stop();
  });
});
