// An import job as the Library draws it, folded from the job's event stream (job.progress, ingest.fileRejected,
// job.finished) and, once finished, the import log's complete list of files that did not import.

export interface RejectedFile {
  path: string;
  reason: string;
  message: string;
}

export type ImportStatus = 'idle' | 'starting' | 'running' | 'succeeded' | 'failed' | 'cancelled';

export interface ImportCounts {
  total: number;
  imported: number;
  duplicate: number;
  rejected: number;
  unsupported: number;
  document: number;
}

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
}

export type ImportEvent =
  | { type: 'started'; jobId: string; folder: string }
  | { type: 'progress'; done: number; total: number; message?: string }
  | { type: 'rejected'; path: string; reason: string; message: string }
  | { type: 'finished'; status: 'succeeded' | 'failed' | 'cancelled'; result?: unknown; error?: { message: string } }
  | { type: 'log'; entries: RejectedFile[] }
  | { type: 'failedToStart'; message: string };

export const idleImport: ImportProgressState = {
  jobId: null, folder: null, status: 'idle', done: 0, total: 0, currentPath: null, rejected: [], counts: null, error: null,
};

function asCounts(result: unknown): ImportCounts | null {
  if (!result || typeof result !== 'object') return null;
  const r = result as Record<string, unknown>;
  const keys = ['total', 'imported', 'duplicate', 'rejected', 'unsupported', 'document'] as const;
  return keys.every((k) => typeof r[k] === 'number') ? (Object.fromEntries(keys.map((k) => [k, r[k]])) as unknown as ImportCounts) : null;
}

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
      const counts = asCounts(event.result);
      const done = event.status === 'succeeded' ? (counts?.total ?? state.total) : state.done;
      return { ...state, status: event.status, counts, done, total: Math.max(state.total, done), currentPath: null, error: event.error?.message ?? null };
    }
    case 'log':
      return { ...state, rejected: mergeRejected(state.rejected, event.entries) };
    case 'failedToStart':
      return { ...state, status: 'failed', error: event.message };
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
        c.duplicate ? `${c.duplicate} already in the library` : '',
        c.document ? `${c.document} documents` : '',
        c.unsupported ? `${c.unsupported} unsupported` : '',
        c.rejected ? `${c.rejected} rejected` : '',
      ].filter(Boolean).join(', ') + ` (of ${c.total} files).`;
  }
}
