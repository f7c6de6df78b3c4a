// Zip entry names, as stored and as shown. A name is whatever bytes the archive's author chose,
// including `../../etc/passwd`, `/x`, `C:\x` and NUL: the display name is confined to the
// archive (no parent, absolute or drive parts, `/` as the only separator) and keeps every odd
// byte visible; the stored name is kept alongside it, exactly.
import { crc32 } from 'node:zlib';
import { escapeBytes, isValidUtf8 } from './display-bytes.js';

// IBM code page 437, the zip default when general purpose bit 11 (UTF-8) is not set.
const CP437 =
  '\u0000☺☻♥♦♣♠•◘○◙♂♀♪♫☼►◄↕‼¶§▬↨↑↓→←∟↔▲▼ !"#$%&\'()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[\\]^_`abcdefghijklmnopqrstuvwxyz{|}~⌂' +
  'ÇüéâäàåçêëèïîìÄÅÉæÆôöòûùÿÖÜ¢£¥₧ƒáíóúñÑªº¿⌐¬½¼¡«»░▒▓│┤╡╢╖╕╣║╗╝╜╛┐└┴┬├─┼╞╟╚╔╩╦╠═╬╧╨╤╥╙╘╒╓╫╪┘┌█▄▌▐▀αßΓπΣσµτΦΘΩδ∞φε∩≡±≥≤⌠⌡÷≈°∙·√ⁿ²■\u00a0';

const UTF8_FLAG = 0x800;
const UNICODE_PATH_FIELD = 0x7075;

export type ExtraField = { readonly id: number; readonly data: Buffer };

export type EntryName = {
  /** Neutralised, confined to the archive, odd bytes as `\xNN`. */
  readonly name: string;
  /** As stored: UTF-8 text (bit 11), CP437 text (no bit 11), or `hex:...` when bit 11 lies. */
  readonly rawName: string;
  /** What had to be neutralised, empty for an ordinary name. */
  readonly issues: readonly string[];
  /** The stored name ends with a separator: a directory entry. */
  readonly isDirectory: boolean;
};

function decodeCp437(bytes: Uint8Array): string {
  let text = '';
  for (const b of bytes) text += CP437[b] ?? '';
  return text;
}

/** CP437 for display: printable ASCII and the graphic upper half as text, controls as escapes. */
function displayCp437(bytes: Uint8Array): string {
  let text = '';
  for (const b of bytes) {
    if (b < 0x20 || b === 0x7f || b === 0xff) text += `\\x${b.toString(16).padStart(2, '0')}`;
    else text += CP437[b] ?? '';
  }
  return text;
}

/** Info-ZIP Unicode Path extra field: honoured only when its CRC matches the stored name (APPNOTE 4.6.9). */
function unicodePath(raw: Buffer, extraFields: readonly ExtraField[]): Buffer | null {
  for (const field of extraFields) {
    if (field.id !== UNICODE_PATH_FIELD || field.data.length < 6 || field.data[0] !== 1) continue;
    if (field.data.readUInt32LE(1) !== crc32(raw)) continue;
    return field.data.subarray(5);
  }
  return null;
}

function splitSegments(bytes: Buffer): { segments: Buffer[]; backslash: boolean } {
  const segments: Buffer[] = [];
  let start = 0;
  let backslash = false;
  for (let i = 0; i <= bytes.length; i += 1) {
    const b = bytes[i];
    if (b !== undefined && b !== 0x2f && b !== 0x5c) continue;
    if (b === 0x5c) backslash = true;
    segments.push(bytes.subarray(start, i));
    start = i + 1;
  }
  return { segments, backslash };
}

export function entryName(raw: Buffer, generalPurposeBitFlag: number, extraFields: readonly ExtraField[]): EntryName {
  const flaggedUtf8 = (generalPurposeBitFlag & UTF8_FLAG) !== 0;
  const rawName = flaggedUtf8
    ? isValidUtf8(raw)
      ? raw.toString('utf8')
      : `hex:${raw.toString('hex')}`
    : decodeCp437(raw);

  const unicode = unicodePath(raw, extraFields);
  const bytes = unicode ?? raw;
  const asUtf8 = unicode !== null || flaggedUtf8;
  const { segments, backslash } = splitSegments(bytes);
  const issues = new Set<string>();
  if (backslash) issues.add('backslash separators');
  const last = raw[raw.length - 1];
  const isDirectory = last === 0x2f || last === 0x5c;

  const kept: string[] = [];
  segments.forEach((segment, i) => {
    let part = segment;
    if (i === 0 && part.length >= 2 && part[1] === 0x3a && /[A-Za-z]/.test(String.fromCharCode(part[0] ?? 0))) {
      issues.add('drive letter');
      part = part.subarray(2);
      if (part.length === 0) return;
    }
    if (part.length === 0) {
      if (bytes.length === 0) issues.add('empty name');
      else if (i === 0) issues.add('absolute path');
      else if (i < segments.length - 1) issues.add('empty segments');
      // else: the trailing separator of a directory entry
      return;
    }
    if (part.length === 1 && part[0] === 0x2e) return; // `.` names the same place: harmless
    if (part.length === 2 && part[0] === 0x2e && part[1] === 0x2e) {
      issues.add('parent-directory segments');
      return;
    }
    if (part.includes(0)) issues.add('NUL byte');
    kept.push(asUtf8 ? escapeBytes(part) : displayCp437(part));
  });
  const name = kept.length > 0 ? kept.join('/') : '(no name)';
  return { name, rawName, issues: [...issues], isDirectory };
}
