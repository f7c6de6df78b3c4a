// The packers a reader may pre-pack with (importers/types.ts RecordPackers): custos-native's
// VICS media packer (native/src/vics_pack.cc: the common record shape, byte for byte what the
// TypeScript path gives, declining everything else), and pack.ts for the records it declines.
// Null without the addon: the reader then reads every record itself.
import { createRequire } from 'node:module';
import type { ImportedEntry, PrepackedEntries, RecordPackers } from '../importers/index.js';
import { recordKeys } from '../key-sort.js';
import { IDENTITY_WIDTH } from './identity.js';
import { packEntries } from './pack.js';

type NativePacked = { next: number; entries: number; rows: string; digests: Uint8Array; identityRecords: Uint8Array; categorised: boolean };
type PackVicsMedia = (text: Uint8Array, ends: Uint32Array, start: number) => NativePacked;

function load(): PackVicsMedia | null {
  if (process.env.CUSTOS_NO_NATIVE === '1') return null;
  try {
    const native = createRequire(import.meta.url)('custos-native') as { packVicsMedia?: unknown };
    return typeof native.packVicsMedia === 'function' ? (native.packVicsMedia as PackVicsMedia) : null;
  } catch {
    return null;
  }
}

/** Entries read the usual way, packed as the chunk packer packs them. */
export function prepackEntries(entries: readonly ImportedEntry[]): PrepackedEntries {
  const packed = packEntries(entries);
  return { rows: packed.rows.slice(1, -1), digests: packed.digests, identities: packed.identities, count: entries.length, categorised: packed.categorised };
}

export function vicsRecordPackers(packVicsMedia: PackVicsMedia | null = load()): RecordPackers | null {
  if (packVicsMedia === null) return null;
  return {
    records: (text, ends, start) => {
      const r = packVicsMedia(text, ends, start);
      if (r.entries === 0) return { next: r.next, packed: null };
      return {
        next: r.next,
        packed: { rows: r.rows, digests: r.digests, identities: recordKeys(r.identityRecords, IDENTITY_WIDTH), count: r.entries, categorised: r.categorised },
      };
    },
    entries: prepackEntries,
  };
}
