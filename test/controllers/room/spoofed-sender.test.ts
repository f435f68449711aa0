/**
 * A member who names someone else as the sender, in an argument placed where the meta goes:
 * the room must believe only the sender its transport stamped.
 */
import { expect, waitUntil } from '@open-wc/testing';
import type { ChatEvents, Envelope, SyncResponse } from '../../../src/protocol/chat-events.js';
import { MemoryHub } from '../../../src/transport/memory.js';
import type { EventMeta, Transport } from '../../../src/transport/types.js';
import { freshRoom } from '../../transport/contract.js';
import { suiteMembers } from '../room-harness.js';
import { textOf } from '../../support/envelopes.js';

type T = Transport<ChatEvents>;

describe('a sender named in the payload (catch-up)', function () {
  this.timeout(20000);
  const member = suiteMembers();
  const raws: T[] = [];
  afterEach(() => raws.splice(0).forEach((t) => t.close()));

  it('cannot make Ann send her history to Bob, who never asked', async () => {
    const hub = new MemoryHub();
    const room = freshRoom();
    const ann = await member(hub, 'Ann', room);
    expect(ann.room.send('something Ann wrote')).to.equal(true);
    await waitUntil(() => !['saving', undefined].includes(ann.room.messages[0]?.status), 'stored', {
      timeout: 4000,
    });
    const bob = hub.transport<ChatEvents>();
    const eve = hub.transport<ChatEvents>();
    raws.push(bob, eve);
    await bob.connect(room, { userId: 'bob-id', name: 'Bob' });
    await eve.connect(room, { userId: 'eve-id', name: 'Eve' });
    await waitUntil(() => eve.peers.size === 2 && bob.peers.size === 2, 'everyone listed', {
      timeout: 4000,
    });
    const annId = [...eve.peers.keys()].find((id) => id !== bob.selfId)!;
    const atBob: SyncResponse[] = [];
    bob.on('chat:sync-res', (res) => atBob.push(res));
    const atEve: SyncResponse[] = [];
    eve.on('chat:sync-res', (res) => atEve.push(res));
    const req = { room, since: 0, limit: 100 };
    // A surplus argument shaped like the meta, naming Bob.
    (eve.emitTo as (p: string, e: string, ...a: unknown[]) => void)(annId, 'chat:sync-req', req, {
      from: bob.selfId,
    } satisfies EventMeta);
    // Eve's own, honest request: Ann answers in order, so once Eve has hers, Bob would have his.
    eve.emitTo(annId, 'chat:sync-req', req);
    await waitUntil(() => atEve.length > 0, 'Ann’s answer to Eve', { timeout: 4000 });
    expect(atEve[0]!.messages.map((m: Envelope) => textOf(m))).to.deep.equal([
      'something Ann wrote',
    ]);
    expect(atBob, 'Bob never asked, so Ann must not answer him').to.deep.equal([]);
  });
});
