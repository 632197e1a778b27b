// Building blocks shared by every capability's channel file (channels/*.ts).
import { z } from 'zod';

// No runtime code generation: the renderer's CSP forbids eval, and a sandboxed preload should not need it.
z.config({ jitless: true });

/** One refusal of a schema, as zod reports it: which field (`path`) and why; zod adds fields per issue code. */
export const ValidationIssueSchema = z.looseObject({ code: z.string(), path: z.array(z.union([z.string(), z.number()])), message: z.string() });

/** What a failure names besides its message: the refused fields of an invalid input or output, or the facts a
 * service gave (the item, the file, the expected and found versions), each a JSON value. */
export const ErrorDetailsSchema = z.union([z.array(ValidationIssueSchema), z.record(z.string(), z.union([z.json(), z.undefined()]))]);
export type ErrorDetails = z.infer<typeof ErrorDetailsSchema>;

/** Errors are values: the UI branches on `code`, shows `message`, and may inspect `details`. */
export const IpcErrorSchema = z.object({
  code: z.string(),
  message: z.string(),
  details: ErrorDetailsSchema.optional(),
});
export type IpcError = z.infer<typeof IpcErrorSchema>;
export type Result<T> = { ok: true; value: T } | { ok: false; error: IpcError };

export const JobId = z.string().min(1).max(64);
export const Empty = z.object({}).strict();


/** Error codes the main side uses for transport-level failures. */
export const TransportErrorCode = {
  invalidInput: 'invalid-input',
  unknownChannel: 'unknown-channel',
  invalidOutput: 'invalid-output',
  internal: 'internal',
  forbidden: 'forbidden',
} as const;
