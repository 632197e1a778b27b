// Run records in the catalog (table training_runs, store/migrations/training.ts): one row per run, updated as
// it moves from running to succeeded / failed / cancelled.
import type { Store } from '../store/index.ts';
import type { DatasetSource, TrainingConfig } from './config.ts';
import type { MachineProfile } from './machine-profile.ts';
import type { RunMetrics } from '../../src-preload/schemas/run-metrics.ts';

export type RunStatus = 'running' | 'succeeded' | 'failed' | 'cancelled';

export interface RunRecord {
  id: string;
  createdAt: string;
  updatedAt: string;
  status: RunStatus;
  method: string;
  encoder: string;
  seed: number;
  config: TrainingConfig;
  dataset: DatasetSource;
  preprocessingVersion: string;
  codeVersion: string;
  runDir: string;
  /** Null until the run succeeds. */
  metrics: RunMetrics | null;
  files: Record<string, string> | null;
  error: { code: string; message: string } | null;
  /** CPU, kernels, threads and library versions of the process that trained it; recorded when it stops (done or cancelled). */
  machine: MachineProfile | null;
}

interface Row {
  id: string;
  created_at: string;
  updated_at: string;
  status: RunStatus;
  method: string;
  encoder: string;
  seed: number;
  config_json: string;
  dataset_json: string;
  preprocessing_version: string;
  code_version: string;
  run_dir: string;
  metrics_json: string | null;
  files_json: string | null;
  error_json: string | null;
  machine_json: string | null;
}

const parse = <T>(text: string | null): T | null => (text === null ? null : (JSON.parse(text) as T));

function fromRow(row: Row): RunRecord {
  return {
    id: row.id,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    status: row.status,
    method: row.method,
    encoder: row.encoder,
    seed: row.seed,
    config: JSON.parse(row.config_json) as TrainingConfig,
    dataset: JSON.parse(row.dataset_json) as DatasetSource,
    preprocessingVersion: row.preprocessing_version,
    codeVersion: row.code_version,
    runDir: row.run_dir,
    metrics: parse(row.metrics_json),
    files: parse(row.files_json),
    error: parse(row.error_json),
    machine: parse(row.machine_json),
  };
}

export function insertRun(store: Store, run: Pick<RunRecord, 'id' | 'config' | 'dataset' | 'preprocessingVersion' | 'codeVersion' | 'runDir'>, now = new Date()): void {
  store.db
    .prepare(
      `INSERT INTO training_runs (id, created_at, updated_at, status, method, encoder, seed, config_json, dataset_json,
         preprocessing_version, code_version, run_dir) VALUES (?, ?, ?, 'running', ?, ?, ?, ?, ?, ?, ?, ?)`,
    )
    .run(run.id, now.toISOString(), now.toISOString(), run.config.method, run.config.encoder, run.config.seed,
      JSON.stringify(run.config), JSON.stringify(run.dataset), run.preprocessingVersion, run.codeVersion, run.runDir);
}

export function updateRun(store: Store, id: string, update: { status: RunStatus; metrics?: unknown; files?: Record<string, string>; error?: { code: string; message: string }; machine?: MachineProfile }, now = new Date()): void {
  store.db
    .prepare(
      `UPDATE training_runs SET status = ?, updated_at = ?, metrics_json = coalesce(?, metrics_json),
         files_json = coalesce(?, files_json), error_json = ?, machine_json = coalesce(?, machine_json) WHERE id = ?`,
    )
    .run(update.status, now.toISOString(), update.metrics === undefined ? null : JSON.stringify(update.metrics),
      update.files === undefined ? null : JSON.stringify(update.files), update.error ? JSON.stringify(update.error) : null,
      update.machine === undefined ? null : JSON.stringify(update.machine), id);
}

export function getRun(store: Store, id: string): RunRecord | null {
  const row = store.db.prepare('SELECT * FROM training_runs WHERE id = ?').get(id) as Row | undefined;
  return row ? fromRow(row) : null;
}

export function listRuns(store: Store): RunRecord[] {
  return (store.db.prepare('SELECT * FROM training_runs ORDER BY created_at DESC, id').all() as unknown as Row[]).map(fromRow);
}

export const INTERRUPTED = { code: 'training-interrupted', message: 'The app stopped while this run was training (it was closed, crashed or the computer went down). Resume it to continue from its last checkpoint.' };

/**
 * At app start no run can be training yet, so a run still recorded as running was cut off with its process
 * (kill -9, crash, power loss). Recording it as failed with INTERRUPTED is what lets the run list offer to resume
 * it. Returns the ids marked.
 */
export function markInterruptedRuns(store: Store, now = new Date()): string[] {
  const ids = (store.db.prepare("SELECT id FROM training_runs WHERE status = 'running'").all() as { id: string }[]).map((r) => r.id);
  for (const id of ids) updateRun(store, id, { status: 'failed', error: INTERRUPTED }, now);
  return ids;
}
