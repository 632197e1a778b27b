// The one IPC contract: every channel between renderer and main, declared once with zod schemas.
// The preload API, main's handler registry and the harness bridge are all derived from these tables.
import { z } from 'zod';

/** Errors are values: the UI branches on `code`, shows `message`, and may inspect `details`. */
export const IpcErrorSchema = z.object({
  code: z.string(),
  message: z.string(),
  details: z.unknown().optional(),
});
export type IpcError = z.infer<typeof IpcErrorSchema>;
export type Result<T> = { ok: true; value: T } | { ok: false; error: IpcError };

const JobId = z.string().min(1).max(64);
const Empty = z.object({}).strict();

export const SystemInfoSchema = z.object({
  appName: z.string(),
  appVersion: z.string(),
  nodeVersion: z.string(),
  electronVersion: z.string().nullable(),
  platform: z.string(),
  host: z.enum(['electron', 'harness', 'cli']),
  dataDir: z.string(),
  sharedDataDir: z.string(),
  sharedDataPresent: z.boolean(),
  addon: z.object({ loaded: z.boolean(), version: z.string().nullable(), error: z.string().nullable() }),
  startedAt: z.string(),
});
export type SystemInfo = z.infer<typeof SystemInfoSchema>;

export const DiagnosticCheckSchema = z.object({
  name: z.string(),
  ok: z.boolean(),
  detail: z.string(),
});

/** Request/response channels: renderer asks, main answers with Result<output>. */
export const invokeChannels = {
  'system.info': { input: Empty, output: SystemInfoSchema },
  'diagnostics.start': {
    input: z.object({ delayMs: z.number().int().min(0).max(5_000).default(0) }).strict(),
    output: z.object({ jobId: JobId }),
  },
  'jobs.cancel': { input: z.object({ jobId: JobId }).strict(), output: z.object({ cancelled: z.boolean() }) },
} as const;

/** One-way renderer → main messages (no answer). */
export const sendChannels = {
  'renderer.log': z
    .object({ level: z.enum(['info', 'warn', 'error']), message: z.string().max(4_000) })
    .strict(),
} as const;

/** Main → renderer event streams; long jobs are keyed by jobId. */
export const eventChannels = {
  'job.progress': z.object({
    jobId: JobId,
    kind: z.string(),
    stage: z.string(),
    done: z.number().nonnegative(),
    total: z.number().nonnegative(),
    message: z.string().optional(),
    etaSeconds: z.number().nonnegative().nullable().optional(),
  }),
  'job.finished': z.object({
    jobId: JobId,
    kind: z.string(),
    status: z.enum(['succeeded', 'failed', 'cancelled']),
    error: IpcErrorSchema.optional(),
    result: z.unknown().optional(),
  }),
  'diagnostics.check': DiagnosticCheckSchema.extend({ jobId: JobId }),
} as const;

/** Binary pixel routes: parameters as JSON, the answer a small JSON meta plus raw bytes (never JSON pixels). */
export const pixelRoutes = {
  'diagnostics.testPattern': {
    params: z.object({ width: z.number().int().min(1).max(4096), height: z.number().int().min(1).max(4096) }).strict(),
    meta: z.object({ width: z.number().int(), height: z.number().int(), format: z.literal('gray16') }),
  },
} as const;

export type InvokeChannel = keyof typeof invokeChannels;
export type SendChannel = keyof typeof sendChannels;
export type EventChannel = keyof typeof eventChannels;
export type PixelRoute = keyof typeof pixelRoutes;

export type InvokeInput<K extends InvokeChannel> = z.input<(typeof invokeChannels)[K]['input']>;
export type InvokeParsedInput<K extends InvokeChannel> = z.output<(typeof invokeChannels)[K]['input']>;
export type InvokeOutput<K extends InvokeChannel> = z.output<(typeof invokeChannels)[K]['output']>;
export type SendPayload<K extends SendChannel> = z.output<(typeof sendChannels)[K]>;
export type EventPayload<K extends EventChannel> = z.output<(typeof eventChannels)[K]>;
export type PixelParams<K extends PixelRoute> = z.output<(typeof pixelRoutes)[K]['params']>;
export type PixelMeta<K extends PixelRoute> = z.output<(typeof pixelRoutes)[K]['meta']>;

/** Error codes the main side uses for transport-level failures. */
export const TransportErrorCode = {
  invalidInput: 'invalid-input',
  unknownChannel: 'unknown-channel',
  invalidOutput: 'invalid-output',
  internal: 'internal',
  forbidden: 'forbidden',
} as const;
