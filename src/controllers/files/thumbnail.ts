/**
 * The small preview an image message carries (browser only). Only the image types Parley shows
 * inline are decoded, and only with `createImageBitmap` — never as SVG or HTML — then drawn
 * scaled down on an OffscreenCanvas and encoded as WebP (JPEG where WebP cannot be encoded),
 * smaller and coarser until it fits {@link MAX_THUMB_BYTES}.
 */
import { toBase64Url } from '../../protocol/encoding.js';
import { MAX_THUMB_BYTES, PREVIEW_TYPES, type Thumb } from '../../protocol/file-manifest.js';

/** Longest side of a thumbnail, in pixels, before it has to shrink to fit its bytes. */
export const THUMB_SIDE = 160;
/** Sides tried in turn, then qualities at each: the first encoding that fits wins. */
const SIDES = [THUMB_SIDE, 120, 96, 64, 48, 32, 16];
const QUALITIES = [0.8, 0.6, 0.4, 0.25];
/** Widest or tallest image a manifest may describe. */
const MAX_IMAGE_SIDE = 100_000;

/** A thumbnail and the size of the image it was made from. */
export interface MadeThumb {
  thumb: Thumb;
  /** The image's own width and height, in pixels. */
  w: number;
  h: number;
}

let encodable: Promise<Thumb['type']> | undefined;

/** WebP when this browser encodes it (a canvas that cannot answers PNG instead), else JPEG. */
function thumbType(): Promise<Thumb['type']> {
  encodable ??= (async () => {
    const probe = new OffscreenCanvas(1, 1);
    probe.getContext('2d')?.fillRect(0, 0, 1, 1); // a canvas without a context encodes nothing
    const blob = await probe.convertToBlob({ type: 'image/webp' });
    return blob.type === 'image/webp' ? ('image/webp' as const) : ('image/jpeg' as const);
  })().catch(() => 'image/jpeg' as const);
  return encodable;
}

/** `bitmap` drawn to fit a square of `side` pixels (never enlarged), on white for JPEG. */
function drawn(bitmap: ImageBitmap, side: number, type: Thumb['type']): OffscreenCanvas {
  const scale = Math.min(1, side / Math.max(bitmap.width, bitmap.height));
  const w = Math.max(1, Math.round(bitmap.width * scale));
  const h = Math.max(1, Math.round(bitmap.height * scale));
  const canvas = new OffscreenCanvas(w, h);
  const context = canvas.getContext('2d');
  if (!context) throw new Error('no 2d context');
  // JPEG has no transparency: transparent pixels would turn black.
  if (type === 'image/jpeg') {
    context.fillStyle = '#fff';
    context.fillRect(0, 0, w, h);
  }
  context.imageSmoothingQuality = 'high';
  context.drawImage(bitmap, 0, 0, w, h);
  return canvas;
}

/**
 * The thumbnail of image `blob`, declared as `type`; undefined when `type` is not one shown
 * inline, when the bytes do not decode as an image, or when nothing fits. Never throws.
 */
export async function makeThumb(blob: Blob, type: string): Promise<MadeThumb | undefined> {
  if (!PREVIEW_TYPES.has(type)) return undefined;
  let bitmap: ImageBitmap | undefined;
  try {
    // A Blob decodes as a raster image only: an SVG or HTML page here fails to decode.
    bitmap = await createImageBitmap(blob);
    // A manifest names at most 100,000 pixels a side.
    if (Math.max(bitmap.width, bitmap.height) > MAX_IMAGE_SIDE) return undefined;
    const out = await thumbType();
    for (const side of SIDES) {
      const canvas = drawn(bitmap, side, out);
      for (const quality of QUALITIES) {
        const encoded = await canvas.convertToBlob({ type: out, quality });
        if (encoded.type !== out || encoded.size > MAX_THUMB_BYTES) continue;
        const data = toBase64Url(new Uint8Array(await encoded.arrayBuffer()));
        const thumb: Thumb = { type: out, data, w: canvas.width, h: canvas.height };
        return { thumb, w: bitmap.width, h: bitmap.height };
      }
    }
    return undefined;
  } catch {
    return undefined;
  } finally {
    bitmap?.close();
  }
}
