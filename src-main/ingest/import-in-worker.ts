// Main's side of a folder import job: starts ingest/import-worker.ts for the job, relays its progress and rejected
// files, forwards cancel, and turns a worker that dies (crash, out of memory) into a failed job with the code
// `worker-crashed`; what it had imported stays, and importing the folder again (jobs.restart) resumes it.
import { Worker } from 'node:worker_threads';
import { AppError } from '../ipc/index.ts';
import { JobCancelled, type JobContext } from '../jobs/index.ts';
import { requireWorkerEntry } from '../workers/index.ts';
import type { DatasetFrames } from './dicom-import.ts';
import type { ImportResult } from './folder-import.ts';

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
  /** The vault's data key, unlocked by main (Electron's safeStorage answers on the main thread only). */
  vaultDataKey?: Uint8Array;
  /** Set by tests only (importWorkerTestHooks): the worker exits as this file (1-based) begins. */
  exitAtFile?: number;
}

type RejectedEntry = { path: string; reason: string; message: string };

export type ImportWorkerMessage =
  | { type: 'progress'; stage: string; done: number; total: number; message?: string }
  | { type: 'rejected'; entry: RejectedEntry }
  | { type: 'result'; counts: ImportResult }
  | { type: 'cancelled' }
  | { type: 'error'; error: { code: string; message: string; details?: unknown } };

/** Import workers alive now (diagnostics, and tests that check none is left behind). */
export const liveImportWorkers = new Set<Worker>();

/**
 * For tests: the next import worker started exits (code 70) as its `exitAtFile`-th file begins, which is what a crash
 * does to an import, at a point the test chooses. terminate() would land anywhere, and inside a zlib call (the PNG
 * checks) it aborts the whole Node process.
 */
export const importWorkerTestHooks: { exitAtFile: number | null } = { exitAtFile: null };

/** Runs one import job's body in a worker thread. */
export function runImportInWorker(input: Omit<ImportWorkerInput, 'jobId'>, job: JobContext, rejected: (entry: RejectedEntry) => void): Promise<ImportResult> {
  return new Promise((resolve, reject) => {
    const exitAtFile = importWorkerTestHooks.exitAtFile;
    importWorkerTestHooks.exitAtFile = null;
    const workerData: ImportWorkerInput = { ...input, jobId: job.jobId, ...(exitAtFile === null ? {} : { exitAtFile }) };
    const worker = new Worker(requireWorkerEntry(import.meta.url, './import-worker.ts', 'import-worker'), { workerData });
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
