/**
 * A receipt the members' lane cannot take (that member has too much waiting) must not end our
 * resends: it is not recorded, so only the next resend's receipt can mark the message
 * delivered. Before, the resend timer was cancelled first and the message stayed "sent".
 */
import { expect } from '@open-wc/testing';
import { Delivery } from '../../../src/controllers/room/delivery.js';
import { MessageList, type ChatMessage } from '../../../src/controllers/room/message-list.js';
import type { ActiveRoom, RoomServices } from '../../../src/controllers/room/room-context.js';
import type { Envelope } from '../../../src/protocol/chat-events.js';
import { SIGNATURE_SHAPED, TEST_AUTHOR } from '../../support/identity.js';
import { until } from '../room-harness.js';
import { createIdentity, signerOf } from '../../../src/protocol/identity.js';
import { signAck } from '../../../src/protocol/signed-notices.js';

const ROOM = 'dropped-receipt';

describe('a receipt the members’ lane drops', () => {
  it('leaves our resends armed, and a taken one ends them', async () => {
    const bob = signerOf(await createIdentity());
    const BOB = { id: 'bob-peer', userId: bob.id, name: 'Bob' };
    const sent: string[] = [];
    const transport = {
      kind: 'socketio',
      reachesEveryone: true,
      emit: (ev: string, env: Envelope) => (sent.push(`${ev}:${env.id}`), true),
      emitTo: () => true,
      helloOf: (peer: string) => (peer === BOB.id ? BOB : undefined),
    };
    const services = {
      transport,
      roster: () => [{ self: true }, { self: false }],
      wasHere: () => true,
      list: new MessageList(),
      changed: () => {},
      enqueue: () => {},
    } as unknown as RoomServices;
    let laneFull = true;
    const works: Array<() => Promise<unknown>> = [];
    const delivery = new Delivery(services, [40, 40, 40, 40, 40, 40], (_peer, job) => {
      if (laneFull) return false;
      works.push(job);
      return true;
    });
    const active = { owner: 'me', room: ROOM, self: { id: TEST_AUTHOR.id } } as ActiveRoom;
    const env: Envelope = {
      id: `${TEST_AUTHOR.id}-1`,
      room: ROOM,
      from: { id: TEST_AUTHOR.id, name: 'Me', key: TEST_AUTHOR.key },
      ts: Date.now(),
      seq: 1,
      body: { text: 'hello' },
      sig: SIGNATURE_SHAPED,
    };
    services.list.upsert({
      id: env.id,
      from: env.from,
      ts: env.ts,
      text: 'hello',
      status: 'sent',
    } as ChatMessage);
    expect(delivery.sendNow(active, env, false)).to.not.equal(undefined);
    const ack = await signAck(bob, { room: ROOM, ids: [env.id] });

    // The lane is full: the receipt (checked, then dropped) ends nothing; the message goes again.
    expect(delivery.received(active, ack, BOB.id)).to.equal(true);
    await until(() => sent.length >= 2, 'a resend after the dropped receipt', 2000);

    // The lane takes the next one: no more resends, and one write queued for both copies.
    laneFull = false;
    expect(delivery.received(active, ack, BOB.id)).to.equal(true);
    expect(delivery.received(active, ack, BOB.id)).to.equal(true);
    await until(() => works.length === 1, 'the receipt queued', 2000);
    await new Promise((r) => setTimeout(r, 50)); // the copy's signature check ends too
    expect(works.length).to.equal(1, 'a repeat of a receipt on its way queues no second write');
    const after = sent.length;
    await new Promise((r) => setTimeout(r, 200));
    expect(sent.length).to.equal(after, 'resends ended once a receipt was taken');
    delivery.stop();
  });
});
