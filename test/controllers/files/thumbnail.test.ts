/**
 * Thumbnails (src/controllers/files/thumbnail.ts) in Chromium: a generated PNG — noisy, the
 * hardest to compress — gives a decodable WebP of at most 8 KB, no wider than 160 px, with the
 * image's own size beside it; an SVG or HTML page, even one declared as a PNG, gives none.
 */
import { expect } from '@open-wc/testing';
import * as v from 'valibot';
import { fromBase64Url } from '../../../src/protocol/encoding.js';
import { MAX_THUMB_BYTES, ThumbSchema } from '../../../src/protocol/file-manifest.js';
import { THUMB_SIDE, makeThumb } from '../../../src/controllers/files/thumbnail.js';

/** A PNG of `w`×`h` random pixels (or a plain colour), drawn on an OffscreenCanvas. */
async function png(w: number, h: number, noisy = true): Promise<Blob> {
  const canvas = new OffscreenCanvas(w, h);
  const context = canvas.getContext('2d')!;
  const image = context.createImageData(w, h);
  for (let i = 0; i < image.data.length; i += 65536) {
    if (noisy) crypto.getRandomValues(image.data.subarray(i, i + 65536));
  }
  for (let i = 3; i < image.data.length; i += 4) image.data[i] = 255;
  context.putImageData(image, 0, 0);
  const blob = await canvas.convertToBlob({ type: 'image/png' });
  expect(blob.type).to.equal('image/png');
  return blob;
}

/** The pixel size of the image `bytes` of `type` decode to. */
async function decodedSize(bytes: Uint8Array, type: string): Promise<[number, number]> {
  const bitmap = await createImageBitmap(new Blob([bytes as Uint8Array<ArrayBuffer>], { type }));
  const size: [number, number] = [bitmap.width, bitmap.height];
  bitmap.close();
  return size;
}

describe('thumbnails', () => {
  it('makes a WebP of at most 8 KB from a noisy 1200×800 PNG, that decodes', async () => {
    const made = await makeThumb(await png(1200, 800), 'image/png');
    expect(made, 'a thumbnail').to.not.equal(undefined);
    const { thumb, w, h } = made!;
    expect([w, h]).to.deep.equal([1200, 800]);
    expect(v.is(ThumbSchema, thumb), 'a valid thumbnail').to.equal(true);
    expect(thumb.type).to.equal('image/webp');
    const bytes = fromBase64Url(thumb.data)!;
    expect(bytes.length).to.be.at.most(MAX_THUMB_BYTES);
    expect(thumb.w).to.be.at.most(THUMB_SIDE);
    expect(thumb.w / thumb.h).to.be.closeTo(1.5, 0.05);
    expect(await decodedSize(bytes, thumb.type)).to.deep.equal([thumb.w, thumb.h]);
  });

  it('keeps a small image its size, and a thin one at least a pixel wide', async () => {
    const small = await makeThumb(await png(40, 30, false), 'image/png');
    expect([small?.thumb.w, small?.thumb.h, small?.w, small?.h]).to.deep.equal([40, 30, 40, 30]);
    const thin = await makeThumb(await png(2, 1000, false), 'image/png');
    expect([thin?.thumb.w, thin?.thumb.h]).to.deep.equal([1, THUMB_SIDE]);
    const canvas = new OffscreenCanvas(300, 200);
    canvas.getContext('2d')!.fillRect(0, 0, 100, 100);
    const jpeg = await canvas.convertToBlob({ type: 'image/jpeg' });
    expect((await makeThumb(jpeg, 'image/jpeg'))?.w).to.equal(300);
  });

  it('makes none of an SVG or HTML page, whatever type it claims, nor of broken bytes', async () => {
    const svg = new Blob(
      [
        '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10">' +
          '<script>window.ran = true</script><rect width="10" height="10"/></svg>',
      ],
      { type: 'image/svg+xml' },
    );
    const html = new Blob(['<html><body><script>window.ran = true</script></body></html>'], {
      type: 'text/html',
    });
    expect(await makeThumb(svg, 'image/svg+xml')).to.equal(undefined);
    expect(await makeThumb(svg, 'image/png')).to.equal(undefined);
    expect(await makeThumb(html, 'text/html')).to.equal(undefined);
    expect(await makeThumb(html, 'image/png')).to.equal(undefined);
    const cut = (await png(50, 50)).slice(0, 40);
    expect(await makeThumb(cut, 'image/png')).to.equal(undefined);
    expect(await makeThumb(new Blob([]), 'image/gif')).to.equal(undefined);
    expect((window as { ran?: boolean }).ran).to.equal(undefined);
  });
});
