// The packer a reader may pre-pack with (importers/types.ts RecordPacker): custos-native's VICS
// media packer (native/src/vics_pack.cc: the common record shape, byte for byte what the
// TypeScript path gives, declining everything else). Null without the addon: the reader then
// reads every record itself.
import { createRequire } from 'node:module';
import type { RecordPacker } from '../importers/index.js';
import { recordKeys } from '../key-sort.js';
import { IDENTITY_WIDTH } from './identity.js';

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

export function vicsRecordPacker(packVicsMedia: PackVicsMedia | null = load()): RecordPacker | null {
  if (packVicsMedia === null) return null;
  return (text, ends, start) => {
    const r = packVicsMedia(text, ends, start);
    if (r.entries === 0) return { next: r.next, packed: null };
    return {
      next: r.next,
      packed: { rows: r.rows, digests: r.digests, identities: recordKeys(r.identityRecords, IDENTITY_WIDTH), count: r.entries, categorised: r.categorised },
    };
  };
}
