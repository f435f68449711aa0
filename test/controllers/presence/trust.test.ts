/**
 * Trust in the roster (presence controller + contacts controller, real IndexedDB, in-page
 * transports): every member with a proven key gets its safety code and short fingerprint,
 * "verified" is remembered for the account, a newcomer showing a name met before with another
 * key is flagged and kept apart, a key that does not hash to its id is not believed, and our
 * typing notices speak as our identity. No chat message is sent.
 */
import { expect } from '@open-wc/testing';
import type { RosterMember } from '../../../src/controllers/presence/roster.js';
import type { ChatEvents, Typing } from '../../../src/protocol/chat-events.js';
import {
  createIdentity,
  safetyCode,
  signerOf,
  type Identity,
} from '../../../src/protocol/identity.js';
import '../../support/confusables.js';
import { MemoryHub } from '../../../src/transport/memory.js';
import { uniqueDbName } from '../../support/db.js';
import { verifyTyping } from '../../../src/protocol/signed-notices.js';
import {
  OlderMemory,
  stranger,
  suiteMembers,
  typingOf,
  until,
  type Member,
} from '../room-harness.js';

const line = (m: Member, userId: string): RosterMember | undefined =>
  m.presence.roster.find((l) => l.userId === userId);

describe('trust in the roster', function () {
  this.timeout(20000);
  const member = suiteMembers();
  let alice: Identity;
  let impostor: Identity;
  before(async () => {
    [alice, impostor] = await Promise.all([createIdentity(), createIdentity()]);
  });

  it('shows each proven member with its safety code and short fingerprint; ours too', async () => {
    const hub = new MemoryHub();
    const ann = await member(hub, 'Ann', 'codes');
    const t = await stranger(hub, 'codes', alice, 'Alice');
    await until(() => line(ann, alice.id)?.trust !== undefined, 'Alice with her code');
    const code = await safetyCode(alice.publicKey);
    expect(line(ann, alice.id)!.trust).to.deep.equal({
      code,
      fingerprint: code.slice(0, 17),
      alike: [],
      verified: false,
      namesakes: [],
    });
    expect(line(ann, alice.id)!.key).to.equal(alice.publicKey);
    // Our own line, and our code for Settings.
    const own = ann.session.profile!.identity!;
    await until(() => ann.presence.roster[0]!.trust !== undefined, 'our own code');
    expect(ann.presence.roster[0]!.trust!.code).to.equal(await safetyCode(own.publicKey));
    await until(() => ann.presence.contacts?.ownCode !== undefined, 'our code for Settings');
    expect(ann.presence.contacts!.ownCode).to.equal(await safetyCode(own.publicKey));
    t.close();
  });

  it("lists on the server's word alone, marked so and without a key, an older app's member and a silent one", async () => {
    const hub = new MemoryHub();
    const ann = await member(hub, 'Ann', 'unproven');
    // A 1.4 member (as every memory hello says) that sends no hello of its own (it has no key).
    const keyless = hub.transport<ChatEvents>();
    await keyless.connect('unproven', { userId: 'legacy-id', name: 'Quiet' });
    // An older app (1.3, before signed hellos), one claiming Alice's id with the impostor's key.
    const old = new OlderMemory(hub);
    await old.connect('unproven', { userId: 'old-id', name: 'Old' });
    const forged = new OlderMemory(hub);
    await forged.connect('unproven', { userId: alice.id, name: 'Alice', key: impostor.publicKey });
    // Even with its own key, a member on the server's word alone shows no fingerprint or mark:
    // a relay could call a verified member "older" to keep them listed after they left.
    const keyed = new OlderMemory(hub, { signer: signerOf(impostor) });
    await keyed.connect('unproven', { userId: impostor.id, name: 'Imp' });
    await until(
      () => ['old-id', alice.id, impostor.id].every((id) => line(ann, id)),
      'the older three listed',
    );
    expect(line(ann, impostor.id)!.key).to.equal(undefined);
    expect(line(ann, impostor.id)!.unconfirmed).to.equal('older');
    await new Promise((r) => setTimeout(r, 300)); // time to check the key and record contacts
    expect(line(ann, 'old-id')!.name).to.equal('Old');
    expect(line(ann, 'old-id')!.unconfirmed).to.equal('older');
    expect(line(ann, 'old-id')!.trust).to.equal(undefined);
    expect(line(ann, 'old-id')!.key).to.equal(undefined);
    expect(line(ann, alice.id)!.key, 'the forged key is dropped').to.equal(undefined);
    expect(line(ann, alice.id)!.trust).to.equal(undefined);
    expect(line(ann, alice.id)!.unconfirmed).to.equal('older');
    const db = (await ann.session.db)!;
    expect(await db.count('contacts'), 'nothing recorded').to.equal(0);
    // The silent one is listed too once its silence lasts (a listener nobody sees would hear
    // everything), on the server's word, without a key.
    await until(() => line(ann, 'legacy-id')?.unconfirmed === 'silent', 'the silent one listed');
    expect(line(ann, 'legacy-id')!.key).to.equal(undefined);
    keyless.close();
    old.close();
    forged.close();
    keyed.close();
  });

  it('remembers "Mark as verified" for the account, across a reload', async () => {
    const hub = new MemoryHub();
    const dbName = uniqueDbName();
    const ann = await member(hub, 'Ann', 'marks', {}, dbName);
    const t = await stranger(hub, 'marks', alice, 'Alice');
    await until(() => line(ann, alice.id)?.trust !== undefined, 'Alice with her code');
    await (await ann.presence.contactsReady).setVerified(alice.id, true);
    expect(line(ann, alice.id)!.trust!.verified).to.equal(true);
    // The same account in a fresh set of controllers on the same database (a reload).
    const again = await member(hub, 'Ann', 'marks', {}, dbName);
    expect(again.session.profile!.id).to.equal(ann.session.profile!.id);
    await until(() => line(again, alice.id)?.trust !== undefined, 'Alice after the reload');
    expect(line(again, alice.id)!.trust!.verified).to.equal(true);
    await (await again.presence.contactsReady).setVerified(alice.id, false);
    expect(line(again, alice.id)!.trust!.verified).to.equal(false);
    t.close();
  });

  it('warns about a newcomer using the name of someone met before with another key, and keeps them apart', async () => {
    const hub = new MemoryHub();
    const ann = await member(hub, 'Ann', 'names');
    const first = await stranger(hub, 'names', alice, 'Alice');
    await until(() => line(ann, alice.id)?.trust !== undefined, 'Alice met');
    await (await ann.presence.contactsReady).setVerified(alice.id, true);
    first.close();
    await until(() => ann.presence.roster.length === 1, 'Alice left');
    await new Promise((r) => setTimeout(r, 1100)); // over MET_TOGETHER_MS later than the first meeting
    const second = await stranger(hub, 'names', impostor, 'alice');
    const back = await stranger(hub, 'names', alice, 'Alice');
    await until(
      () => line(ann, impostor.id)?.trust !== undefined && line(ann, alice.id)?.trust !== undefined,
      'both Alices listed with codes',
    );
    expect(ann.presence.roster, 'two lines, never merged').to.have.length(3);
    const fake = line(ann, impostor.id)!.trust!;
    const real = line(ann, alice.id)!.trust!;
    expect(fake.fingerprint).not.to.equal(real.fingerprint);
    expect(fake.namesakes).to.deep.equal([
      { userId: alice.id, name: 'Alice', fingerprint: real.fingerprint, verified: true },
    ]);
    expect(fake.verified).to.equal(false);
    expect(real.namesakes, 'the one met first is not flagged').to.deep.equal([]);
    expect(real.verified).to.equal(true);
    second.close();
    back.close();
  });

  it('sends our typing notices signed as our identity and ignores notices from our own other tabs', async () => {
    const hub = new MemoryHub();
    const ann = await member(hub, 'Ann', 'typing');
    const own = ann.session.profile!.identity!;
    const heard: Typing[] = [];
    const ear = await stranger(hub, 'typing', alice, 'Ear');
    ear.on('chat:typing', (t) => heard.push(t));
    await until(() => ann.presence.roster.length === 2, 'the listener is in the room');
    ann.presence.setTyping(true);
    await until(() => heard.length === 1, 'our notice');
    expect(heard[0]!.userId).to.equal(own.id);
    expect(heard[0]!.userId).not.to.equal(ann.session.profile!.id);
    expect(await verifyTyping(heard[0]!, own.publicKey), 'signed by our identity').to.equal(true);
    // Another tab of ours (our identity) typing is not somebody typing.
    const tab = hub.transport<ChatEvents>();
    await tab.connect('typing', { userId: own.id, name: 'Ann' });
    await until(() => ann.transport.reach()!.members.length === 2, 'the tab is heard');
    tab.emit('chat:typing', { room: 'typing', userId: own.id, name: 'Ann', typing: true });
    ear.emit('chat:typing', await typingOf(alice, 'typing', 'Ear', true));
    await until(() => ann.presence.typing.length > 0, 'a typing line');
    expect(ann.presence.typing).to.deep.equal(['Ear']);
    ear.close();
    tab.close();
  });

  it('tells namesakes apart by fingerprint in the typing line', async () => {
    const hub = new MemoryHub();
    const ann = await member(hub, 'Ann', 'twins');
    const a = await stranger(hub, 'twins', alice, 'Alice');
    const b = await stranger(hub, 'twins', impostor, 'Alice');
    await until(
      () => line(ann, alice.id)?.trust !== undefined && line(ann, impostor.id)?.trust !== undefined,
      'both with codes',
    );
    a.emit('chat:typing', await typingOf(alice, 'twins', 'Alice', true));
    await until(() => ann.presence.typing.length === 1, 'Alice typing');
    expect(ann.presence.typing).to.deep.equal([
      `Alice (${line(ann, alice.id)!.trust!.fingerprint})`,
    ]);
    a.close();
    b.close();
  });
});
