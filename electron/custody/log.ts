import type { Db } from '../store/database.js';
import { insertEvent, lastEvent, listEvents } from '../store/repositories/custody-events.js';
import type { CustodyEventView } from '../api/contract.js';
import { GENESIS_PREV, canonicalJson, eventHash, type CustodyEvent, type EventDetails } from './event.js';

export type NewEvent = {
  readonly actor: string;
  readonly action: string;
  readonly subject: string;
  readonly details?: EventDetails;
};

/**
 * Appends one event chained to the last. Call it inside the transaction that makes the state
 * change it records, so the change and its event commit or vanish together.
 */
export function appendEvent(db: Db, e: NewEvent, now: Date = new Date()): CustodyEventView {
  const last = lastEvent(db);
  // Round-trip through canonical JSON so what is stored is exactly what was hashed
  // (undefined members dropped, numbers in their canonical form).
  const details = JSON.parse(canonicalJson(e.details ?? {})) as EventDetails;
  const event: CustodyEvent = {
    seq: (last?.seq ?? 0) + 1,
    time: now.toISOString(),
    actor: e.actor,
    action: e.action,
    subject: e.subject,
    details,
    prev: last?.hash ?? GENESIS_PREV,
  };
  const hash = eventHash(event);
  insertEvent(db, { ...event, details: canonicalJson(details), hash });
  return { ...event, hash };
}

export function readEvents(db: Db, since: number, limit: number): CustodyEventView[] {
  return listEvents(db, since, limit).map((row) => ({ ...row, details: JSON.parse(row.details) as EventDetails }));
}
