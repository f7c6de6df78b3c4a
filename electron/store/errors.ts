import type { ErrorCode } from '../api/contract.js';

/** An error the user can act on: one line, a stable code, no stack trace for the CLI to print. */
export class CustosError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'CustosError';
  }
}
