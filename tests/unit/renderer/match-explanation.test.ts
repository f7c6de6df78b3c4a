import i18next, { type TFunction } from 'i18next';
import { beforeAll, describe, expect, it } from 'vitest';
import type { MatchExplanation } from '../../../electron/api/contract';
import en from '../../../renderer/i18n/en.json';
import es from '../../../renderer/i18n/es.json';
import { explainMatch } from '../../../renderer/views/items/match-explanation';

const BASE: MatchExplanation = {
  hashset: 'unit VICS',
  kind: 'alert',
  entryId: 1234,
  method: 'md5',
  distance: 0,
  orientation: null,
  setCategory: 1,
  setScheme: 'vics-us',
  category: '1',
  series: null,
  victimIdentified: null,
  hasPhotoDna: false,
  entryHash: 'd41d8cd98f00b204e9800998ecf8427e',
};

let tEn: TFunction;
let tEs: TFunction;
beforeAll(async () => {
  const make = async (lng: 'en' | 'es') => {
    const instance = i18next.createInstance();
    await instance.init({ lng, resources: { en: { translation: en }, es: { translation: es } }, interpolation: { escapeValue: false } });
    return instance.t;
  };
  tEn = await make('en');
  tEs = await make('es');
});

describe('a hash-set match put into words', () => {
  it('says an exact match is identical, which entry of which set, and the category in the case', () => {
    const m = explainMatch(BASE, 'vics-us', tEn, 'en');
    expect(m.how).toBe('Identical to entry 1234 of “unit VICS” (MD5).');
    expect(m.effect).toBe('“unit VICS” is an alert set: a match makes the item Known.');
    expect(m.category).toBe('Category in this case: 1 - Child sexual abuse material.');
    expect(m.needsGrading).toBe(false);

    const s = explainMatch(BASE, 'vics-us', tEs, 'es');
    expect(s.how).toBe('Idéntico a la entrada 1234 de “unit VICS” (MD5).');
    expect(s.category).toBe('Categoría en este caso: 1 - Material de abuso sexual infantil.');
  });

  it('gives a PDQ match its distance out of 256 bits and the orientation that matched', () => {
    const pdq = { ...BASE, entryId: 88, hashset: 'unit PDQ', method: 'pdq' as const, distance: 6, orientation: 'flipX' };
    expect(explainMatch(pdq, 'vics-us', tEn, 'en').how).toBe('Visually similar to entry 88 of “unit PDQ”: PDQ distance 6 of 256 bits, matched after flipping it upside down.');
    expect(explainMatch(pdq, 'vics-us', tEs, 'es').how).toBe(
      'Visualmente similar a la entrada 88 de “unit PDQ”: distancia PDQ de 6 de 256 bits, coincide tras voltearlo de arriba abajo.',
    );
    expect(explainMatch({ ...pdq, orientation: 'original' }, 'vics-us', tEn, 'en').how).toMatch(/6 of 256 bits, in the same orientation\.$/);
  });

  it('shows how a category was carried from another scheme, or that it could not be', () => {
    const caid = { ...BASE, setScheme: 'caid-uk', setCategory: 2, category: '1' };
    expect(explainMatch(caid, 'vics-us', tEn, 'en').category).toBe(
      'Graded “Category B” in CAID (United Kingdom) → “1 - Child sexual abuse material” in this case\'s scheme.',
    );
    const unmapped = explainMatch({ ...BASE, setScheme: 'vics-us', setCategory: 1, category: null }, 'caid-uk', tEn, 'en');
    expect(unmapped.category).toBe(
      'Graded “1 - Child sexual abuse material” in VICS (United States): no single equivalent in this case\'s scheme, so it needs grading.',
    );
    expect(unmapped.needsGrading).toBe(true);
    const es2 = explainMatch({ ...BASE, setScheme: 'vics-us', setCategory: 1, category: null }, 'caid-uk', tEs, 'es');
    expect(es2.category).toContain('no tiene un equivalente único en el esquema de este caso');
  });

  it('an ignorable set grades nothing; an alert set without a category needs grading', () => {
    const ignorable = explainMatch({ ...BASE, kind: 'ignorable', setCategory: null, setScheme: 'none', category: null }, 'vics-us', tEn, 'en');
    expect(ignorable.category).toBeNull();
    expect(ignorable.needsGrading).toBe(false);
    expect(ignorable.effect).toContain('ignorable set of known, harmless files');
    const bare = explainMatch({ ...BASE, setCategory: null, setScheme: 'none', category: null }, 'vics-us', tEn, 'en');
    expect(bare.category).toBe('The set gives no category: a reviewer must grade the item.');
    expect(bare.needsGrading).toBe(true);
  });

  it('adds what else the entry records', () => {
    const m = explainMatch({ ...BASE, series: 'series-7', victimIdentified: true, hasPhotoDna: true }, 'vics-us', tEn, 'en');
    expect(m.details).toEqual([
      'Series: series-7.',
      'The set records the victim as identified.',
      'The entry also carries a PhotoDNA hash, which Custos does not compare.',
    ]);
  });
});
