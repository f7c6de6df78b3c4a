// Every format against every reader: 'auto' finds the format from the content, and a reader named
// for another format refuses the file (with one line) rather than importing nonsense, except where
// the content really is both (a header-led format is also a generic CSV; bare 64-hex lines are
// SHA-256 and PDQ alike).
import Database from 'better-sqlite3-multiple-ciphers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HASH_SET_FORMATS, HashSetFormatError, type HashSetFormat } from '../../../../electron/matching/importers/index.js';
import { encaseHashFile, HexSource } from '../../../fixtures/hashset-files.js';
import { readAll, readError, TempFiles } from './reading.js';

const files = new TempFiles();
afterAll(() => files.dispose());
const source = new HexSource(21);
const md5 = source.hex(32);
const sha1 = source.hex(40);
const sha256 = source.hex(64);
const pdq = source.hex(64);

/** One small file per format, named without telling extensions. */
const samples: Record<string, { readonly format: HashSetFormat; readonly content: () => string | Buffer }> = {
  vics: { format: 'vics', content: () => JSON.stringify({ '@odata.context': 'http://github.com/ICMEC/ProjectVic/DataModels/2.0.xml/US/$metadata#Media', value: [{ MD5: md5, Category: 1 }] }) },
  nsrl2: { format: 'nsrl', content: () => `"SHA-1","MD5","CRC32","FileName","FileSize","ProductCode","OpSystemCode","SpecialCode"\n"${sha1}","${md5}","00000000","a.dll",1,1,"WIN",""\n` },
  md5: { format: 'md5', content: () => `${md5}  a.jpg\n` },
  sha1: { format: 'sha1', content: () => `${sha1}  a.jpg\n` },
  sha256: { format: 'sha256', content: () => `${sha256}  a.jpg\n` },
  pdq: { format: 'pdq', content: () => `${pdq},100\n` },
  encase: { format: 'encase', content: () => encaseHashFile({ md5s: [md5] }) },
  hashkeeper: { format: 'hashkeeper', content: () => `"file_id","hashset_id","file_name","directory","hash","file_size"\n1,2,"a.jpg",,"${md5}",1\n` },
  icse: { format: 'icse', content: () => `MD5;SHA1;PhotoDNA;Image ID;Victim identified\n${md5};${sha1};;1;N\n` },
  csv: { format: 'csv', content: () => `name,md5\na.jpg,${md5}\n` },
};

/** Cross-reads that are right, not a failure to refuse. */
const ALSO: Record<string, readonly HashSetFormat[]> = {
  nsrl2: ['csv'],
  hashkeeper: ['csv'],
  icse: ['csv'],
};

const paths: Record<string, string> = {};
beforeAll(() => {
  for (const [name, sample] of Object.entries(samples)) paths[name] = files.write(`sample-${name}.dat`, sample.content());
  const db = new Database(files.path('sample-nsrl3.dat'));
  db.exec(`CREATE TABLE FILE (sha256 TEXT, sha1 TEXT, md5 TEXT, crc32 TEXT, file_name TEXT, file_size INTEGER, package_id INTEGER);
    INSERT INTO FILE VALUES ('${sha256}', '${sha1}', '${md5}', '0', 'a.dll', 1, 1);`);
  db.close();
  paths.nsrl3 = files.path('sample-nsrl3.dat');
});

const all = [...Object.entries(samples).map(([name, s]) => [name, s.format] as const), ['nsrl3', 'nsrl'] as const];

describe('format detection', () => {
  it.each(all)('auto reads the %s sample as %s', async (name, format) => {
    const { reader, entries } = await readAll(paths[name] ?? '', 'auto');
    expect(reader.format).toBe(format);
    expect(entries).toHaveLength(1);
  });

  it.each(all)('the %s sample is refused by every other reader', async (name, format) => {
    for (const other of HASH_SET_FORMATS) {
      if (other === format || (ALSO[name] ?? []).includes(other)) continue;
      const error = await readError(paths[name] ?? '', other);
      expect(error, `${name} as ${other}`).toBeInstanceOf(HashSetFormatError);
      expect(error.message, `${name} as ${other}`).not.toContain('\n');
    }
  });

  it('detects by content, not by extension', async () => {
    const misleading = files.write('looks-like.json', `${md5}  a.jpg\n`);
    expect((await readAll(misleading, 'auto')).reader.format).toBe('md5');
    const hsh = files.write('set.hsh', samples.vics?.content() ?? '');
    expect((await readAll(hsh, 'auto')).reader.format).toBe('vics');
  });

  it('names what it cannot read', async () => {
    expect((await readError(files.write('xml.txt', '<?xml version="1.0"?>\n<a/>\n'), 'auto')).message).toBe(
      `not a hash-set format this workstation reads (line 1: '<?xml version="1.0"?>'); name the format if it is one`,
    );
    expect((await readError(files.write('bin.dat', Buffer.from([1, 2, 0, 3])), 'auto')).message).toBe(
      'not a hash set: binary data that is neither an NSRL RDSv3 database nor an EnCase hash file',
    );
    expect((await readError(files.write('utf16be.txt', Buffer.from([0xfe, 0xff, 0, 0x61])), 'auto')).message).toBe('UTF-16 big-endian text is not read: save the file as UTF-8');
  });
});
