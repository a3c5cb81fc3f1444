/**
 * The one error type for a user's mistake (bad spec string, illegal move, missing file...).
 * The CLI prints its message as a single line and exits with `exitCode`; anything else that is
 * thrown is a bug and keeps its stack trace.
 */
export class ArborError extends Error {
  readonly exitCode: number;
  constructor(message: string, exitCode = 2) {
    super(message);
    this.name = 'ArborError';
    this.exitCode = exitCode;
  }
}

export function isArborError(e: unknown): e is ArborError {
  return e instanceof ArborError;
}
