import type { Db } from '../database.js';
import { statement } from '../statements.js';

export function getSetting(db: Db, key: string): string | undefined {
  return (statement(db, 'SELECT value FROM settings WHERE key = ?').get(key) as { value: string } | undefined)?.value;
}

export function setSetting(db: Db, key: string, value: string): void {
  statement(db, 'INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value').run(key, value);
}

export function setMeta(db: Db, key: string, value: string): void {
  statement(db, 'INSERT INTO store_meta (key, value) VALUES (?, ?)').run(key, value);
}

export function getMeta(db: Db, key: string): string | undefined {
  return (statement(db, 'SELECT value FROM store_meta WHERE key = ?').get(key) as { value: string } | undefined)?.value;
}
