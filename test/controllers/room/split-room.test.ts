/**
 * A room split by two keys (a passphrase typed differently) is told at once on both sides,
 * within one message each way: the reader sees a "can't read" line and who holds another key,
 * the writer's message is not plain *delivered* (the receipt says it could not be opened). And
 * one room has one link: copying it never makes or changes a key.
 */
import { expect } from '@open-wc/testing';
import { MemoryHub } from '../../../src/transport/memory.js';
import { freshRoom } from '../../transport/contract.js';
import { suiteMembers, until } from '../room-harness.js';

describe('a split room', function () {
  this.timeout(30000);
  const member = suiteMembers();
  afterEach(() => history.replaceState(null, '', location.pathname + location.search));

  it('tells both sides within one message each way, and heals when the right passphrase comes', async () => {
    const hub = new MemoryHub();
    const room = freshRoom();
    const [ann, bob] = [await member(hub, 'Ann', room), await member(hub, 'Bob', room)];
    expect(await ann.room.setPassphrase('Tangerine-42')).to.equal(true);
    expect(await bob.room.setPassphrase('tangerine-42')).to.equal(true);

    ann.room.send('are you there?');
    await until(() => bob.room.messages.length === 1, 'Ann’s message at Bob');
    expect(bob.room.messages[0]).to.include({ text: '', unreadable: true });
    expect(bob.room.keyMismatch).to.deep.equal({ name: 'Ann' });
    // Ann's copy: it reached Bob, who cannot read it — never plain delivered.
    await until(() => ann.room.messages[0]?.status === 'delivered', 'Bob’s receipt');
    expect(ann.room.messages[0]!.cantRead).to.deep.equal(['Bob']);

    bob.room.send('yes, here');
    await until(() => ann.room.messages.length === 2, 'Bob’s message at Ann');
    expect(ann.room.keyMismatch).to.deep.equal({ name: 'Bob' });
    await until(() => bob.room.messages.at(-1)?.status === 'delivered', 'Ann’s receipt');
    expect(bob.room.messages.at(-1)!.cantRead).to.deep.equal(['Ann']);

    // Bob checks with Ann and types it as she did: everything opens, the notice goes.
    expect(await bob.room.setPassphrase('Tangerine-42')).to.equal(true);
    expect(bob.room.keyMismatch).to.equal(undefined);
    expect(bob.room.messages.map((m) => m.text)).to.include('are you there?');
  });

  it('previews how many stored messages a passphrase opens, changing nothing', async () => {
    const hub = new MemoryHub();
    const room = freshRoom();
    const [ann, bob] = [await member(hub, 'Ann', room), await member(hub, 'Bob', room)];
    await ann.room.setPassphrase('Tangerine-42');
    ann.room.send('one');
    ann.room.send('two');
    await until(() => bob.room.locked === 2, 'both held sealed at Bob');
    expect(await bob.room.previewPassphrase('tangerine-42')).to.deep.equal({ opens: 0, sealed: 2 });
    expect(await bob.room.previewPassphrase('Tangerine-42')).to.deep.equal({ opens: 2, sealed: 2 });
    expect(bob.room.encrypted, 'a preview adds no key').to.equal(false);
    expect(bob.room.locked).to.equal(2);
  });

  it('copies one link for one key: copying never makes or changes a key', async () => {
    const hub = new MemoryHub();
    const room = freshRoom();
    const ann = await member(hub, 'Ann', room);
    expect(await ann.room.inviteLink(), 'a room in the clear: the plain link').to.match(
      new RegExp(`#room=${room}$`),
    );
    expect(ann.room.encrypted, 'sharing a room does not start encrypting it').to.equal(false);
    await ann.room.setPassphrase('Tangerine-42');
    const first = await ann.room.inviteLink();
    expect(first).to.match(/&key=[A-Za-z0-9_-]{43}$/);
    expect(await ann.room.inviteLink()).to.equal(first);
    ann.room.send('for link holders');
    // Carol follows the link (the same page address here): she reads what Ann sealed.
    location.hash = new URL(first!).hash;
    const carol = await member(hub, 'Carol', room);
    await until(() => carol.room.messages.some((m) => m.text === 'for link holders'), 'opened');
    expect(carol.room.encrypted).to.equal(true);
    expect(await carol.room.inviteLink(), 'Carol shares the same link').to.equal(first);
  });
});
