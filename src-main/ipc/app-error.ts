// A failure the user can act on: what happened, to what, and what to do. Thrown by services,
// turned into the contract's {code, message, details} by the registry; anything else becomes `internal`.
import type { IpcError } from '../../src-preload/contract.ts';

export class AppError extends Error {
  readonly code: string;
  readonly details: unknown;

  constructor(code: string, message: string, details?: unknown) {
    super(message);
    this.name = 'AppError';
    this.code = code;
    this.details = details;
  }

  toIpcError(): IpcError {
    return this.details === undefined
      ? { code: this.code, message: this.message }
      : { code: this.code, message: this.message, details: this.details };
  }
}

export function toIpcError(error: unknown): IpcError {
  if (error instanceof AppError) return error.toIpcError();
  const message = error instanceof Error ? error.message : String(error);
  return { code: 'internal', message: `Unexpected failure: ${message}` };
}
