/**
 * Accessibility of file rows (axe-core through chai-a11y-axe), in the light and the dark
 * theme: a list holding an image with its thumbnail, a file moving with its progress, a file
 * that failed, a held one and an SVG offered as a download; and the image viewer open.
 */
import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import { ParleyMessages } from '../../../src/components/messages/parley-messages.js';
import '../../../src/components/messages/file-define.js';
import { FakeFiles, fileMessage, manifest, png } from './fake-files.js';

if (!customElements.get('parley-messages'))
  customElements.define('parley-messages', ParleyMessages);

async function list(scheme: 'light' | 'dark') {
  const files = new FakeFiles();
  const image = manifest('holiday.jpg', 'image/jpeg', 2_400_000, { w: 800, h: 600 });
  const moving = manifest('slides.pdf', 'application/pdf', 5_000_000);
  const failed = manifest('broken.zip', 'application/zip', 800_000);
  const held = manifest('minutes.txt', 'text/plain', 4_000);
  const svg = manifest('logo.svg', 'image/svg+xml', 3_000);
  files.thumbs.set(image.list, URL.createObjectURL(await png(80, 60)));
  files.set(moving, 'fetching', { done: 2_100_000, speed: 1_300_000 });
  files.set(failed, 'failed', { error: 'Nobody who has this file answered.' });
  files.set(held, 'held', { done: 4_000 });
  const messages = [image, moving, failed, held, svg].map((m, i) => ({
    ...fileMessage(m, i === 0 ? 'The view from the hut' : '', `f${i}`),
    ts: Date.UTC(2025, 0, 6, 9, i),
  }));
  const el = await fixture<ParleyMessages>(
    html`<parley-messages
      style="height: 700px; width: 600px; color-scheme: ${scheme}"
      self="me"
      .messages=${messages}
      .files=${files}
    ></parley-messages>`,
  );
  const rows = () => [...el.shadowRoot!.querySelectorAll('parley-file')];
  await waitUntil(
    () => rows().length === 5 && rows().every((r) => r.shadowRoot?.querySelector('.name')),
  );
  return { el, rows, files, image };
}

for (const scheme of ['light', 'dark'] as const) {
  describe(`file rows are accessible (${scheme})`, () => {
    it('in the list', async () => {
      const { el, rows } = await list(scheme);
      await expect(el).to.be.accessible();
      for (const row of rows()) await expect(row).to.be.accessible();
      const caption = el.shadowRoot!.querySelector('li.msg .text')!;
      expect(caption.textContent).to.equal('The view from the hut');
    });

    it('with the image viewer open', async () => {
      const { rows, files, image } = await list(scheme);
      files.set(image, 'held', { done: image.size });
      files.blobs.set(image.list, await png(800, 600));
      const row = rows()[0]!;
      row.shadowRoot!.querySelector<HTMLButtonElement>('.thumb')!.click();
      await waitUntil(() => row.shadowRoot!.querySelector('dialog img'));
      await expect(row).to.be.accessible();
      row.shadowRoot!.querySelector('dialog')!.close();
    });
  });
}
