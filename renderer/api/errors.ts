import type { ErrorCode } from '../../electron/api/contract';

/** The engine refused a call: `code` picks the translated message, `message` is secondary detail. */
export class ApiError extends Error {
  override readonly name = 'ApiError';
  constructor(
    readonly code: ErrorCode,
    message: string,
  ) {
    super(message);
  }
}

/** Browser mode only: the server did not accept our token (or we never had one). */
export class TokenRefusedError extends Error {
  override readonly name = 'TokenRefusedError';
}
