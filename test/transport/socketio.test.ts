import { expect } from '@open-wc/testing';
import { TransportError } from '../../src/transport/errors.js';
import type { ChatEvents } from '../../src/transport/protocol.js';
import { SocketIoTransport } from '../../src/transport/socketio.js';
import { serverUrl } from '../helpers/server-url.js';
import { envelope, freshRoom, next, runContractSuite } from './contract.js';

const url = await serverUrl();
runContractSuite('socketio', () => new SocketIoTransport<ChatEvents>({ url }));

describe('socketio transport', () => {
  it('rejects an unusable room name with a clear error', async () => {
    const t = new SocketIoTransport<ChatEvents>({ url });
    const err = await t
      .connect('no spaces allowed', { userId: 'u', name: 'Someone' })
      .catch((e: unknown) => e);
    expect(err).to.be.instanceOf(TransportError);
    expect((err as TransportError).code).to.equal('refused');
    expect((err as TransportError).message).to.contain('room name');
    expect(t.state).to.equal('closed');
  });

  it('reports an unreachable server and keeps retrying until closed', async () => {
    // Port 9 (discard) has no listener here: the connection is refused at once.
    const t = new SocketIoTransport<ChatEvents>({ url: 'http://127.0.0.1:9' });
    const err = await t
      .connect(freshRoom(), { userId: 'u', name: 'Someone' })
      .catch((e: unknown) => e);
    expect((err as TransportError).code).to.equal('unreachable');
    expect(t.state).to.equal('offline');
    t.close();
    expect(t.state).to.equal('closed');
  });

  it('passes on an error the server reports about our frame', async () => {
    const room = freshRoom();
    const t = new SocketIoTransport<ChatEvents>({ url });
    await t.connect(room, { userId: 'u', name: 'Someone' });
    const error = next<[TransportError]>(t as never, 'error');
    // The envelope names another room: the relay refuses to carry it.
    t.emit('chat:message', envelope(freshRoom(), 'misaddressed'));
    const [err] = await error;
    expect(err.code).to.equal('server');
    expect(err.message).to.contain('chat:message');
    expect(t.state).to.equal('open');
    t.close();
  });
});
