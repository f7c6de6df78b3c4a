// What one central directory record is, and whether its data may be read. The same verdict is
// given when the archive is listed and again when an entry is opened, so a locator made by hand
// (or from an older listing) cannot read what the listing refused.
import type { RawEntry } from './zip-archive.js';
import type { ZipLimits } from './zip-limits.js';
import { entryName } from './zip-names.js';

export type ZipEntryKind = 'file' | 'directory' | 'symlink' | 'encrypted' | 'refused';

export type ZipEntry = {
  /** Position in the central directory: the entry's identity within its archive. */
  readonly index: number;
  /** Display name: confined to the archive, odd bytes as `\xNN` (see zip-names.ts). */
  readonly name: string;
  /** The name as stored: UTF-8 or CP437 text per general purpose bit 11, `hex:...` if bit 11 lies. */
  readonly rawName: string;
  /** Declared uncompressed size. */
  readonly size: number;
  readonly compressedSize: number;
  /**
   * ISO 8601. From the Info-ZIP extended timestamp or NTFS extra field: UTC, with `Z`. From the
   * DOS date and time: the archiving machine's wall clock, zone unknown, so written without a zone
   * designator. null when the DOS date is unset or impossible.
   */
  readonly mtime: string | null;
  readonly kind: ZipEntryKind;
  /** Why an entry is refused or encrypted, or which parts of its name were neutralised. */
  readonly reason: string | null;
};

const ENCRYPTED = 0x1;
const S_IFMT = 0o170000;
const S_IFDIR = 0o040000;
const S_IFLNK = 0o120000;

const METHODS: Readonly<Record<number, string>> = {
  1: 'shrink',
  6: 'implode',
  9: 'deflate64',
  12: 'bzip2',
  14: 'lzma',
  93: 'zstd',
  95: 'xz',
  98: 'ppmd',
  99: 'aes',
};

export function formatBytes(bytes: number): string {
  const units = ['bytes', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return unit === 0 ? `${bytes} bytes` : `${value.toFixed(1)} ${units[unit] ?? ''}`;
}

const pad = (n: number, width = 2): string => String(n).padStart(width, '0');

function entryTime(entry: RawEntry): string | null {
  for (const field of entry.extraFields) {
    if (field.id === 0x5455 && field.data.length >= 5 && ((field.data[0] ?? 0) & 1) !== 0) {
      return new Date(field.data.readInt32LE(1) * 1000).toISOString();
    }
    if (field.id === 0x000a && field.data.length === 32 && field.data.readUInt16LE(4) === 1 && field.data.readUInt16LE(6) === 24) {
      const ticks = field.data.readBigUInt64LE(8); // 100 ns since 1601-01-01 UTC
      const ms = Number(ticks / 10_000n) - 11_644_473_600_000;
      const date = new Date(ms);
      if (!Number.isNaN(date.getTime())) return date.toISOString();
    }
  }
  const date = entry.lastModFileDate;
  const time = entry.lastModFileTime;
  const [year, month, day] = [(date >> 9) + 1980, (date >> 5) & 0xf, date & 0x1f];
  const [hour, minute, second] = [time >> 11, (time >> 5) & 0x3f, (time & 0x1f) * 2];
  if (date === 0 || month < 1 || month > 12 || day < 1 || hour > 23 || minute > 59 || second > 59) return null;
  return `${year}-${pad(month)}-${pad(day)}T${pad(hour)}:${pad(minute)}:${pad(second)}.000`;
}

export type DataRefusal = { readonly code: 'limit' | 'unsupported' | 'corrupt'; readonly message: string };

/** Why the entry's data must not be read, or null if it may be (within the checks on the stream). */
export function dataRefusal(entry: RawEntry, archiveSize: number, limits: ZipLimits): DataRefusal | null {
  const { compressionMethod: method, compressedSize, uncompressedSize } = entry;
  if (method !== 0 && method !== 8) {
    const known = METHODS[method];
    return { code: 'unsupported', message: `unsupported compression method ${method}${known === undefined ? '' : ` (${known})`}` };
  }
  if (method === 0 && compressedSize !== uncompressedSize) {
    return {
      code: 'corrupt',
      message: `stored entry whose declared sizes disagree (${compressedSize} stored, ${uncompressedSize} declared)`,
    };
  }
  if (entry.relativeOffsetOfLocalHeader + compressedSize > archiveSize) {
    return { code: 'corrupt', message: 'entry data lies beyond the end of the archive (truncated?)' };
  }
  if (uncompressedSize > limits.maxTotalExpandedBytes) {
    const message = `declared size ${formatBytes(uncompressedSize)} exceeds the ${formatBytes(limits.maxTotalExpandedBytes)} limit`;
    return { code: 'limit', message };
  }
  if (uncompressedSize > limits.ratioCheckMinBytes && uncompressedSize > compressedSize * limits.maxExpansionRatio) {
    const ratio = compressedSize === 0 ? 'unbounded' : `${Math.round(uncompressedSize / compressedSize)}:1`;
    return { code: 'limit', message: `expansion ratio ${ratio} exceeds the ${limits.maxExpansionRatio}:1 limit (zip bomb?)` };
  }
  return null;
}

export function describeEntry(entry: RawEntry, index: number, archiveSize: number, limits: ZipLimits): ZipEntry {
  const name = entryName(entry.fileNameRaw, entry.generalPurposeBitFlag, entry.extraFields);
  const fileType = (entry.externalFileAttributes >>> 16) & S_IFMT;
  const reasons: string[] = [];
  let kind: ZipEntryKind;
  if (name.isDirectory || fileType === S_IFDIR) {
    kind = 'directory';
  } else if ((entry.generalPurposeBitFlag & ENCRYPTED) !== 0) {
    kind = 'encrypted';
    reasons.push('encrypted: not read');
  } else {
    const refusal = dataRefusal(entry, archiveSize, limits);
    kind = refusal !== null ? 'refused' : fileType === S_IFLNK ? 'symlink' : 'file';
    if (refusal !== null) reasons.push(refusal.message);
  }
  if (name.issues.length > 0) reasons.push(`unsafe name neutralised (${name.issues.join(', ')})`);
  return {
    index,
    name: name.name,
    rawName: name.rawName,
    size: entry.uncompressedSize,
    compressedSize: entry.compressedSize,
    mtime: entryTime(entry),
    kind,
    reason: reasons.length > 0 ? reasons.join('; ') : null,
  };
}
