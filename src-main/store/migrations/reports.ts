// Reports: the findings a reader reviewed and exports (one model readout on one frame of a stored instance, with
// its saliency overlay as a raw RGBA blob) and the model cards of the models that produced them.
import type { Migration } from './index.ts';

export const reportsMigrations: Migration[] = [
  {
    id: 'reports-001-findings-model-cards',
    sql: `
      CREATE TABLE report_model_cards (
        model_version TEXT PRIMARY KEY,
        card_json TEXT NOT NULL,
        updated_at TEXT NOT NULL
      );
      CREATE TABLE report_findings (
        id INTEGER PRIMARY KEY,
        study_id INTEGER NOT NULL REFERENCES studies(id),
        instance_id INTEGER NOT NULL REFERENCES instances(id),
        frame_index INTEGER NOT NULL,
        probability REAL NOT NULL CHECK (probability >= 0 AND probability <= 1),
        decision TEXT NOT NULL CHECK (decision IN ('stenosis', 'no stenosis')),
        threshold REAL NOT NULL,
        quantum_contribution REAL,
        model_version TEXT NOT NULL REFERENCES report_model_cards(model_version),
        -- raw RGBA (width × height × 4) in the blob store, aligned to the frame; null when no saliency was made
        saliency_sha256 TEXT,
        saliency_width INTEGER,
        saliency_height INTEGER,
        saliency_scale_json TEXT,
        created_at TEXT NOT NULL,
        UNIQUE (instance_id, frame_index, model_version)
      );
      CREATE INDEX report_findings_study ON report_findings(study_id);
    `,
  },
  {
    // Graded models: [{name, probability}] most probable first; null for binary models and older findings.
    id: 'reports-002-finding-classes',
    sql: `ALTER TABLE report_findings ADD COLUMN classes_json TEXT;`,
  },
  {
    // Frames larger than the model's patch are scanned: [{x, y, width, height, probability, uncertainty,
    // outOfDistribution, oodReasons}] best first; null for an image read whole as a patch and for older findings.
    id: 'reports-003-finding-candidates',
    sql: `ALTER TABLE report_findings ADD COLUMN candidates_json TEXT;`,
  },
];
