// Training channels: start / resume / cancel a run, list recorded runs, and the per-step progress stream.
import { z } from 'zod';
import { DatasetSourceSchema, TrainingConfigSchema } from '../schemas/training-config.ts';
import { MachineProfileSchema } from '../schemas/machine-profile.ts';
import { RunMetricsSchema } from '../schemas/run-metrics.ts';
import { JobId, Empty } from '../contract-base.ts';

export const RunId = z.string().min(1).max(64);

const StageKindSchema = z.enum(['pretrain', 'head', 'finetune', 'supervised']);

export const TrainingRunSummarySchema = z.object({
  id: RunId,
  createdAt: z.string(),
  updatedAt: z.string(),
  status: z.enum(['running', 'succeeded', 'failed', 'cancelled']),
  method: z.string(),
  encoder: z.string(),
  seed: z.number().int(),
  preprocessingVersion: z.string(),
  codeVersion: z.string(),
  /** Null until the run succeeds. */
  metrics: RunMetricsSchema.nullable(),
  files: z.record(z.string(), z.string()).nullable(),
  error: z.object({ code: z.string(), message: z.string() }).nullable(),
  /** The machine that trained it: null until the run stops (done or cancelled), absent from older records. */
  machine: MachineProfileSchema.nullable().optional(),
});

const FolderRunSchema = z.object({
  name: z.string(),
  runDir: z.string(),
  modelPath: z.string(),
  label: z.string(),
  seed: z.number().int().nullable(),
  testAuc: z.number().nullable(),
  valAuc: z.number().nullable(),
  modelWrittenAt: z.string(),
});

/** A folder of runs trained outside the app (`npm run demo`, `npm run experiment`), remembered once opened. */
export const RunFolderSchema = z.object({ path: z.string(), title: z.string().nullable(), runs: z.array(FolderRunSchema), problem: z.string().nullable() });

export const trainingInvokes = {
  'training.start': {
    input: z
      .object({
        config: TrainingConfigSchema.prefault({}),
        /** Omitted: the P-ADSD folders under the shared data set. */
        dataset: DatasetSourceSchema.optional(),
      })
      .strict(),
    output: z.object({ runId: RunId, jobId: JobId }),
  },
  'training.resume': { input: z.object({ runId: RunId }).strict(), output: z.object({ runId: RunId, jobId: JobId }) },
  'training.cancel': { input: z.object({ runId: RunId }).strict(), output: z.object({ cancelled: z.boolean() }) },
  'training.listRuns': { input: Empty, output: z.object({ runs: z.array(TrainingRunSummarySchema) }) },
  /** Remembered run folders, newest first, each read as it is now. */
  'training.runFolders': { input: Empty, output: z.object({ folders: z.array(RunFolderSchema) }) },
  /** Opens (and remembers) a report folder, its runs/ folder or one run folder; refused when no run in it wrote model.angio. */
  'training.openRunFolder': { input: z.object({ path: z.string().min(1).max(4096) }).strict(), output: z.object({ folders: z.array(RunFolderSchema) }) },
} as const;

export const trainingEvents = {
  /** Every ~0.5 s during an epoch (kind 'step') and after each epoch's evaluation (kind 'epoch'). */
  'training.progress': z.object({
    runId: RunId,
    jobId: JobId,
    kind: z.enum(['step', 'epoch']),
    stage: StageKindSchema,
    stageIndex: z.number().int().nonnegative(),
    stages: z.number().int().positive(),
    epoch: z.number().int().nonnegative(),
    epochs: z.number().int().nonnegative(),
    step: z.number().int().nonnegative(),
    stepsInEpoch: z.number().int().nonnegative(),
    loss: z.number(),
    learningRate: z.number().nonnegative(),
    imagesPerSecond: z.number().nonnegative(),
    etaSeconds: z.number().nonnegative().nullable(),
    metrics: z.object({ knnAuc: z.number().optional(), valAuc: z.number().optional() }).optional(),
  }),
} as const;

export const trainingSends = {} as const;
export const trainingPixels = {} as const;
