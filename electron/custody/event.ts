// The custody event and its hash: hash = hex(SHA-256(JCS(event))), JCS = RFC 8785, where the
// event is { seq, time, actor, action, subject, details, prev } and prev chains to seq - 1.
import { createHash } from 'node:crypto';
import canonicalize from 'canonicalize';

export const GENESIS_PREV = '0'.repeat(64);

export type EventDetails = { readonly [key: string]: unknown };

export type CustodyEvent = {
  readonly seq: number;
  readonly time: string;
  readonly actor: string;
  readonly action: string;
  readonly subject: string;
  readonly details: EventDetails;
  readonly prev: string;
};

export function canonicalJson(value: unknown): string {
  const text = canonicalize(value);
  if (text === undefined) throw new TypeError('value has no canonical JSON form');
  return text;
}

export function eventHash(event: CustodyEvent): string {
  return createHash('sha256').update(canonicalJson(event), 'utf8').digest('hex');
}
