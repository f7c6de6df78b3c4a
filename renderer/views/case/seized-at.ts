// <input type="datetime-local"> gives wall-clock time with no zone ("2026-03-01T14:30"). The
// engine wants ISO 8601 with an offset, and custody must record the offset the investigator was
// in, so the value is read as local time and written with this workstation's offset at that date.

function pad(value: number): string {
  return String(Math.abs(value)).padStart(2, '0');
}

/** "2026-03-01T14:30" → "2026-03-01T14:30:00-06:00"; null for an empty or impossible value. */
export function localInputToIso(value: string): string | null {
  const match = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?$/.exec(value);
  if (!match) return null;
  const [, y, mo, d, h, mi, s = '00'] = match;
  const date = new Date(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s));
  if (Number.isNaN(date.getTime())) return null;
  const offset = -date.getTimezoneOffset();
  const sign = offset >= 0 ? '+' : '-';
  const zone = `${sign}${pad(Math.trunc(offset / 60))}:${pad(offset % 60)}`;
  return `${y}-${mo}-${d}T${h}:${mi}:${s}${zone}`;
}
