/**
 * The chunk frame's wire form on a data channel (issue 23): a tag byte, the head's length, the
 * head's JSON, the bytes. Round trips, refuses every malformed frame without throwing, and a
 * member of the version before files (which decodes binary as text and parses it as JSON)
 * cannot take a chunk frame for an event.
 */
import { expect } from '@open-wc/testing';
import {
  CHUNK_TAG,
  decodeChunk,
  encodeChunk,
  isChunkFrame,
  MAX_HEAD_BYTES,
} from '../../src/transport/chunk-codec.js';

const head = { room: 'lobby', file: 'F'.repeat(43), part: 7 };

describe('chunk codec', () => {
  it('round-trips a head and bytes, the bytes a view without a copy', () => {
    const bytes = Uint8Array.from({ length: 1000 }, (_, i) => i & 255);
    const frame = encodeChunk(head, bytes);
    expect(frame[0]).to.equal(CHUNK_TAG);
    expect(isChunkFrame(frame)).to.equal(true);
    const out = decodeChunk(frame)!;
    expect(out.head).to.deep.equal(head);
    expect([...out.bytes]).to.deep.equal([...bytes]);
    expect(out.bytes.buffer).to.equal(frame.buffer);
    expect(decodeChunk(encodeChunk(head, new Uint8Array(0)))!.bytes.byteLength).to.equal(0);
  });

  it('refuses a truncated frame, another tag, a head too long or not JSON', () => {
    const frame = encodeChunk(head, new Uint8Array(10));
    const headLength = (frame[1]! << 8) | frame[2]!;
    expect(decodeChunk(frame.subarray(0, 2))).to.equal(undefined);
    expect(decodeChunk(frame.subarray(0, 3 + headLength - 1))).to.equal(undefined);
    const other = frame.slice();
    other[0] = 0x7b; // '{'
    expect(decodeChunk(other)).to.equal(undefined);
    expect(isChunkFrame(other)).to.equal(false);
    const long = frame.slice();
    long[1] = 0xff;
    long[2] = 0xff;
    expect(decodeChunk(long)).to.equal(undefined);
    const garbled = frame.slice();
    garbled[3] = 0xff; // not UTF-8
    expect(decodeChunk(garbled)).to.equal(undefined);
    const notJson = Uint8Array.of(CHUNK_TAG, 0, 3, 0x61, 0x62, 0x63);
    expect(decodeChunk(notJson)).to.equal(undefined);
    expect(() => encodeChunk({ pad: 'x'.repeat(MAX_HEAD_BYTES) }, new Uint8Array(1))).to.throw(
      RangeError,
    );
  });

  it('is not JSON when decoded as text, as a member of the version before files reads it', () => {
    const text = new TextDecoder().decode(encodeChunk(head, new Uint8Array([123, 34, 125])));
    expect(() => JSON.parse(text)).to.throw(SyntaxError);
    expect(text).not.to.equal('\u0000hb');
  });
});
