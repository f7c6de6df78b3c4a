import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { localInputToIso } from '../../../renderer/views/case/seized-at';

describe('seizure time from a datetime-local input', () => {
  // Node re-reads TZ when it changes: the workstation's zone decides the offset written.
  beforeAll(() => {
    vi.stubEnv('TZ', 'America/Guatemala');
  });
  afterAll(() => {
    vi.unstubAllEnvs();
  });

  it('writes wall-clock time with the workstation offset at that date', () => {
    expect(localInputToIso('2026-03-01T14:30')).toBe('2026-03-01T14:30:00-06:00');
    expect(localInputToIso('2026-03-01T14:30:15')).toBe('2026-03-01T14:30:15-06:00');
  });

  it('follows daylight saving where the zone has it', () => {
    vi.stubEnv('TZ', 'America/New_York');
    expect(localInputToIso('2026-01-15T09:00')).toBe('2026-01-15T09:00:00-05:00');
    expect(localInputToIso('2026-07-15T09:00')).toBe('2026-07-15T09:00:00-04:00');
    vi.stubEnv('TZ', 'America/Guatemala');
  });

  it('refuses empty and malformed values', () => {
    for (const bad of ['', '2026-03-01', '14:30', '2026-03-01 14:30', 'not a date']) expect(localInputToIso(bad)).toBeNull();
  });
});
