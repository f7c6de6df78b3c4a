import type { VerifyReport } from '../api/contract.js';
import type { Db } from '../store/database.js';
import { iterateEvents } from '../store/repositories/custody-events.js';
import { GENESIS_PREV, eventHash, type EventDetails } from './event.js';

/** Recomputes the whole chain and names the first event that does not hold. */
export function verifyChain(db: Db): VerifyReport {
  let expectedSeq = 1;
  let head = GENESIS_PREV;
  const broken = (seq: number, reason: string): VerifyReport => ({ ok: false, events: expectedSeq - 1, firstBadSeq: seq, reason, head });
  for (const row of iterateEvents(db)) {
    if (row.seq !== expectedSeq) return broken(expectedSeq, `event ${expectedSeq} is missing (next stored is ${row.seq})`);
    if (row.prev !== head) return broken(row.seq, 'its prev does not match the hash of the event before it');
    let details: EventDetails;
    try {
      details = JSON.parse(row.details) as EventDetails;
    } catch {
      return broken(row.seq, 'its details are not valid JSON');
    }
    const { hash: stored, ...fields } = row;
    const recomputed = eventHash({ ...fields, details });
    if (recomputed !== stored) return broken(row.seq, 'its content does not match its hash');
    head = stored;
    expectedSeq += 1;
  }
  return { ok: true, events: expectedSeq - 1, firstBadSeq: null, reason: null, head };
}
