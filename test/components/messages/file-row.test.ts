/**
 * `<parley-file>`: a file message in the conversation, with a fake files API — the image
 * preview and its viewer, downloads, progress, Cancel, Remove, and that no file but a
 * previewable image is ever put in an `<img>` (an SVG or an HTML page is a download only).
 */
import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import '../../../src/components/messages/file-define.js';
import type { ParleyFile } from '../../../src/components/messages/file-row.js';
import { previewBox } from '../../../src/components/messages/file-row.js';
import { readableSize } from '../../../src/components/messages/file-words.js';
import { FakeFiles, fileMessage, manifest, png } from './fake-files.js';
import type { Manifest } from '../../../src/protocol/file-manifest.js';

async function row(m: Manifest, files: FakeFiles | undefined = new FakeFiles(), caption = '') {
  const el = await fixture<ParleyFile>(
    html`<parley-file .message=${fileMessage(m, caption)} .files=${files}></parley-file>`,
  );
  return { el, files: files!, root: el.shadowRoot! };
}
const buttons = (root: ShadowRoot) =>
  [...root.querySelectorAll('button')].filter((b) => !b.hidden && b.offsetParent !== null);
const named = (root: ShadowRoot, name: string) =>
  buttons(root).find((b) => (b.getAttribute('aria-label') ?? b.textContent!.trim()) === name);
const rerender = async (el: ParleyFile) => {
  el.requestUpdate();
  await el.updateComplete;
};

