/**
 * `<parley-chat>` and files, with its real files controller on memory transports: files
 * dragged over the chat show a drop target naming the room and, dropped, are sent (a file row
 * shows); dragged text shows nothing and is left alone; `max-file-size` refuses a file in
 * words before anything is sent; two members see the file, and an image's thumbnail.
 */
import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import { MemoryHub } from '../../../src/transport/memory.js';
import type { ParleyChat } from '../../../src/components/chat/parley-chat.js';
import { chatDbs, connected, memoryFactory, register, shadow } from './chat-helpers.js';
import { png } from '../messages/fake-files.js';
import { attach } from '../../../src/components/composer/composer-files.js';

const dbName = chatDbs();

async function chat(hub: MemoryHub, maxFileSize?: number): Promise<ParleyChat> {
  return fixture<ParleyChat>(
    html`<parley-chat
      style="height: 500px"
      room="files"
      db-name=${dbName()}
      transport="memory"
      max-file-size=${maxFileSize ?? ''}
      .transportFactory=${memoryFactory(hub)}
    ></parley-chat>`,
  );
}

/** A drag event of `type` carrying `files` and/or `text`; whether it was let through. */
function drag(el: Element, type: string, files: File[], text?: string): boolean {
  const data = new DataTransfer();
  files.forEach((f) => data.items.add(f));
  if (text !== undefined) data.setData('text/plain', text);
  const e = new DragEvent(type, {
    dataTransfer: data,
    bubbles: true,
    composed: true,
    cancelable: true,
  });
  return el.dispatchEvent(e);
}

const dropFrame = (c: ParleyChat) => shadow(c).querySelector<HTMLElement>('[part="drop"]');
const messagesOf = (c: ParleyChat) => shadow(shadow(c).querySelector('parley-messages')!);
const fileRows = (c: ParleyChat) => [...messagesOf(c).querySelectorAll('parley-file')];
const noteOf = (c: ParleyChat) =>
  shadow(shadow(c).querySelector('parley-composer')!).querySelector('[part=note]')!.textContent!;

describe('<parley-chat>: files', () => {
  it('shows a drop target naming the room while files are dragged over, and sends what is dropped', async () => {
    const c = await chat(new MemoryHub());
    await register(c, 'Ann');
    await connected(c); // in the room: before, files are refused ("Open a room…")
    // The files part loads once the room is live and the page idle (see load-order.ts).
    const messages = shadow(c).querySelector('parley-messages')!;
    await waitUntil(() => (messages as unknown as { files?: unknown }).files, 'files loaded', {
      timeout: 5000,
    });
    const body = shadow(c).querySelector('.body')!;
    const file = new File(['hello, file'], 'notes.txt', { type: 'text/plain' });

    expect(drag(body, 'dragenter', [], 'some text'), 'text is left alone').to.equal(true);
    expect(dropFrame(c)).to.equal(null);

    expect(drag(body, 'dragenter', [file]), 'files are let in').to.equal(false);
    await waitUntil(() => dropFrame(c));
    expect(dropFrame(c)!.querySelector('p')!.textContent).to.equal(
      'Drop files to send them to #files',
    );
    drag(body, 'dragenter', [file]); // onto a part inside…
    drag(body, 'dragleave', [file]); // …leaving the one before: still over the chat
    expect(dropFrame(c), 'still shown').to.not.equal(null);
    drag(body, 'dragleave', [file]);
    expect(dropFrame(c), 'left: hidden').to.equal(null);

    drag(body, 'dragenter', [file]);
    expect(drag(body, 'dragover', [file])).to.equal(false);
    expect(drag(body, 'drop', [file]), 'the browser does not open the file').to.equal(false);
    expect(dropFrame(c)).to.equal(null);
    await waitUntil(() => fileRows(c).length === 1, 'the file is sent', { timeout: 5000 });
    const row = fileRows(c)[0]!;
    await waitUntil(() => row.shadowRoot?.querySelector('.name'), 'its row is drawn');
    expect(row.shadowRoot!.querySelector('.name')!.textContent).to.equal('notes.txt');
    expect(noteOf(c).trim()).to.equal('');
  });

  it('refuses a file over max-file-size in words, sending nothing', async () => {
    const c = await chat(new MemoryHub(), 10);
    await register(c, 'Bea');
    await connected(c);
    const composer = shadow(c).querySelector('parley-composer')!;
    await attach(composer, [new File(['twenty bytes of text'], 'big.txt')]);
    await waitUntil(() => noteOf(c) !== '', 'refused in words');
    expect(noteOf(c)).to.equal('big.txt is 20 bytes — files here can be at most 10 bytes');
    expect(fileRows(c)).to.have.length(0);
  });

  it('does not let files in before someone is signed in, or into a closed launcher', async () => {
    const c = await chat(new MemoryHub());
    await new Promise((r) => setTimeout(r, 100)); // the files part is there
    const file = new File(['x'], 'x.txt');
    expect(drag(c, 'dragenter', [file])).to.equal(true);
    expect(dropFrame(c)).to.equal(null);
    await register(c, 'Cy');
    c.launcher = true;
    await c.updateComplete;
    await waitUntil(() => shadow(c).querySelector('[part~="launcher"]'), 'the launcher is drawn');
    await c.updateComplete;
    const launcher = shadow(c).querySelector('[part~="launcher"]')!;
    expect(drag(launcher, 'dragenter', [file]), 'the panel is closed').to.equal(true);
    c.launcherOpen = true;
    await c.updateComplete;
    expect(drag(launcher, 'dragenter', [file]), 'open: files are let in').to.equal(false);
  });

  it('shows another member the file, and an image its thumbnail', async () => {
    const hub = new MemoryHub();
    const [ann, bob] = [await chat(hub), await chat(hub)];
    await register(ann, 'Ann');
    await register(bob, 'Bob');
    await Promise.all([connected(ann), connected(bob)]);
    const composer = shadow(ann).querySelector('parley-composer')!;
    const image = new File([await png(120, 80)], 'shot.png', { type: 'image/png' });
    await attach(composer, [image]);
    await waitUntil(() => fileRows(bob).length === 1, 'Bob sees it', { timeout: 8000 });
    const row = fileRows(bob)[0]!;
    await waitUntil(() => row.shadowRoot?.querySelector('img'), 'with its thumbnail');
    const img = row.shadowRoot!.querySelector('img')!;
    expect(img.alt).to.equal('shot.png');
    expect(img.src).to.match(/^blob:/);
  });
});
