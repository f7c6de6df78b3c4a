// File and entry names are bytes. Investigators read them as text, so valid UTF-8 is shown as is
// and everything that could hide or mislead is written as `\xNN` escapes of the original bytes:
// invalid UTF-8, control characters (a newline in a name would split a log line) and the
// invisible direction and zero-width marks used to disguise extensions ("photo\u202Egpj.exe").
// A literal backslash is doubled, so the display form decodes back to the exact bytes.

function isHidden(codePoint: number): boolean {
  return (
    codePoint < 0x20 ||
    (codePoint >= 0x7f && codePoint <= 0x9f) ||
    (codePoint >= 0x200b && codePoint <= 0x200f) ||
    (codePoint >= 0x202a && codePoint <= 0x202e) ||
    (codePoint >= 0x2066 && codePoint <= 0x2069) ||
    codePoint === 0xfeff
  );
}

const isContinuation = (b: number | undefined, lo = 0x80, hi = 0xbf): boolean => b !== undefined && b >= lo && b <= hi;

/** Length of the well-formed UTF-8 sequence at `i` (Unicode table 3-7), or 0 if there is none. */
function sequenceLength(bytes: Uint8Array, i: number): number {
  const b0 = bytes[i] ?? 0;
  if (b0 < 0x80) return 1;
  if (b0 >= 0xc2 && b0 <= 0xdf) return isContinuation(bytes[i + 1]) ? 2 : 0;
  if (b0 >= 0xe0 && b0 <= 0xef) {
    const lo = b0 === 0xe0 ? 0xa0 : 0x80;
    const hi = b0 === 0xed ? 0x9f : 0xbf; // no UTF-16 surrogates
    return isContinuation(bytes[i + 1], lo, hi) && isContinuation(bytes[i + 2]) ? 3 : 0;
  }
  if (b0 >= 0xf0 && b0 <= 0xf4) {
    const lo = b0 === 0xf0 ? 0x90 : 0x80;
    const hi = b0 === 0xf4 ? 0x8f : 0xbf; // nothing above U+10FFFF
    return isContinuation(bytes[i + 1], lo, hi) && isContinuation(bytes[i + 2]) && isContinuation(bytes[i + 3]) ? 4 : 0;
  }
  return 0;
}

const hex2 = (b: number): string => b.toString(16).padStart(2, '0');

export function isValidUtf8(bytes: Uint8Array): boolean {
  for (let i = 0; i < bytes.length; ) {
    const n = sequenceLength(bytes, i);
    if (n === 0) return false;
    i += n;
  }
  return true;
}

function codePointAt(bytes: Uint8Array, i: number, length: number): number {
  const b0 = bytes[i] ?? 0;
  const b1 = (bytes[i + 1] ?? 0) & 0x3f;
  const b2 = (bytes[i + 2] ?? 0) & 0x3f;
  const b3 = (bytes[i + 3] ?? 0) & 0x3f;
  if (length === 1) return b0;
  if (length === 2) return ((b0 & 0x1f) << 6) | b1;
  if (length === 3) return ((b0 & 0x0f) << 12) | (b1 << 6) | b2;
  return ((b0 & 0x07) << 18) | (b1 << 12) | (b2 << 6) | b3;
}

/** Display form of raw name bytes; `unescapeBytes` reverses it exactly. */
export function escapeBytes(bytes: Uint8Array): string {
  let out = '';
  for (let i = 0; i < bytes.length; ) {
    const n = sequenceLength(bytes, i);
    if (n === 0) {
      out += `\\x${hex2(bytes[i] ?? 0)}`;
      i += 1;
      continue;
    }
    const codePoint = codePointAt(bytes, i, n);
    if (isHidden(codePoint)) for (let k = 0; k < n; k += 1) out += `\\x${hex2(bytes[i + k] ?? 0)}`;
    else out += codePoint === 0x5c ? '\\\\' : String.fromCodePoint(codePoint);
    i += n;
  }
  return out;
}

export function unescapeBytes(display: string): Buffer {
  const parts: Buffer[] = [];
  let run = '';
  const flush = (): void => {
    if (run !== '') parts.push(Buffer.from(run, 'utf8'));
    run = '';
  };
  for (let i = 0; i < display.length; i += 1) {
    const c = display[i];
    if (c !== '\\') {
      run += c;
      continue;
    }
    if (display[i + 1] === '\\') {
      run += '\\';
      i += 1;
      continue;
    }
    const hex = display.slice(i + 2, i + 4);
    if (display[i + 1] !== 'x' || !/^[0-9a-f]{2}$/.test(hex)) throw new SyntaxError(`not an escaped name: ${display}`);
    flush();
    parts.push(Buffer.from([Number.parseInt(hex, 16)]));
    i += 3;
  }
  flush();
  return Buffer.concat(parts);
}
