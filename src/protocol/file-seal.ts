/**
 * Sealing a file's chunks with the room key, as raw bytes (no base64, no JSON): a sealed chunk
 * is its fresh 12-byte IV then the AES-256-GCM ciphertext and 16-byte tag, with
 * `parley-file/1|<nonce>|<part>` as additional data. The nonce is the file's own (16 random
 * bytes, in its manifest), so a chunk moved to another part or another file no longer opens.
 * The same code runs in browsers and in Node (WebCrypto).
 */

/** Bytes of the IV in front of a sealed chunk. */
export const CHUNK_IV_BYTES = 12;
/** Bytes a sealed chunk has beyond its plaintext: the IV and the GCM tag. */
export const SEAL_OVERHEAD = CHUNK_IV_BYTES + 16;
/** Random bytes of a file's nonce (22 base64url characters in the manifest). */
export const FILE_NONCE_BYTES = 16;

const encoder = new TextEncoder();

/** The additional data that binds a sealed chunk to its file and part. */
function aadOf(nonce: string, part: number): Uint8Array<ArrayBuffer> {
  return encoder.encode(`parley-file/1|${nonce}|${part}`);
}

/** `plain` sealed with `key` as part `part` of the file whose nonce is `nonce`. */
export async function sealChunk(
  key: CryptoKey,
  nonce: string,
  part: number,
  plain: Uint8Array,
): Promise<Uint8Array> {
  const iv = crypto.getRandomValues(new Uint8Array(CHUNK_IV_BYTES));
  const ct = await crypto.subtle.encrypt(
    { name: 'AES-GCM', iv, additionalData: aadOf(nonce, part) },
    key,
    plain as Uint8Array<ArrayBuffer>,
  );
  const sealed = new Uint8Array(CHUNK_IV_BYTES + ct.byteLength);
  sealed.set(iv);
  sealed.set(new Uint8Array(ct), CHUNK_IV_BYTES);
  return sealed;
}

/**
 * The plaintext of `sealed`, part `part` of the file whose nonce is `nonce`; undefined when it
 * does not open with `key` (another key, part or file, or changed bytes). Never throws.
 */
export async function openChunk(
  key: CryptoKey,
  nonce: string,
  part: number,
  sealed: Uint8Array,
): Promise<Uint8Array | undefined> {
  if (sealed.length < SEAL_OVERHEAD) return undefined;
  try {
    const plain = await crypto.subtle.decrypt(
      {
        name: 'AES-GCM',
        iv: sealed.slice(0, CHUNK_IV_BYTES),
        additionalData: aadOf(nonce, part),
      },
      key,
      sealed.subarray(CHUNK_IV_BYTES) as Uint8Array<ArrayBuffer>,
    );
    return new Uint8Array(plain);
  } catch {
    return undefined;
  }
}