describe('parley-file: what a file row shows', () => {
  it('says a size people read, and the type', async () => {
    expect(readableSize(512)).to.equal('512 bytes');
    expect(readableSize(1)).to.equal('1 byte');
    expect(readableSize(1_234_567)).to.equal('1.2 MB');
    expect(readableSize(65_536)).to.equal('64 KB');
    expect(readableSize(1_048_575)).to.equal('1024 KB');
    expect(readableSize(25 * 1024 * 1024), 'as the limit is told').to.equal('25 MB');
    expect(readableSize(300 * 1024 * 1024)).to.equal('300 MB');
    const { root } = await row(manifest('report.pdf', 'application/pdf'));
    expect(root.querySelector('.name')!.textContent).to.equal('report.pdf');
    expect(root.querySelector('.facts')!.textContent).to.equal('1.2 MB · application/pdf');
    const { formatSize } = await import('../../../src/controllers/files/file-attach.js');
    for (const n of [0, 1, 1023, 1024, 65_536, 1_234_567, 104_857_500, 25 * 1024 * 1024])
      expect(readableSize(n), `${n} as the controller says it`).to.equal(formatSize(n));
  });

  it('shows a sanitised name, never a path or control characters', async () => {
    const { root } = await row(manifest('../../etc/\u202epasswd.txt', 'text/plain'));
    expect(root.querySelector('.name')!.textContent).to.equal(
      '.._.._etc_passwd.txt'.replace(/^\.+/, ''),
    );
  });

  it('shows an image thumbnail with its name as alt text, in a box of the image’s shape', async () => {
    const files = new FakeFiles();
    const m = manifest('cat.png', 'image/png', 50_000, { w: 1024, h: 512 });
    files.thumbs.set(m.list, URL.createObjectURL(await png(64, 32)));
    const { root } = await row(m, files);
    const img = root.querySelector('img')!;
    expect(img.alt).to.equal('cat.png');
    expect([img.width, img.height]).to.deep.equal([256, 128]);
    expect(previewBox(100, 400)).to.deep.equal({ w: 50, h: 200 });
    expect(named(root, 'Download'), 'an image opens, it is not a download').to.equal(undefined);
  });

  it('opens the full image in a dialog (fetched first), and Escape closes it, focus back', async () => {
    const files = new FakeFiles();
    const m = manifest('cat.png', 'image/png', 50_000, { w: 400, h: 300 });
    files.thumbs.set(m.list, URL.createObjectURL(await png(40, 30)));
    const { el, root } = await row(m, files);
    const thumb = root.querySelector<HTMLButtonElement>('.thumb')!;
    thumb.focus();
    thumb.click();
    await el.updateComplete;
    const dialog = root.querySelector('dialog')!;
    expect(dialog.open).to.equal(true);
    expect(files.calls).to.deep.include(['fetch', 'cat.png', 'f1']);
    files.set(m, 'fetching', { done: 25_000, speed: 1_363_149 });
    await rerender(el);
    expect(dialog.textContent).to.contain('50% · 1.3 MB/s');
    files.set(m, 'held', { done: 50_000 });
    files.blobs.set(m.list, await png(400, 300));
    await rerender(el);
    await waitUntil(() => dialog.querySelector('img'), 'the full image shows');
    const full = dialog.querySelector('img')!;
    expect(full.src).to.match(/^blob:/);
    expect(full.alt).to.equal('cat.png');
    await waitUntil(() => full.complete && full.naturalWidth === 400, 'it decodes');
    expect(files.called.filter((c) => c === 'fetch')).to.have.length(1);
    await sendKeys({ press: 'Escape' });
    await waitUntil(() => !root.querySelector('dialog'), 'Escape closes it');
    expect(root.activeElement).to.equal(root.querySelector('.thumb'));
  });

  it('closes the viewer with its Close button', async () => {
    const files = new FakeFiles();
    const m = manifest('dog.webp', 'image/webp', 9_000);
    files.set(m, 'held', { done: 9_000 });
    files.blobs.set(m.list, await png(20, 20));
    const { el, root } = await row(m, files);
    root.querySelector<HTMLButtonElement>('.thumb')!.click();
    await el.updateComplete;
    await waitUntil(() => root.querySelector('dialog img'));
    expect(files.called).not.to.include('fetch');
    named(root, 'Close')!.click();
    await waitUntil(() => !root.querySelector('dialog'));
  });

  for (const [name, type] of [
    ['drawing.svg', 'image/svg+xml'],
    ['page.html', 'text/html'],
  ] as const) {
    it(`offers ${name} (${type}) as a Download only: no img, iframe or object`, async () => {
      const files = new FakeFiles();
      const m = manifest(name, type, 2_000);
      files.thumbs.set(m.list, URL.createObjectURL(await png()));
      const { el, root } = await row(m, files);
      const download = named(root, 'Download')!;
      expect(download, 'a Download button').to.exist;
      const described = root.getElementById(download.getAttribute('aria-describedby')!);
      expect(described!.textContent).to.equal(name);
      download.click();
      expect(files.calls.at(-1)).to.deep.equal(['fetch', name, 'f1']);
      files.set(m, 'held', { done: 2_000 });
      files.blobs.set(m.list, new Blob(['<script>parent.hacked = 1</script>']));
      await rerender(el);
      expect(files.calls.at(-1), 'saved once held').to.deep.equal(['download', name]);
      expect(root.querySelector('img, iframe, object, embed, dialog, svg:not(.icon)')).to.equal(
        null,
      );
      named(root, 'Download')!.click();
      expect(files.calls.at(-1), 'held: saved at once').to.deep.equal(['download', name]);
      expect((window as { hacked?: number }).hacked).to.equal(undefined);
    });
  }

  it('shows progress with percentage and speed on both sides, and Cancel cancels', async () => {
    const files = new FakeFiles();
    const m = manifest('big.zip', 'application/zip', 10_000_000);
    files.set(m, 'fetching', { done: 4_200_000, speed: 1_363_149 });
    const { el, root } = await row(m, files);
    const bar = root.querySelector('progress')!;
    expect(bar.value).to.equal(42);
    expect(bar.getAttribute('aria-label')).to.equal('Receiving big.zip');
    expect(root.querySelector('.rate')!.textContent!.replace(/\s+/g, ' ')).to.equal(
      'Receiving 42% · 1.3 MB/s',
    );
    expect(named(root, 'Download'), 'no Download while it moves').to.equal(undefined);
    named(root, 'Cancel')!.click();
    expect(files.calls.at(-1)).to.deep.equal(['cancel', 'big.zip']);
    files.set(m, 'sending', { done: 9_990_000, speed: 2_621_440 });
    await rerender(el);
    expect(root.querySelector('.rate')!.textContent!.replace(/\s+/g, ' ')).to.equal(
      'Sending 99% · 2.5 MB/s',
    );
  });

  it('says what waiting, stopped and failed mean', async () => {
    const files = new FakeFiles();
    const m = manifest('notes.txt', 'text/plain', 3_000);
    files.set(m, 'waiting');
    const { el, root } = await row(m, files);
    const line = () => root.querySelector('.line')?.textContent;
    expect(line()).to.equal('Waiting for someone who has this file…');
    expect(named(root, 'Cancel')).to.exist;
    files.set(m, 'stopped', { done: 1_000 });
    await rerender(el);
    expect(line()).to.equal('Stopped — Download to continue');
    expect(named(root, 'Download')).to.exist;
    files.set(m, 'failed', { error: 'This file does not match what was sent.' });
    await rerender(el);
    expect(line()).to.equal('This file does not match what was sent.');
  });

  it('removes a held file from this browser, then says it can be fetched again', async () => {
    const files = new FakeFiles();
    const m = manifest('held.pdf', 'application/pdf', 3_000);
    files.set(m, 'held', { done: 3_000 });
    const { el, root } = await row(m, files);
    named(root, 'Remove from this browser')!.click();
    await waitUntil(() => root.querySelector('.line'));
    await el.updateComplete;
    expect(files.calls.at(-1)).to.deep.equal(['remove', 'held.pdf']);
    expect(root.querySelector('.line')!.textContent).to.equal(
      'Removed from this browser — Download to fetch it again',
    );
    expect(named(root, 'Remove from this browser')).to.equal(undefined);
  });

  it('shows the file while the files API loads, its buttons off', async () => {
    const m = manifest('early.pdf', 'application/pdf');
    const el = await fixture<ParleyFile>(
      html`<parley-file .message=${fileMessage(m)}></parley-file>`,
    );
    const download = [...el.shadowRoot!.querySelectorAll('button')].find((b) =>
      b.textContent!.includes('Download'),
    )!;
    expect(download.disabled).to.equal(true);
  });
});
