// Numbered migrations (0010-..., 0020-...) applied in one transaction; PRAGMA user_version
// holds the number of the last one applied, so a store from a newer Custos is recognised
// and refused instead of being half-understood.
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { CustosError } from './errors.js';
import type { Db } from './database.js';

export type Migration = { readonly version: number; readonly name: string; readonly sql: string };

const MIGRATIONS_DIR = fileURLToPath(new URL('./migrations/', import.meta.url));

export function loadMigrations(dir: string = MIGRATIONS_DIR): readonly Migration[] {
  return readdirSync(dir)
    .filter((f) => /^\d{4}-[a-z0-9-]+\.sql$/.test(f))
    .sort()
    .map((file) => ({
      version: Number(file.slice(0, 4)),
      name: file.slice(5, -4),
      sql: readFileSync(`${dir}/${file}`, 'utf8'),
    }));
}

export function schemaVersion(db: Db): number {
  return Number(db.pragma('user_version', { simple: true }));
}

/** Applies what is pending; returns the migrations applied (empty when up to date). */
export function migrate(db: Db, migrations: readonly Migration[] = loadMigrations()): readonly Migration[] {
  const current = schemaVersion(db);
  const latest = migrations.at(-1)?.version ?? 0;
  if (current > latest) {
    throw new CustosError(
      'store-too-new',
      `this store was written by a newer Custos (schema ${current}; this version knows up to ${latest}): open it with that version or newer`,
    );
  }
  const pending = migrations.filter((m) => m.version > current);
  if (pending.length === 0) return [];
  // A migration may rebuild a table others point at (SQLite's documented procedure: new table,
  // copy, drop, rename), which needs foreign keys off around the transaction (the pragma is a
  // no-op inside one) and a check that every reference still holds before it commits.
  const foreignKeys = Number(db.pragma('foreign_keys', { simple: true })) === 1;
  db.pragma('foreign_keys = OFF');
  try {
    db.transaction(() => {
      for (const m of pending) {
        db.exec(m.sql);
        // user_version is not a bound parameter; the value is our own integer.
        db.pragma(`user_version = ${m.version}`);
      }
      const broken = db.pragma('foreign_key_check') as { table: string; parent: string }[];
      if (broken.length > 0) throw new Error(`migration left ${broken.length} broken reference(s), first from ${broken[0]?.table} to ${broken[0]?.parent}`);
    })();
  } finally {
    if (foreignKeys) db.pragma('foreign_keys = ON');
  }
  return pending;
}
