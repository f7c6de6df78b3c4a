// Field values as hash sets write them: hex digests in either case, flags as booleans or words,
// numbers as numbers or digit strings. Each reader returns `undefined` for a value that is present
// but unreadable, so the record can be reported as malformed with the field named.

export const DIGEST_BYTES = { md5: 16, sha1: 20, sha256: 32, pdq: 32, blockhash: 32 } as const;

export type DigestKind = keyof typeof DIGEST_BYTES;

export type PlainDigest = 'md5' | 'sha1' | 'sha256';

/** Raw bytes of a hex digest of `bytes` bytes (either case), or null when the text is not exactly that. */
export function hexDigest(text: string, bytes: number): Buffer | null {
  if (text.length !== bytes * 2) return null;
  // Buffer.from stops at the first pair that is not hex, so a full length means every digit was hex.
  const raw = Buffer.from(text, 'hex');
  return raw.length === bytes ? raw : null;
}

/** The plain digest a hex string of this length is (32 MD5, 40 SHA-1, 64 SHA-256), or null. */
export function digestByLength(length: number): PlainDigest | null {
  return length === 32 ? 'md5' : length === 40 ? 'sha1' : length === 64 ? 'sha256' : null;
}

const HEX_RUN = /^[0-9a-fA-F]+$/;

export function isHex(text: string): boolean {
  return HEX_RUN.test(text);
}

/** Absent, null, or blank: the source says nothing. */
export function isBlank(value: unknown): boolean {
  return value === undefined || value === null || (typeof value === 'string' && value.trim() === '');
}

const TRUE_WORDS = new Set(['true', 'yes', 'y', '1', 't']);
const FALSE_WORDS = new Set(['false', 'no', 'n', '0', 'f']);

/** JSON booleans, or true/false, yes/no, y/n, 1/0 in any case; null when blank; undefined when unreadable. */
export function flag(value: unknown): boolean | null | undefined {
  if (typeof value === 'boolean') return value;
  if (isBlank(value)) return null;
  if (typeof value === 'number') return value === 1 ? true : value === 0 ? false : undefined;
  if (typeof value !== 'string') return undefined;
  const word = value.trim().toLowerCase();
  return TRUE_WORDS.has(word) ? true : FALSE_WORDS.has(word) ? false : undefined;
}

const DIGITS = /^\d{1,15}$/;

/** A whole number >= 0, as a number or a digit string; null when blank; undefined when unreadable. */
export function wholeNumber(value: unknown): number | null | undefined {
  if (typeof value === 'number') return Number.isSafeInteger(value) && value >= 0 ? value : undefined;
  if (isBlank(value)) return null;
  if (typeof value !== 'string') return undefined;
  const text = value.trim();
  return DIGITS.test(text) ? Number(text) : undefined;
}

/** PDQ quality: a whole number 0-100. */
export function pdqQuality(value: unknown): number | null | undefined {
  const n = wholeNumber(value);
  return n === undefined || n === null ? n : n <= 100 ? n : undefined;
}

/** Text as given; null when blank; numbers and booleans as their text. */
export function text(value: unknown): string | null | undefined {
  if (isBlank(value)) return null;
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return undefined;
}

/** A short, printable rendering of a bad value for a malformed-line reason. */
export function shown(value: unknown): string {
  const raw = typeof value === 'string' ? value : (JSON.stringify(value) ?? String(value));
  const cut = raw.length > 40 ? `${raw.slice(0, 37)}...` : raw;
  let clean = '';
  for (const ch of cut) clean += ch < ' ' || ch === '\x7f' ? '?' : ch;
  return `'${clean}'`;
}
