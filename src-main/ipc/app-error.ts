// A failure the user can act on: what happened, to what, and what to do. Thrown by services,
// turned into the contract's {code, message, details} by the registry; anything else becomes `internal`.
import { type ErrorDetails, ErrorDetailsSchema, type IpcError } from '../../src-preload/contract.ts';

export class AppError extends Error {
  readonly code: string;
  readonly details: unknown;

  constructor(code: string, message: string, details?: unknown) {
    super(message);
    this.name = 'AppError';
    this.code = code;
    this.details = details;
  }

  /** Details that are not plain facts (a class instance, a function) cannot cross the boundary: the message stays. */
  toIpcError(): IpcError {
    const details = this.details === undefined ? undefined : ErrorDetailsSchema.safeParse(this.details);
    return details?.success ? { code: this.code, message: this.message, details: details.data } : { code: this.code, message: this.message };
  }
}

/** Zod's issues as error details: a path step that is a symbol (never one of ours) is named in words. */
export function issueDetails(issues: readonly { code: string; path: readonly PropertyKey[]; message: string }[]): ErrorDetails {
  return issues.map((issue) => ({ ...issue, path: issue.path.map((step) => (typeof step === 'symbol' ? String(step) : step)) }));
}

export function toIpcError(error: unknown): IpcError {
  if (error instanceof AppError) return error.toIpcError();
  const message = error instanceof Error ? error.message : String(error);
  return { code: 'internal', message: `Unexpected failure: ${message}` };
}
