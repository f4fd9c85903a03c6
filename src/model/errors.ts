/**
 * Errors a user can cause or fix (bad file, bad flag, unreachable cluster). The CLI prints
 * their message as one line and exits with `exitCode`, no stack trace (unless --debug).
 */
export class UserError extends Error {
  readonly exitCode: number;
  constructor(message: string, options?: { cause?: unknown; exitCode?: number }) {
    super(message, options?.cause !== undefined ? { cause: options.cause } : undefined);
    this.name = 'UserError';
    this.exitCode = options?.exitCode ?? 2;
  }
}

export function isUserError(e: unknown): e is UserError {
  return e instanceof UserError;
}
