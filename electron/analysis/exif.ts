// EXIF through exifr with reviveValues off: its date revival would read the strings in the
// host's time zone, and a camera's local time must stay exactly what the camera wrote.
import exifr from 'exifr';

export type ExifSummary = {
  readonly make: string | null;
  readonly model: string | null;
  /** As recorded, "YYYY-MM-DDTHH:MM:SS" plus the offset when the camera wrote one; no zone is invented. */
  readonly dateTimeOriginal: string | null;
  readonly gps: { readonly lat: number; readonly lon: number } | null;
  readonly orientation: number | null;
  readonly serialNumbers: Readonly<Record<string, string>>;
};

const SERIAL_TAGS = ['SerialNumber', 'BodySerialNumber', 'LensSerialNumber', 'InternalSerialNumber', 'CameraSerialNumber'] as const;

const text = (v: unknown): string | null => {
  if (typeof v === 'number') return String(v);
  if (typeof v !== 'string') return null;
  // Cameras pad fixed-size fields with NULs and spaces.
  const t = v.replace(/\0+$/, '').trim();
  return t === '' ? null : t;
};

function exifDate(raw: unknown, offset: unknown): string | null {
  const s = text(raw);
  const m = s && /^(\d{4}):(\d{2}):(\d{2})[ T](\d{2}):(\d{2}):(\d{2})/.exec(s);
  if (!m) return null;
  const zone = text(offset);
  return `${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6]}${zone && /^[+-]\d{2}:\d{2}$/.test(zone) ? zone : ''}`;
}

function gpsOf(tags: Record<string, unknown>): { lat: number; lon: number } | null {
  const lat = tags.latitude;
  const lon = tags.longitude;
  if (typeof lat !== 'number' || typeof lon !== 'number' || !Number.isFinite(lat) || !Number.isFinite(lon)) return null;
  if (Math.abs(lat) > 90 || Math.abs(lon) > 180) return null;
  return { lat, lon };
}

/** The summary, or null when the file carries no EXIF; malformed EXIF is treated as none. */
export async function readExif(bytes: Uint8Array): Promise<ExifSummary | null> {
  let tags: Record<string, unknown> | undefined;
  try {
    tags = (await exifr.parse(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength), {
      reviveValues: false,
      translateValues: false,
      tiff: true,
      ifd0: {},
      exif: true,
      gps: true,
      interop: false,
      ifd1: false,
      makerNote: false,
      userComment: false,
      xmp: false,
      icc: false,
      iptc: false,
      jfif: false,
      ihdr: false,
    })) as Record<string, unknown> | undefined;
  } catch {
    return null;
  }
  if (!tags) return null;
  const serialNumbers: Record<string, string> = {};
  for (const tag of SERIAL_TAGS) {
    const v = text(tags[tag]);
    if (v) serialNumbers[tag] = v;
  }
  return {
    make: text(tags.Make),
    model: text(tags.Model),
    dateTimeOriginal: exifDate(tags.DateTimeOriginal, tags.OffsetTimeOriginal),
    gps: gpsOf(tags),
    orientation: typeof tags.Orientation === 'number' ? tags.Orientation : null,
    serialNumbers,
  };
}
