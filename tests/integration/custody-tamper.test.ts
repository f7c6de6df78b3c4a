// The custody log is append-only in SQL, and an edit made behind the triggers' back is
// caught by `custody verify`, which names the first broken seq and exits 3.
import { join } from 'node:path';
import Database from '@signalapp/sqlcipher';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ADMIN_PASS, asAliceOn, initStore, type TempStore } from './cli-harness.js';
import { masterKeyFromKeyring } from './independent-key.js';

async function openRaw(t: TempStore): Promise<Database> {
  const key = await masterKeyFromKeyring(t.dir, 'alice', ADMIN_PASS);
  const db = new Database(join(t.dir, 'custos.db'));
  db.pragma(`key = "x'${key.toString('hex')}'"`);
  return db;
}

describe('custody log tampering', () => {
  let t: TempStore;
  beforeEach(() => {
    t = initStore();
    for (const n of ['1', '2', '3']) {
      expect(asAliceOn(t, ['case', 'create', '--number', `C-${n}`, '--title', `Case ${n}`]).code).toBe(0);
    }
  });
  afterEach(() => t.dispose());

  it('triggers abort UPDATE and DELETE', async () => {
    const db = await openRaw(t);
    try {
      expect(() => db.exec(`UPDATE custody_events SET actor = 'mallory' WHERE seq = 2`)).toThrow(/append-only/);
      expect(() => db.exec('DELETE FROM custody_events WHERE seq = 2')).toThrow(/append-only/);
    } finally {
      db.close();
    }
    expect(asAliceOn(t, ['custody', 'verify']).code).toBe(0);
  });

  it('an edited row is named by custody verify (exit 3)', async () => {
    const db = await openRaw(t);
    const target = db.prepare(`SELECT seq FROM custody_events WHERE action = 'case.create' AND subject = 'case/C-2'`).get() as { seq: number };
    db.exec('DROP TRIGGER custody_events_append_only_update');
    db.prepare(`UPDATE custody_events SET details = '{"scheme":"vics-us","title":"Something else"}' WHERE seq = ?`).run([target.seq]);
    db.close();
    const r = asAliceOn(t, ['custody', 'verify', '--json']);
    expect(r.code).toBe(3);
    expect(JSON.parse(r.stdout)).toMatchObject({ ok: false, firstBadSeq: target.seq, reason: 'its content does not match its hash' });
    expect(r.stderr).toBe(`error: custody log broken at seq ${target.seq}: its content does not match its hash\n`);
  });

  it('a deleted row is named by custody verify', async () => {
    const db = await openRaw(t);
    db.exec('DROP TRIGGER custody_events_append_only_delete');
    db.exec('DELETE FROM custody_events WHERE seq = 4');
    db.close();
    const r = asAliceOn(t, ['custody', 'verify']);
    expect(r.code).toBe(3);
    expect(r.stderr).toBe('error: custody log broken at seq 4: event 4 is missing (next stored is 5)\n');
  });

  it('a re-hashed edit still breaks the link of the next event', async () => {
    const { createHash } = await import('node:crypto');
    const { default: canonicalize } = await import('canonicalize');
    const db = await openRaw(t);
    const row = db.prepare('SELECT * FROM custody_events WHERE seq = 5').get() as Record<string, string | number>;
    const forged = { seq: row.seq, time: row.time, actor: 'mallory', action: row.action, subject: row.subject, details: JSON.parse(String(row.details)), prev: row.prev };
    const hash = createHash('sha256').update(canonicalize(forged) ?? '').digest('hex');
    db.exec('DROP TRIGGER custody_events_append_only_update');
    db.prepare(`UPDATE custody_events SET actor = 'mallory', hash = ? WHERE seq = 5`).run([hash]);
    db.close();
    const r = asAliceOn(t, ['custody', 'verify']);
    expect(r.code).toBe(3);
    expect(r.stderr).toBe('error: custody log broken at seq 6: its prev does not match the hash of the event before it\n');
  });
});
