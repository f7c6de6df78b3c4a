import type { Db } from '../database.js';
import { statement } from '../statements.js';

/** A custody event as stored: details is the canonical JSON text that was hashed. */
export type StoredEvent = {
  readonly seq: number;
  readonly time: string;
  readonly actor: string;
  readonly action: string;
  readonly subject: string;
  readonly details: string;
  readonly prev: string;
  readonly hash: string;
};

const COLUMNS = 'seq, time, actor, action, subject, details, prev, hash';

export function lastEvent(db: Db): StoredEvent | undefined {
  return statement(db, `SELECT ${COLUMNS} FROM custody_events ORDER BY seq DESC LIMIT 1`).get() as StoredEvent | undefined;
}

export function insertEvent(db: Db, e: StoredEvent): void {
  statement(db, `INSERT INTO custody_events (${COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`).run(
    e.seq,
    e.time,
    e.actor,
    e.action,
    e.subject,
    e.details,
    e.prev,
    e.hash,
  );
}

export function listEvents(db: Db, since: number, limit: number): StoredEvent[] {
  return statement(db, `SELECT ${COLUMNS} FROM custody_events WHERE seq > ? ORDER BY seq LIMIT ?`).all(since, limit) as StoredEvent[];
}

/** Every event in order, streamed: the log grows without bound and verification must not hold it all. */
export function iterateEvents(db: Db): IterableIterator<StoredEvent> {
  return statement(db, `SELECT ${COLUMNS} FROM custody_events ORDER BY seq`).iterate() as IterableIterator<StoredEvent>;
}
