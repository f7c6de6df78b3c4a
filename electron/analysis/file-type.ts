// Type by content, not by name: a renamed JPEG is still an image, and the mismatch between
// what the name claims and what the bytes are is itself worth recording.
import { fileTypeFromBuffer } from 'file-type';
import { extname } from 'node:path';

/** How many leading bytes detection looks at (file-type's own recommendation). */
export const SNIFF_BYTES = 4100;

export type DetectedType = {
  readonly mime: string;
  /** The extension the content implies, or null when unknown. */
  readonly ext: string | null;
  /** True when the name's extension names a different type than the content. */
  readonly extensionMismatch: boolean;
};

// Extensions that legitimately name the same content type.
const ALIASES: Readonly<Record<string, readonly string[]>> = {
  jpg: ['jpg', 'jpeg', 'jpe', 'jfif'],
  tif: ['tif', 'tiff'],
  heic: ['heic', 'heif'],
  mp4: ['mp4', 'm4v'],
  mov: ['mov', 'qt'],
  zip: ['zip'],
};

function nameExtension(name: string): string | null {
  const ext = extname(name).slice(1).toLowerCase();
  return ext === '' ? null : ext;
}

/**
 * Plain text has no magic number: call it text when the head is valid UTF-8 without control
 * characters other than tab, newline, carriage return and form feed (a cut multi-byte
 * character at the very end of the head is allowed).
 */
function looksLikeText(head: Uint8Array): boolean {
  if (head.length === 0) return false;
  for (const byte of head) {
    if (byte < 0x20 && byte !== 0x09 && byte !== 0x0a && byte !== 0x0d && byte !== 0x0c) return false;
    if (byte === 0x7f) return false;
  }
  const decoded = new TextDecoder('utf-8', { fatal: false }).decode(head);
  const bad = decoded.indexOf('\ufffd');
  return bad === -1 || bad >= decoded.length - 1;
}

export async function detectType(head: Uint8Array, name: string): Promise<DetectedType> {
  const found = await fileTypeFromBuffer(head);
  const claimed = nameExtension(name);
  if (!found) {
    const mime = head.length === 0 ? 'application/x-empty' : looksLikeText(head) ? 'text/plain' : 'application/octet-stream';
    return { mime, ext: null, extensionMismatch: false };
  }
  const accepted = ALIASES[found.ext] ?? [found.ext];
  return { mime: found.mime, ext: found.ext, extensionMismatch: claimed !== null && !accepted.includes(claimed) };
}

export function isImageMime(mime: string): boolean {
  return mime.startsWith('image/');
}

export function isZipMime(mime: string): boolean {
  return mime === 'application/zip';
}
