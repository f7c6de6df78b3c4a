// Categories are carried between schemes only where the answer is unambiguous, and conflicts
// between sets resolve to the most severe category of the case's scheme.
import { describe, expect, it } from 'vitest';
import { categoriesOf, mapCategory, mostSevere, severity } from '../../../electron/review/category-schemes.js';

describe('category schemes', () => {
  it('lists each scheme most severe first, with English and Spanish labels', () => {
    for (const scheme of ['vics-us', 'caid-uk'] as const) {
      const codes = categoriesOf(scheme).map((c) => c.code);
      expect(new Set(codes).size).toBe(codes.length);
      for (const c of categoriesOf(scheme)) expect(c.label.en && c.label.es).toBeTruthy();
    }
    expect(severity('vics-us', '1')).toBe(0);
    expect(severity('vics-us', '0')).toBe(4);
    expect(severity('vics-us', '9')).toBeNull();
  });

  it('keeps a code within its own scheme and refuses one the scheme does not have', () => {
    expect(mapCategory('2', 'vics-us', 'vics-us')).toBe('2');
    expect(mapCategory('7', 'vics-us', 'vics-us')).toBeNull();
  });

  it('maps a finer grade to the broader one but never guesses the other way', () => {
    expect(mapCategory('1', 'caid-uk', 'vics-us')).toBe('1');
    expect(mapCategory('3', 'caid-uk', 'vics-us')).toBe('1');
    expect(mapCategory('8', 'caid-uk', 'vics-us')).toBe('0');
    expect(mapCategory('1', 'vics-us', 'caid-uk')).toBeNull();
    expect(mapCategory('0', 'vics-us', 'caid-uk')).toBe('8');
    expect(mapCategory('3', 'vics-us', 'caid-uk')).toBeNull();
  });

  it('resolves conflicts to the most severe category', () => {
    expect(mostSevere('vics-us', ['2', '1', '0'])).toBe('1');
    expect(mostSevere('caid-uk', ['3', '2'])).toBe('2');
    expect(mostSevere('vics-us', ['9', '3'])).toBe('3');
    expect(mostSevere('vics-us', [])).toBeNull();
  });
});
