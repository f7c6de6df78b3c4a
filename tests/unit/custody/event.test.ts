import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { GENESIS_PREV, canonicalJson, eventHash } from '../../../electron/custody/event.js';

describe('custody event hash', () => {
  it('is SHA-256 over the RFC 8785 form: keys sorted, no whitespace, numbers and strings canonical', () => {
    const event = {
      seq: 1,
      time: '2026-01-01T00:00:00.000Z',
      actor: 'alice',
      action: 'store.create',
      subject: 'store/x',
      details: { z: [1, 1.5, 1e21], a: 'Ñandú "quoted"\n' },
      prev: GENESIS_PREV,
    };
    // Written out by hand from RFC 8785, not produced by the code under test.
    const expected =
      '{"action":"store.create","actor":"alice","details":{"a":"Ñandú \\"quoted\\"\\n","z":[1,1.5,1e+21]},' +
      `"prev":"${'0'.repeat(64)}","seq":1,"subject":"store/x","time":"2026-01-01T00:00:00.000Z"}`;
    expect(canonicalJson(event)).toBe(expected);
    expect(eventHash(event)).toBe(createHash('sha256').update(expected, 'utf8').digest('hex'));
  });

  it('changes when any field changes', () => {
    const base = { seq: 2, time: '2026-01-01T00:00:00.000Z', actor: 'a', action: 'x.y', subject: 's', details: {}, prev: GENESIS_PREV };
    const h = eventHash(base);
    for (const changed of [{ seq: 3 }, { actor: 'b' }, { action: 'x.z' }, { subject: 't' }, { details: { k: 1 } }, { prev: '1'.repeat(64) }]) {
      expect(eventHash({ ...base, ...changed })).not.toBe(h);
    }
  });
});
