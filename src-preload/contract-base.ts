// Building blocks shared by every capability's channel file (channels/*.ts).
import { z } from 'zod';

// No runtime code generation: the renderer's CSP forbids eval, and a sandboxed preload should not need it.
z.config({ jitless: true });

/** Errors are values: the UI branches on `code`, shows `message`, and may inspect `details`. */
export const IpcErrorSchema = z.object({
  code: z.string(),
  message: z.string(),
  details: z.unknown().optional(),
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
