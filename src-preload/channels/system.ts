// System, diagnostics and job-control channels: what every screen needs regardless of capability.
import { z } from 'zod';
import { JobId, Empty } from '../contract-base.ts';
import { JobFinishedSchema } from './jobs.ts';

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
export const systemInvokes = {
  'system.info': { input: Empty, output: SystemInfoSchema },
  'diagnostics.start': {
    input: z.object({ delayMs: z.number().int().min(0).max(5_000).default(0) }).strict(),
    output: z.object({ jobId: JobId }),
  },
  'jobs.cancel': { input: z.object({ jobId: JobId }).strict(), output: z.object({ cancelled: z.boolean() }) },
  /** Runs a failed or cancelled restartable job (an import whose worker crashed) again as a new job. */
  'jobs.restart': { input: z.object({ jobId: JobId }).strict(), output: z.object({ jobId: JobId }) },
  /** Files the system asked the app to open (.dcm double-clicked, a second launch), handed over once. */
  'system.openRequests': { input: Empty, output: z.object({ paths: z.array(z.string()) }) },
} as const;

/** One-way renderer → main messages (no answer). */
export const systemSends = {
  'renderer.log': z
    .object({ level: z.enum(['info', 'warn', 'error']), message: z.string().max(4_000) })
    .strict(),
} as const;

/** Main → renderer event streams; long jobs are keyed by jobId. */
export const systemEvents = {
  'job.progress': z.object({
    jobId: JobId,
    kind: z.string(),
    stage: z.string(),
    done: z.number().nonnegative(),
    total: z.number().nonnegative(),
    message: z.string().optional(),
    etaSeconds: z.number().nonnegative().nullable().optional(),
  }),
  /** Exactly once per job; `result` has the shape its kind declares (channels/jobs.ts). */
  'job.finished': JobFinishedSchema,
  'diagnostics.check': DiagnosticCheckSchema.extend({ jobId: JobId }),
  /** New files to open arrived while the app runs: the renderer takes them with system.openRequests. */
  'system.openFiles': z.object({ paths: z.array(z.string()) }),
} as const;

/** Binary pixel routes: parameters as JSON, the answer a small JSON meta plus raw bytes (never JSON pixels). */
export const systemPixels = {
  'diagnostics.testPattern': {
    params: z.object({ width: z.number().int().min(1).max(4096), height: z.number().int().min(1).max(4096) }).strict(),
    meta: z.object({ width: z.number().int(), height: z.number().int(), format: z.literal('gray16') }),
  },
} as const;

