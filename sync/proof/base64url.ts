// base64url without padding (RFC 7515 §2), on the platform's atob/btoa so the same code runs in
// Node and in a phone's browser (the receipt's verification page); on Node, through its Buffer,
// natively: the registry decodes and encodes a few per record it receives.

interface NodeBuffers {
  from(data: Uint8Array | string, encoding?: 'base64url' | 'utf8'): Uint8Array & { toString(encoding?: 'base64url'): string };
}
const nodeBuffer = (globalThis as { Buffer?: NodeBuffers }).Buffer;

export function encodeBase64url(bytes: Uint8Array): string {
  if (nodeBuffer) return nodeBuffer.from(bytes).toString('base64url');
  let binary = '';
  for (const b of bytes) binary += String.fromCharCode(b);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/** The base64url of a text's UTF-8 bytes; on Node without the TextEncoder's copy (the registry does it for every record of a signed batch). */
export function encodeBase64urlText(text: string): string {
  return nodeBuffer ? nodeBuffer.from(text, 'utf8').toString('base64url') : encodeBase64url(utf8(text));
}

/** The bytes, or undefined for text that is not base64url (padding and other alphabets refused). */
export function decodeBase64url(text: string): Uint8Array | undefined {
  if (!/^[A-Za-z0-9_-]*$/.test(text) || text.length % 4 === 1) return undefined;
  let bytes: Uint8Array;
  if (nodeBuffer) bytes = nodeBuffer.from(text, 'base64url');
  else {
    const binary = atob(text.replace(/-/g, '+').replace(/_/g, '/'));
    bytes = new Uint8Array(binary.length);
    for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  }
  // A text with stray low bits in its last character decodes to the same bytes: refused, so one
  // signature has one spelling (a changed character never verifies).
  return encodeBase64url(bytes) === text ? bytes : undefined;
}

export const utf8 = (text: string): Uint8Array => new TextEncoder().encode(text);
export const fromUtf8 = (bytes: Uint8Array): string => new TextDecoder('utf-8', { fatal: true }).decode(bytes);
