/** The page hears every problem the visitor is shown as `parley-error`, with words and a code. */
import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import type { ParleyChat } from '../../../src/components/chat/parley-chat.js';
import type { ParleyErrorDetail } from '../../../src/components/shared/events.js';
import { DB_VERSION } from '../../../src/store/schema.js';
import { MemoryHub } from '../../../src/transport/memory.js';
import { chatDbs, loginOf, mountChat, register, shadow, submitLogin } from './chat-helpers.js';

/** Every `parley-error` of `el`, in order. */
function problems(el: ParleyChat): ParleyErrorDetail[] {
  const heard: ParleyErrorDetail[] = [];
  el.addEventListener('parley-error', (e) => heard.push(e.detail));
  return heard;
}

/** The failure the login popup shows. */
const loginError = (el: ParleyChat) =>
  shadow(loginOf(el)).querySelector('[part~=error]')?.textContent?.trim();

/** Opens `name` one version up, as a newer tab would: other connections must step aside. */
function upgradeElsewhere(name: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const req = indexedDB.open(name, DB_VERSION + 1);
    req.onsuccess = () => (req.result.close(), resolve());
    req.onerror = () => reject(req.error);
  });
}

describe('<parley-chat> problems for the page', function () {
  this.timeout(20000);
  const newDb = chatDbs();

  it('reports a transport problem with its code, in the words the visitor sees', async () => {
    const el = await fixture<ParleyChat>(
      html`<parley-chat
        style="height: 400px"
        room="errors"
        db-name=${newDb()}
        transport="socketio"
        server="http://127.0.0.1:9"
      ></parley-chat>`,
    );
    const heard = problems(el);
    await register(el, 'Ann');
    await waitUntil(() => heard.length > 0, 'a transport problem', { timeout: 10000 });
    for (const problem of heard) {
      expect(problem.code).to.equal('unreachable');
      expect(problem.message).to.match(/^Cannot reach .+ — .+\.$/);
      expect(problem.message, 'no API prefix').not.to.contain('parley:');
    }
    // The connection's tooltip tells the visitor the latest of them, in the same words.
    const shown = () => shadow(el).querySelector('[part~=connection]')!.getAttribute('title');
    await waitUntil(() => shown() === heard.at(-1)!.message, 'the same words on screen');
  });

  it('reports a taken name with its code when an account cannot be created', async () => {
    const el = await mountChat(new MemoryHub(), newDb(), 'errors');
    const heard = problems(el);
    await register(el, 'Ann');
    (shadow(el).querySelector('[part~=logout-button]') as HTMLButtonElement).click();
    await submitLogin(el, 'ann', 'password123', 'register');
    await waitUntil(() => heard.length > 0, 'the refusal is reported');
    const message = 'The username "ann" is taken on this browser.';
    expect(heard).to.deep.equal([{ code: 'name-taken', message }]);
    expect(loginError(el)).to.equal(message);
  });

  it('says the storage failed, not that the name is taken, when the account cannot be stored', async () => {
    const db = newDb();
    const el = await mountChat(new MemoryHub(), db, 'errors');
    const heard = problems(el);
    await submitLogin(el, 'Ann', 'password123', 'register');
    // While the password is hashed, a newer tab upgrades the database: the chat's connection
    // closes, so writing the account fails for real.
    await upgradeElsewhere(db);
    await waitUntil(() => heard.length > 0, 'the failure is reported');
    const [problem] = heard;
    expect(problem!.code).to.equal('storage');
    expect(problem!.message).to.match(/storage/);
    expect(problem!.message).not.to.match(/taken/i);
    expect(loginError(el), 'the popup says the same').to.equal(problem!.message);
    expect(loginOf(el).open, 'still not logged in').to.equal(true);
  });
});
