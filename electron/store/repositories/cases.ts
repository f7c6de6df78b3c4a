import type { CaseView, Scheme } from '../../api/contract.js';
import type { Db } from '../database.js';
import { statement } from '../statements.js';

type CaseRow = {
  id: number;
  number: string;
  title: string;
  scheme: Scheme;
  pdq_threshold: number;
  blockhash_threshold: number | null;
  created_at: string;
  created_by: string;
  exhibits: number;
};

const toView = (r: CaseRow): CaseView => ({
  id: r.id,
  number: r.number,
  title: r.title,
  scheme: r.scheme,
  pdqThreshold: r.pdq_threshold,
  blockhashThreshold: r.blockhash_threshold,
  createdAt: r.created_at,
  createdBy: r.created_by,
  exhibits: r.exhibits,
});

const SELECT = `SELECT c.id, c.number, c.title, c.scheme, c.pdq_threshold, c.blockhash_threshold, c.created_at, c.created_by,
  (SELECT count(*) FROM exhibits e WHERE e.case_id = c.id) AS exhibits FROM cases c`;

export function findCase(db: Db, number: string): CaseView | undefined {
  const row = statement(db, `${SELECT} WHERE c.number = ?`).get(number) as CaseRow | undefined;
  return row && toView(row);
}

export function listCases(db: Db): CaseView[] {
  return (statement(db, `${SELECT} ORDER BY c.created_at DESC, c.id DESC`).all() as CaseRow[]).map(toView);
}

export function insertCase(db: Db, c: { number: string; title: string; scheme: Scheme; createdAt: string; createdBy: string }): number {
  return Number(
    statement(db, 'INSERT INTO cases (number, title, scheme, created_at, created_by) VALUES (?, ?, ?, ?, ?)').run(
      c.number,
      c.title,
      c.scheme,
      c.createdAt,
      c.createdBy,
    ).lastInsertRowid,
  );
}

export function setPdqThreshold(db: Db, caseId: number, threshold: number): void {
  statement(db, 'UPDATE cases SET pdq_threshold = ? WHERE id = ?').run(threshold, caseId);
}

/** null turns blockhash matching off. */
export function setBlockhashThreshold(db: Db, caseId: number, threshold: number | null): void {
  statement(db, 'UPDATE cases SET blockhash_threshold = ? WHERE id = ?').run(threshold, caseId);
}

export function getCase(db: Db, caseId: number): CaseView | undefined {
  const row = statement(db, `${SELECT} WHERE c.id = ?`).get(caseId) as CaseRow | undefined;
  return row && toView(row);
}
