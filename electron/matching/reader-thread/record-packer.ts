// The packer a reader may pre-pack with (importers/types.ts RecordPacker): custos-native's VICS
// media packer (native/src/vics_pack.cc: the common record shape, byte for byte what the
// TypeScript path gives, declining everything else), and the splitter that finds the records in
// the file's bytes (native/src/json_split.cc). Null without the addon: the reader then reads
// every record itself. The packer copies text from the file's bytes, which need not be UTF-8.
import { wellFormedUtf8, type ObjectSplitter, type RecordPacker } from '../importers/index.js';
import { recordKeys } from '../key-sort.js';
import { nativeAddon } from '../../native/custos-native.js';
import { IDENTITY_WIDTH } from './identity.js';

type NativePacked = { next: number; entries: number; rows: Uint8Array; digests: Uint8Array; identityRecords: Uint8Array; categorised: boolean };
type PackVicsMedia = (text: Uint8Array, ends: Uint32Array, start: number, starts?: Uint32Array) => NativePacked;
type Native = { readonly packVicsMedia: PackVicsMedia; readonly splitJsonObjects: ObjectSplitter };

export function vicsRecordPacker(packVicsMedia: PackVicsMedia | null = nativeAddon<Native>()?.packVicsMedia ?? null): RecordPacker | null {
  if (packVicsMedia === null) return null;
  return (text, ends, start, starts) => {
    const r = packVicsMedia(text, ends, start, starts);
    if (r.entries === 0) return { next: r.next, packed: null };
    return {
      next: r.next,
      packed: { rows: wellFormedUtf8(r.rows), digests: r.digests, identities: recordKeys(r.identityRecords, IDENTITY_WIDTH), count: r.entries, categorised: r.categorised },
    };
  };
}

export function vicsObjectSplitter(): ObjectSplitter | null {
  return nativeAddon<Native>()?.splitJsonObjects ?? null;
}
