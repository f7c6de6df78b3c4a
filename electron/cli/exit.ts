/** Exit codes of the `custos` CLI (design doc): 0 ok, 1 error, 2 usage, 3 verification failed. */
export const EXIT = { ok: 0, error: 1, usage: 2, verifyFailed: 3 } as const;
export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

/** Ends a command with one line on stderr and the given exit code. */
export class CliExit extends Error {
  constructor(
    readonly exitCode: ExitCode,
    message: string,
  ) {
    super(message);
    this.name = 'CliExit';
  }
}

export const usageError = (message: string) => new CliExit(EXIT.usage, message);
export const runtimeError = (message: string) => new CliExit(EXIT.error, message);
