import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { escapeBytes, isValidUtf8, unescapeBytes } from '../../../electron/intake/display-bytes.js';
import { displayPath, fileLocator, locatorDepth, locatorKey, parseLocator, pathBuffer, zipEntryLocator } from '../../../electron/intake/locator.js';

describe('escapeBytes', () => {
  it('leaves printable UTF-8 as it is, in both languages', () => {
    for (const name of ['Año nuevo/niño.jpg', 'résumé.pdf', '照片.png', 'emoji 📷.heic']) {
      expect(escapeBytes(Buffer.from(name))).toBe(name);
    }
  });

  it('shows invalid UTF-8, controls and direction marks as \\xNN of their bytes, and doubles backslashes', () => {
    expect(escapeBytes(Buffer.from([0x61, 0xff, 0xc3]))).toBe('a\\xff\\xc3');
    expect(escapeBytes(Buffer.from('tab\tnew\nline\x7f'))).toBe('tab\\x09new\\x0aline\\x7f');
    expect(escapeBytes(Buffer.from('photo\u202egpj.exe'))).toBe('photo\\xe2\\x80\\xaegpj.exe');
    expect(escapeBytes(Buffer.from('zero\u200bwidth'))).toBe('zero\\xe2\\x80\\x8bwidth');
    expect(escapeBytes(Buffer.from('a\\x41'))).toBe('a\\\\x41');
    expect(escapeBytes(Buffer.from([0xed, 0xa0, 0x80]))).toBe('\\xed\\xa0\\x80'); // an encoded surrogate is not UTF-8
    expect(escapeBytes(Buffer.from([0xc0, 0xaf]))).toBe('\\xc0\\xaf'); // nor is an overlong '/'
  });

  it('is reversed exactly by unescapeBytes, for any bytes', () => {
    for (let i = 0; i < 2000; i += 1) {
      const bytes = randomBytes(i % 64);
      expect(unescapeBytes(escapeBytes(bytes)).equals(bytes)).toBe(true);
    }
    expect(() => unescapeBytes('bad \\q escape')).toThrow(SyntaxError);
  });

  it('agrees with the UTF-8 validity of Node', () => {
    for (let i = 0; i < 2000; i += 1) {
      const bytes = randomBytes(1 + (i % 8));
      const valid = Buffer.from(bytes.toString('utf8'), 'utf8').equals(bytes);
      expect(isValidUtf8(bytes)).toBe(valid);
    }
  });
});

describe('locators', () => {
  const file = fileLocator(Buffer.concat([Buffer.from('/evidence/src/fotos/'), Buffer.from([0xf1]), Buffer.from('.zip')]));
  const inner = zipEntryLocator(zipEntryLocator(file, 3, 'inner.zip'), 0, 'a.jpg');

  it('display archive paths with !/ relative to the source root', () => {
    expect(displayPath(inner, '/evidence/src')).toBe('fotos/\\xf1.zip!/inner.zip!/a.jpg');
    expect(displayPath(inner, '/evidence/src/')).toBe('fotos/\\xf1.zip!/inner.zip!/a.jpg');
    expect(displayPath(file, '/elsewhere')).toBe('/evidence/src/fotos/\\xf1.zip');
  });

  it('survive JSON and keep their identity and depth', () => {
    const copy = parseLocator(JSON.stringify(inner));
    expect(copy).toEqual(inner);
    expect(locatorKey(copy)).toBe(locatorKey(inner));
    expect(locatorDepth(file)).toBe(0);
    expect(locatorDepth(inner)).toBe(2);
  });

  it('refuse malformed JSON shapes rather than guess', () => {
    for (const bad of [
      '{}',
      '{"kind":"file","path":"/x"}',
      '{"kind":"file","path":{"base64":"not base64!"}}',
      '{"kind":"zip-entry","index":-1,"name":"a","container":{"kind":"file","path":{"base64":""}}}',
      '{"kind":"zip-entry","index":0,"container":{"kind":"file","path":{"base64":""}}}',
      '{"kind":"zip-entry","index":0,"name":"a","container":null}',
    ]) {
      expect(() => parseLocator(bad), bad).toThrow(TypeError);
    }
  });

  it('are absolute, whatever the working directory', () => {
    const relative = fileLocator('some/relative.txt');
    expect(pathBuffer(relative.path).toString()).toBe(`${process.cwd()}/some/relative.txt`);
    expect(displayPath(relative, 'some')).toBe('relative.txt');
  });
});
