import type { Role, UserView } from '../../api/contract.js';
import type { Db } from '../database.js';
import { statement } from '../statements.js';

type UserRow = { name: string; role: Role; disabled: number; created_at: string; created_by: string };

const toView = (r: UserRow): UserView => ({
  name: r.name,
  role: r.role,
  disabled: r.disabled === 1,
  createdAt: r.created_at,
  createdBy: r.created_by,
});

const COLUMNS = 'name, role, disabled, created_at, created_by';

export function findUser(db: Db, name: string): UserView | undefined {
  const row = statement(db, `SELECT ${COLUMNS} FROM users WHERE name = ?`).get(name) as UserRow | undefined;
  return row && toView(row);
}

export function listUsers(db: Db): UserView[] {
  return (statement(db, `SELECT ${COLUMNS} FROM users ORDER BY name`).all() as UserRow[]).map(toView);
}

export function insertUser(db: Db, user: { name: string; role: Role; createdAt: string; createdBy: string }): void {
  statement(db, 'INSERT INTO users (name, role, created_at, created_by) VALUES (?, ?, ?, ?)').run(
    user.name,
    user.role,
    user.createdAt,
    user.createdBy,
  );
}

export function setUserDisabled(db: Db, name: string, disabled: boolean): void {
  statement(db, 'UPDATE users SET disabled = ? WHERE name = ?').run(disabled ? 1 : 0, name);
}

export function countActiveAdmins(db: Db): number {
  return (statement(db, `SELECT count(*) AS n FROM users WHERE role = 'admin' AND disabled = 0`).get() as { n: number }).n;
}
