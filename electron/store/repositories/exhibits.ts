import type { ExhibitView } from '../../api/contract.js';
import type { Db } from '../database.js';
import { statement } from '../statements.js';

type ExhibitRow = {
  id: number;
  case_number: string;
  number: string;
  description: string;
  seized_by: string | null;
  seized_at: string | null;
  seized_from: string | null;
  seal: string | null;
  created_at: string;
  created_by: string;
};

export type NewExhibit = {
  readonly caseId: number;
  readonly number: string;
  readonly description: string;
  readonly seizedBy: string | null;
  readonly seizedAt: string | null;
  readonly seizedFrom: string | null;
  readonly seal: string | null;
  readonly createdAt: string;
  readonly createdBy: string;
};

const toView = (r: ExhibitRow): ExhibitView => ({
  id: r.id,
  caseNumber: r.case_number,
  number: r.number,
  description: r.description,
  seizedBy: r.seized_by,
  seizedAt: r.seized_at,
  seizedFrom: r.seized_from,
  seal: r.seal,
  createdAt: r.created_at,
  createdBy: r.created_by,
});

const SELECT = `SELECT e.id, c.number AS case_number, e.number, e.description, e.seized_by, e.seized_at,
  e.seized_from, e.seal, e.created_at, e.created_by FROM exhibits e JOIN cases c ON c.id = e.case_id`;

export function listExhibits(db: Db, caseId: number): ExhibitView[] {
  return (statement(db, `${SELECT} WHERE e.case_id = ? ORDER BY e.id`).all(caseId) as ExhibitRow[]).map(toView);
}

export function findExhibit(db: Db, caseId: number, number: string): ExhibitView | undefined {
  const row = statement(db, `${SELECT} WHERE e.case_id = ? AND e.number = ?`).get(caseId, number) as ExhibitRow | undefined;
  return row && toView(row);
}

export function insertExhibit(db: Db, e: NewExhibit): void {
  statement(
    db,
    `INSERT INTO exhibits (case_id, number, description, seized_by, seized_at, seized_from, seal, created_at, created_by)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  ).run(e.caseId, e.number, e.description, e.seizedBy, e.seizedAt, e.seizedFrom, e.seal, e.createdAt, e.createdBy);
}
