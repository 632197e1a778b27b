// What each kind of job hands back when it succeeds: job.finished's `result`, keyed by the job's `kind`. Main checks
// every result against its kind's schema before the event leaves, so a screen may read it without checking again.
import { z } from 'zod';
import { IpcErrorSchema, JobId } from '../contract-base.ts';
import { RunMetricsSchema } from '../schemas/run-metrics.ts';
import { CineScanSchema } from './inference.ts';
import { ImportResultSchema } from './ingest.ts';
import { MediaImportResultSchema, StudyMatchSchema } from './network.ts';
import { RunId } from './training.ts';

const Count = z.number().int().nonnegative();

export const jobResults = {
  /** The self-check: how many checks passed and failed (each check also arrives as diagnostics.check). */
  diagnostics: z.object({ passed: Count, failed: Count }),
  /** A folder import's counts by outcome and what it found besides (patches, labels, splits). */
  import: ImportResultSchema,
  /** Scores for a finished run's items, cached for the curation ranking. */
  'dataset.score': z.object({ runId: RunId, scored: Count, cached: Count, skipped: Count, ranked: Count }),
  /** The metrics as the run list shows them (null only if the run recorded none). */
  training: z.object({ runId: RunId, metrics: RunMetricsSchema.nullable() }),
  'inference.scanCine': CineScanSchema,
  'network.query': z.object({ studies: z.array(StudyMatchSchema) }),
  /** Instances over all the studies asked for; failures are also on the transfer row. */
  'network.retrieve': z.object({ completed: Count, failed: Count, warnings: Count }),
  /** `statuses`: how many distinct DIMSE statuses the peer answered with. */
  'network.send': z.object({ sent: Count, failed: Count, problems: z.array(z.object({ file: z.string(), status: z.string() })), statuses: Count }),
  'media.import': MediaImportResultSchema,
} as const;

export type JobKind = keyof typeof jobResults;
export type JobResult<K extends JobKind> = z.output<(typeof jobResults)[K]>;
export const JOB_KINDS = Object.keys(jobResults) as JobKind[];

const ending = { jobId: JobId, status: z.enum(['succeeded', 'failed', 'cancelled']), error: IpcErrorSchema.optional() };

function finishedOf<K extends JobKind>(kind: K) {
  return z.object({ ...ending, kind: z.literal(kind), result: jobResults[kind].optional() });
}

/** A job of a kind the contract does not list: a worker job (workers/worker-host.ts) runs a module named at run
 * time, so its result is whatever JSON that module returns. */
const OtherJobFinished = z.object({
  ...ending,
  kind: z.string().refine((kind) => !Object.hasOwn(jobResults, kind), 'a listed job kind must carry its own result'),
  result: z.json().optional(),
});

const ListedJobFinished = z.discriminatedUnion('kind', [
  finishedOf('diagnostics'),
  finishedOf('import'),
  finishedOf('dataset.score'),
  finishedOf('training'),
  finishedOf('inference.scanCine'),
  finishedOf('network.query'),
  finishedOf('network.retrieve'),
  finishedOf('network.send'),
  finishedOf('media.import'),
]);

/** A succeeded job carries its kind's result; a failed one its error; a cancelled one neither. */
export const JobFinishedSchema = z.union([ListedJobFinished, OtherJobFinished]);
export type JobFinished = z.output<typeof JobFinishedSchema>;

/** The result of a finished job of `kind`, or null when the event is another kind's or carries none. */
export function jobResult<K extends JobKind>(event: JobFinished, kind: K): JobResult<K> | null {
  return event.kind === kind && event.result !== undefined ? (event.result as JobResult<K>) : null;
}
