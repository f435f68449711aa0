/**
 * Browser side of the junk-flood row of the abuse benchmark (issue 26 item 7): Bob, with the
 * real session, transport, presence and room controllers, a real IndexedDB and in-page
 * memory links, in a room where he holds no key. Throwaway identities, each on a link of its
 * own, send him signed sealed bodies no key opens (33 KB each, what a relay lets through);
 * an honest member sends ordinary messages meanwhile. The quiet run is the same without the
 * junk. The Node side reads the page's heap (after a collection) before and after.
 */
import { SEALED } from '../../src/protocol/room-key.js';
import { MemoryHub } from '../../src/transport/memory.js';
import type { EventsMap } from '../../src/transport/types.js';
import { author, signedBy } from '../../test/support/envelopes.js';
import { member, until, type Member } from '../../test/controllers/room-harness.js';

/** What one phase did. */
export interface JunkPhase {
  /** Junk bodies sent. */
  sent: number;
  /** Of them, held aside by Bob (the rest were refused over budget). */
  held: number;
  refused: number;
  /** Honest messages Bob showed. */
  honest: number;
  ms: number;
}

/** The page's API (`globalThis.bench`). */
export interface JunkPageApi {
  /** Bob and the honest sender, joined (not measured). */
  setup(): Promise<void>;
  /** One phase: `honest` ordinary messages, and `authors` × `each` junk bodies of `bytes`. */
  phase(authors: number, each: number, bytes: number, honest: number): Promise<JunkPhase>;
}

let hub: MemoryHub | undefined;
let bob: Member | undefined;
let ann: Member | undefined;
const ROOM = `junk-${crypto.randomUUID().slice(0, 8)}`;

const api: JunkPageApi = {
  async setup() {
    hub = new MemoryHub();
    bob = await member(hub, 'Bob', ROOM);
    ann = await member(hub, 'Ann', ROOM);
  },
  async phase(authors, each, bytes, honest) {
    const t0 = performance.now();
    const before = { refused: bob!.room.refused.overBudget ?? 0 };
    const heldBefore = bob!.room.locked;
    for (let i = 0; i < honest; i++) ann!.room.send(`honest ${i}`);
    for (let a = 0; a < authors; a++) {
      const who = await author(`Junk ${a}`);
      const link = hub!.transport<EventsMap>({ signer: who });
      await link.connect(ROOM, { userId: who.id, name: who.name, key: who.publicKey });
      for (let i = 0; i < each; i++) {
        const body = {
          enc: SEALED,
          kid: 'nobodysKeyId0000',
          iv: 'AAAAAAAAAAAAAAAA',
          ct: 'A'.repeat(bytes),
        };
        link.emit('chat:message', await signedBy(who, { room: ROOM, body }));
      }
      // Its link stays open, as a flood's would, until the phase is over.
      setTimeout(() => link.close(), 60_000);
    }
    const sent = authors * each;
    const taken = () =>
      bob!.room.locked - heldBefore + ((bob!.room.refused.overBudget ?? 0) - before.refused);
    await until(() => taken() >= sent, 'every junk body taken or refused', 120_000);
    const honestShown = () => bob!.room.messages.filter((m) => m.text.startsWith('honest ')).length;
    await until(() => honestShown() >= honest, 'the honest messages', 30_000);
    return {
      sent,
      held: bob!.room.locked - heldBefore,
      refused: (bob!.room.refused.overBudget ?? 0) - before.refused,
      honest: honestShown(),
      ms: performance.now() - t0,
    };
  },
};

(globalThis as unknown as { bench: JunkPageApi }).bench = api;
