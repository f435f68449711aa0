/**
 * Events in the clear against an encrypted room: an outsider who knows the room's name but
 * not its passphrase reacts, in the clear, to a sealed message; a member edits their own
 * sealed message with an edit sent in the clear. Neither may show as if it came sealed: the
 * sealed row must not carry the outsider's reaction nor the clear text without a mark.
 */
import { expect } from '@open-wc/testing';
import type { ChatEvents } from '../../../src/protocol/chat-events.js';
import { signerOf } from '../../../src/protocol/identity.js';
import { uuidv7 } from '../../../src/protocol/message-id.js';
import { messageIdOf, signEnvelope } from '../../../src/protocol/signed-envelope.js';
import { identityFor } from '../../../src/store/identities.js';
import { MemoryHub } from '../../../src/transport/memory.js';
import { author } from '../../support/envelopes.js';
import { freshRoom } from '../../transport/contract.js';
import { suiteMembers, until } from '../room-harness.js';

const PASSPHRASE = 'correct horse battery staple';

describe('attack: events in the clear in an encrypted room', function () {
  this.timeout(30000);
  const member = suiteMembers();

  it('a sealed message shows neither an outsider’s clear reaction nor a clear edit unmarked', async () => {
    const hub = new MemoryHub();
    const room = freshRoom();
    const [ann, bob] = [await member(hub, 'Ann', room), await member(hub, 'Bob', room)];
    await ann.room.setPassphrase(PASSPHRASE);
    await bob.room.setPassphrase(PASSPHRASE);
    ann.room.send('sealed words');
    await until(() => bob.room.messages.length === 1, 'Bob has it');
    const target = bob.room.messages[0]!;
    expect(target).to.include({ text: 'sealed words', sealed: true });

    // Eve: no passphrase, in the clear.
    const eve = await author('Eve');
    const raw = hub.transport<ChatEvents>();
    await raw.connect(room, { userId: eve.id, name: 'Eve' });
    const clear = async (who: typeof eve, body: Record<string, unknown>) =>
      signEnvelope(who, {
        id: messageIdOf(who.id, uuidv7()),
        room,
        from: { id: who.id, name: who.name, key: who.publicKey },
        ts: Date.now(),
        seq: 0,
        body: body as never,
      });
    raw.emit(
      'chat:message',
      await clear(eve, { kind: 'react', target: target.id, emoji: '💩', on: true }),
    );
    // Ann's own edit, sent in the clear by a client that does not seal it.
    const db = (await ann.session.db)!;
    const annSigner = { ...signerOf(await identityFor(db, ann.session.profile!.id)), name: 'Ann' };
    const annRaw = hub.transport<ChatEvents>();
    await annRaw.connect(room, { userId: annSigner.id, name: 'Ann' });
    annRaw.emit(
      'chat:message',
      await clear(annSigner, { kind: 'edit', target: target.id, text: 'words the relay read' }),
    );
    await new Promise((r) => setTimeout(r, 1500));
    const shown = bob.room.messages.find((m) => m.id === target.id)!;
    const leak = shown.text === 'words the relay read' && shown.sealed && !shown.inClear;
    expect(leak, `sealed row shows clear text unmarked: ${JSON.stringify(shown.text)}`).to.equal(
      false,
    );
    expect(shown.reactions ?? [], 'an outsider’s clear reaction on a sealed message').to.deep.equal(
      [],
    );
    raw.close();
    annRaw.close();
  });
});
