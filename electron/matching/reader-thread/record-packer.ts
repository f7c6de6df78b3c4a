// The packer a reader may pre-pack with (importers/types.ts RecordPacker): custos-native's VICS
// media packer (native/src/vics_pack.cc: the common record shape, byte for byte what the
// TypeScript path gives, declining everything else), and the splitter that finds the records in
// the file's bytes (native/src/json_split.cc). Null without the addon: the reader then reads
// every record itself.
import { createRequire } from 'node:module';
import type { ObjectSplitter, RecordPacker } from '../importers/index.js';
import { recordKeys } from '../key-sort.js';
import { IDENTITY_WIDTH } from './identity.js';

type NativePacked = { next: number; entries: number; rows: string; digests: Uint8Array; identityRecords: Uint8Array; categorised: boolean };
type PackVicsMedia = (text: Uint8Array, ends: Uint32Array, start: number, starts?: Uint32Array) => NativePacked;
type Native = { readonly packVicsMedia?: PackVicsMedia; readonly splitJsonObjects?: ObjectSplitter };

function load(): Native | null {
  if (process.env.CUSTOS_NO_NATIVE === '1') return null;
  try {
    return createRequire(import.meta.url)('custos-native') as Native;
  } catch {
    return null;
  }
}

export function vicsRecordPacker(packVicsMedia: PackVicsMedia | null = load()?.packVicsMedia ?? null): RecordPacker | null {
  if (packVicsMedia === null) return null;
  return (text, ends, start, starts) => {
    const r = packVicsMedia(text, ends, start, starts);
    if (r.entries === 0) return { next: r.next, packed: null };
    return {
      next: r.next,
      packed: { rows: r.rows, digests: r.digests, identities: recordKeys(r.identityRecords, IDENTITY_WIDTH), count: r.entries, categorised: r.categorised },
    };
  };
}

export function vicsObjectSplitter(): ObjectSplitter | null {
  return load()?.splitJsonObjects ?? null;
}
