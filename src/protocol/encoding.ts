/**
 * Bytes as text for the wire: base64url without padding (RFC 4648 §5), the alphabet that is
 * safe in ids, URLs and URL fragments. Works the same in browsers and in Node.
 */

/** `bytes` as base64url text, without padding. */
export function toBase64Url(bytes: Uint8Array): string {
  let binary = '';
  // In chunks: a spread of a long array would overflow the argument limit.
  for (let i = 0; i < bytes.length; i += 8192)
    binary += String.fromCharCode(...bytes.subarray(i, i + 8192));
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/** The bytes of base64url `text`, or undefined when it is not base64url. */
export function fromBase64Url(text: string): Uint8Array<ArrayBuffer> | undefined {
  if (!/^[A-Za-z0-9_-]*$/.test(text) || text.length % 4 === 1) return undefined;
  const binary = atob(text.replace(/-/g, '+').replace(/_/g, '/'));
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}
