/**
 * How a chunk frame travels on a data channel, beside the JSON text frames: one binary message
 * of a tag byte, the head's length (2 bytes, big-endian), the head as UTF-8 JSON, then the raw
 * bytes. The tag is no byte a JSON text starts with, so a member of the version before files
 * (which decodes binary messages as text and parses them as JSON) ignores the frame.
 */
import { MAX_CHUNK_FRAME } from '../protocol/file-events.js';

/** First byte of every chunk frame. */
export const CHUNK_TAG = 0x01;
/** Longest head, in bytes of UTF-8 (a real one is about 120). */
export const MAX_HEAD_BYTES = 512;
/** Longest chunk frame on the wire. */
export const MAX_WIRE_FRAME = 3 + MAX_HEAD_BYTES + MAX_CHUNK_FRAME;

const encoder = new TextEncoder();
const decoder = new TextDecoder('utf-8', { fatal: true });

/** The wire form of a chunk frame; throws if the head's JSON is longer than {@link MAX_HEAD_BYTES}. */
export function encodeChunk(head: unknown, bytes: Uint8Array): Uint8Array {
  const json = encoder.encode(JSON.stringify(head));
  if (json.byteLength > MAX_HEAD_BYTES) throw new RangeError('chunk head too long');
  const frame = new Uint8Array(3 + json.byteLength + bytes.byteLength);
  frame[0] = CHUNK_TAG;
  frame[1] = json.byteLength >> 8;
  frame[2] = json.byteLength & 0xff;
  frame.set(json, 3);
  frame.set(bytes, 3 + json.byteLength);
  return frame;
}

/** Whether a binary message is a chunk frame (by its tag; the rest is checked by decoding). */
export function isChunkFrame(data: Uint8Array): boolean {
  return data.byteLength > 0 && data[0] === CHUNK_TAG;
}

/**
 * The head (parsed JSON, not yet checked against `ChunkHeadSchema`) and the bytes (a view into
 * `data`, no copy) of a chunk frame; undefined when it is not one, is truncated, has a head over
 * {@link MAX_HEAD_BYTES} or that is not UTF-8 JSON. Never throws.
 */
export function decodeChunk(data: Uint8Array): { head: unknown; bytes: Uint8Array } | undefined {
  if (data.byteLength < 3 || data[0] !== CHUNK_TAG) return undefined;
  const length = (data[1]! << 8) | data[2]!;
  if (length > MAX_HEAD_BYTES || data.byteLength < 3 + length) return undefined;
  try {
    const head: unknown = JSON.parse(decoder.decode(data.subarray(3, 3 + length)));
    return { head, bytes: data.subarray(3 + length) };
  } catch {
    return undefined;
  }
}
