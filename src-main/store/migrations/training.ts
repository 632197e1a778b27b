// Training runs: what was asked (config, dataset, preprocessing version, seed, code version), how it went (status,
// metrics) and what it left on disk (run folder, checkpoint, model files).
import type { Migration } from './index.ts';

export const trainingMigrations: Migration[] = [
  {
    id: 'training-001-runs',
    sql: `
      CREATE TABLE training_runs (
        id TEXT PRIMARY KEY,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        status TEXT NOT NULL CHECK (status IN ('running', 'succeeded', 'failed', 'cancelled')),
        method TEXT NOT NULL,
        encoder TEXT NOT NULL,
        seed INTEGER NOT NULL,
        config_json TEXT NOT NULL,
        dataset_json TEXT NOT NULL,
        preprocessing_version TEXT NOT NULL,
        code_version TEXT NOT NULL,
        run_dir TEXT NOT NULL,
        metrics_json TEXT,
        files_json TEXT,
        error_json TEXT
      );
      CREATE INDEX training_runs_created ON training_runs (created_at);
    `,
  },
  {
    // The machine that trained the run (training/machine-profile.ts); null for runs recorded before it.
    id: 'training-002-machine',
    sql: 'ALTER TABLE training_runs ADD COLUMN machine_json TEXT;',
  },
];
