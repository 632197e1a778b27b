// An import job as the Library draws it, folded from the job's event stream (job.progress, ingest.fileRejected,
// job.finished) and, once finished, the import log's complete list of files that did not import.
import type { JobResult } from '../../../src-preload/contract.ts';

export interface RejectedFile {
  path: string;
  reason: string;
  message: string;
}

export type ImportStatus = 'idle' | 'starting' | 'running' | 'succeeded' | 'failed' | 'cancelled';

/** A finished import's counts, as the contract declares the import job's result. */
export type ImportCounts = JobResult<'import'>;

export interface ImportProgressState {
  jobId: string | null;
  folder: string | null;
  status: ImportStatus;
  done: number;
  total: number;
  currentPath: string | null;
  rejected: RejectedFile[];
  counts: ImportCounts | null;
  error: string | null;
  /** The error's code, so the panel offers only the ways on that can work (no restart for a missing folder). */
  errorCode: string | null;
}

export type ImportEvent =
  | { type: 'started'; jobId: string; folder: string }
  | { type: 'progress'; done: number; total: number; message?: string }
  | { type: 'rejected'; path: string; reason: string; message: string }
  | { type: 'finished'; status: 'succeeded' | 'failed' | 'cancelled'; result?: ImportCounts; error?: { message: string; code?: string } }
  | { type: 'log'; entries: RejectedFile[] }
  | { type: 'failedToStart'; message: string; code?: string };

export const idleImport: ImportProgressState = {
  jobId: null, folder: null, status: 'idle', done: 0, total: 0, currentPath: null, rejected: [], counts: null, error: null, errorCode: null,
};

/** Merges rejections by path: the live events arrive first, the log (complete, in folder order) replaces them. */
function mergeRejected(live: RejectedFile[], log: RejectedFile[]): RejectedFile[] {
  const byPath = new Map(live.map((r) => [r.path, r]));
  for (const entry of log) byPath.set(entry.path, entry);
  const order = log.map((r) => r.path);
  return [...byPath.values()].sort((a, b) => (order.indexOf(a.path) + 1 || Infinity) - (order.indexOf(b.path) + 1 || Infinity));
}

export function foldImport(state: ImportProgressState, event: ImportEvent): ImportProgressState {
  switch (event.type) {
    case 'started':
      return { ...idleImport, jobId: event.jobId, folder: event.folder, status: 'running' };
    case 'progress':
      return state.status === 'running' ? { ...state, done: event.done, total: event.total, currentPath: event.message ?? state.currentPath } : state;
    case 'rejected':
      return state.rejected.some((r) => r.path === event.path) ? state : { ...state, rejected: [...state.rejected, { path: event.path, reason: event.reason, message: event.message }] };
    case 'finished': {
      const counts = event.result ?? null;
      const done = event.status === 'succeeded' ? (counts?.total ?? state.total) : state.done;
      return { ...state, status: event.status, counts, done, total: Math.max(state.total, done), currentPath: null, error: event.error?.message ?? null, errorCode: event.error?.code ?? null };
    }
    case 'log':
      return { ...state, rejected: mergeRejected(state.rejected, event.entries) };
    case 'failedToStart':
      return { ...state, status: 'failed', error: event.message, errorCode: event.code ?? null };
  }
}

/** "12 of 40 files", or what happened, for the line under the progress bar. */
export function importSummary(state: ImportProgressState): string {
  const c = state.counts;
  switch (state.status) {
    case 'idle':
      return '';
    case 'starting':
      return 'Starting the import…';
    case 'running':
      return state.total > 0 ? `${state.done} of ${state.total} files` : 'Listing the folder…';
    case 'cancelled':
      return `Import cancelled after ${state.done} of ${state.total} files. What was imported stays; importing the folder again finishes the rest.`;
    case 'failed':
      return `The import stopped: ${state.error ?? 'unknown error'}`;
    case 'succeeded':
      if (!c) return 'Import finished.';
      return [
        `${c.imported} imported`,
        c.duplicateInFolder ? `${c.duplicateInFolder} duplicate${c.duplicateInFolder === 1 ? '' : 's'} inside this folder` : '',
        c.duplicate - c.duplicateInFolder > 0 ? `${c.duplicate - c.duplicateInFolder} already in the library` : '',
        c.document ? `${c.document} documents` : '',
        c.unsupported ? `${c.unsupported} unsupported` : '',
        c.rejected ? `${c.rejected} rejected` : '',
      ].filter(Boolean).join(', ') + ` (of ${c.total} files).` + foundSentence(c);
  }
}

/** " 300 with a label (from folder names or the manifest); splits found: val." — what the import read besides pixels. */
function foundSentence(c: ImportCounts): string {
  // Labels and splits belong to patches: a DICOM-only import, or one that brought nothing new, has nothing to say here.
  if (!c.patches) return '';
  const labels = c.labelled === 0 ? ' No labels found' : ` ${c.labelled} with a label (from folder names or the manifest)`;
  const splits = c.splits.length > 0 ? `; splits found: ${c.splits.join(', ')}.` : '; no split found.';
  return labels + splits;
}
