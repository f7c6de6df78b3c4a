// Chunks carry their rows' JSON as UTF-8 bytes, from native code that copies names and series
// from the file as they lie. The store takes only well-formed text, and a hash set may hold any
// bytes: each ill-formed sequence becomes U+FFFD, as it did when rows crossed as JS strings.
import { isUtf8 } from 'node:buffer';

const encoder = new TextEncoder();

/** `bytes` when they are well-formed UTF-8, else their text with replacements, in an ArrayBuffer of its own. */
export function wellFormedUtf8(bytes: Uint8Array): Uint8Array {
  if (isUtf8(bytes)) return bytes;
  // Decoded as Buffer decodes (V8's decoder), so either path of a reader gives the same text.
  return encoder.encode(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8'));
}

/** JSON text as the bytes a chunk carries, in an ArrayBuffer of its own (transferable). */
export function utf8Rows(json: string): Uint8Array {
  return encoder.encode(json);
}
