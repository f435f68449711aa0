import { expect } from '@open-wc/testing';
import { outboxEntries } from '../../../src/store/outbox.js';
import type { TransportFactory } from '../../../src/transport/index.js';
import { MemoryHub, MemoryTransport } from '../../../src/transport/memory.js';
import type { EventsMap, PeerId } from '../../../src/transport/types.js';
import { uniqueDbName } from '../../support/db.js';
import { suiteMembers, until, type Member } from '../room-harness.js';

/**
 * A memory transport that can lose its "server" like the WebRTC transport does: `serverAway`
 * keeps only the members it names (its direct links) and reaches only them (state `direct`);
 * `serverBack` lists the others again and opens.
 */
class Serverless<L extends EventsMap> extends MemoryTransport<L> {
  private only: Set<PeerId> | undefined;

  serverAway(direct: PeerId[]): void {
    this.only = new Set(direct);
    for (const id of [...this.peers.keys()]) if (!this.only.has(id)) this.removePeer(id);
    this.setState('direct');
  }

  serverBack(hub: MemoryHub, room: string): void {
    this.only = undefined;
    for (const t of hub.members(room)) if (t !== (this as unknown)) this.addPeer(t.hello());
    this.setState('open');
  }

  protected override send(to: PeerId | undefined, ev: string, args: unknown[], frame: string) {
    if (!this.only) return super.send(to, ev, args, frame);
    for (const id of this.only) if (to === undefined || to === id) super.send(id, ev, args, frame);
  }
}

const texts = (m: Member) => m.room.messages.map((x) => x.text);

describe('messages sent while only direct links work', function () {
  this.timeout(20000);
  const member = suiteMembers();

  it('stay in the outbox after a direct receipt, and go through the server once it is back', async () => {
    const hub = new MemoryHub();
    let dees: Serverless<EventsMap> | undefined;
    const factory = (async () => (dees = new Serverless(hub))) as unknown as TransportFactory;
    const dee = await member(hub, 'Dee', 'mix', {}, uniqueDbName(), factory);
    const eve = await member(hub, 'Eve', 'mix');
    const fay = await member(hub, 'Fay', 'mix');
    await until(() => dee.presence.roster.length === 3, 'everyone in');

    dees!.serverAway([eve.transport.selfId]);
    await until(() => dee.transport.state === 'direct', 'direct only');
    expect(dee.presence.roster.map((m) => m.name).sort()).to.deep.equal(['Dee', 'Eve']);
    dee.room.send('while the server is away');
    await until(() => dee.room.messages[0]?.status === 'delivered', 'Eve acknowledged it');
    expect(texts(eve)).to.deep.equal(['while the server is away']);
    expect(texts(fay), 'Fay is reached only through the server').to.deep.equal([]);
    const db = await dee.session.db!;
    const owner = dee.session.profile!.id;
    const [entry] = await outboxEntries(db, owner, 'mix');
    expect(entry?.unrelayed, 'kept for the server').to.equal(true);

    // Fay does not see Dee come back (no join, so she asks nothing): only our outbox helps.
    dees!.serverBack(hub, 'mix');
    await until(() => texts(fay).length === 1, 'Fay has it once the server is back');
    await until(() => eve.room.messages.length === 1);
    await new Promise((r) => setTimeout(r, 400)); // the receipts of the second copy
    expect(texts(eve), 'Eve shows it once').to.deep.equal(['while the server is away']);
    expect(await outboxEntries(db, owner, 'mix'), 'receipts end it now').to.deep.equal([]);
  });
});
