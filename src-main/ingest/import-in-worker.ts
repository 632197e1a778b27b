// Main's side of a folder import job: starts ingest/import-worker.ts for the job, relays its progress and rejected
// files, forwards cancel, and turns a worker that dies (crash, out of memory) into a failed job with the code
// `worker-crashed`; what it had imported stays, and importing the folder again (jobs.restart) resumes it.
import { Worker } from 'node:worker_threads';
import { AppError } from '../ipc/app-error.ts';
import { JobCancelled, type JobContext } from '../jobs/job-runner.ts';
import { requireWorkerEntry } from '../workers/worker-entry.ts';
import type { DatasetFrames } from './dicom-import.ts';
import type { ImportCounts } from './folder-import.ts';

export interface ImportOptions {
  root: string;
  manifest?: string;
  datasetFrames?: DatasetFrames;
  reader?: string | null;
  /** Only these files, relative to root. */
  files?: string[];
}

export interface ImportWorkerInput {
  dataDir: string;
  decodeDeadlineMs?: number;
  jobId: string;
  options: ImportOptions;
}

type RejectedEntry = { path: string; reason: string; message: string };

export type ImportWorkerMessage =
  | { type: 'progress'; stage: string; done: number; total: number; message?: string }
  | { type: 'rejected'; entry: RejectedEntry }
  | { type: 'result'; counts: ImportCounts }
  | { type: 'cancelled' }
  | { type: 'error'; error: { code: string; message: string; details?: unknown } };

/** Import workers alive now (diagnostics, and tests that crash one on purpose). */
export const liveImportWorkers = new Set<Worker>();

/** Runs one import job's body in a worker thread. */
export function runImportInWorker(input: Omit<ImportWorkerInput, 'jobId'>, job: JobContext, rejected: (entry: RejectedEntry) => void): Promise<ImportCounts> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(requireWorkerEntry(import.meta.url, './import-worker.ts', 'import-worker'), { workerData: { ...input, jobId: job.jobId } satisfies ImportWorkerInput });
    liveImportWorkers.add(worker);
    let settled = false;
    const settle = (outcome: () => void) => {
      if (settled) return;
      settled = true;
      liveImportWorkers.delete(worker);
      job.signal.removeEventListener('abort', onAbort);
      outcome();
    };
    const onAbort = () => worker.postMessage({ type: 'cancel' });
    job.signal.addEventListener('abort', onAbort, { once: true });
    worker.on('message', (message: ImportWorkerMessage) => {
      if (message.type === 'progress') job.progress(message.stage, message.done, message.total, message.message);
      else if (message.type === 'rejected') rejected(message.entry);
      else if (message.type === 'result') settle(() => resolve(message.counts));
      else if (message.type === 'cancelled') settle(() => reject(new JobCancelled()));
      else settle(() => reject(new AppError(message.error.code, message.error.message, message.error.details)));
    });
    const crashed = (why: string) =>
      settle(() => reject(new AppError('worker-crashed', `${why}. What was imported is kept; restart the import to finish the folder.`)));
    worker.on('error', (error) => crashed(`The import's worker failed (${error.message})`));
    worker.on('exit', (code) => crashed(`The import's worker exited (code ${code}) before finishing`));
  });
}
