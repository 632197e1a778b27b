// The imaging catalog: patients → studies → series → instances → frames, documents, dataset items with labels and
// source splits, and the import log. Only de-identified values live here; originals stay in the vault (deid/).
import type { Migration } from './index.ts';

export const catalogMigrations: Migration[] = [
  {
    id: 'catalog-001-patients-to-frames',
    sql: `
      CREATE TABLE patients (
        id INTEGER PRIMARY KEY,
        pseudonym TEXT NOT NULL UNIQUE,
        -- 'no patient id' when the source carried none (patch sets without a manifest, DICOM with empty (0010,0020))
        flags TEXT NOT NULL DEFAULT '',
        created_at TEXT NOT NULL
      );
      CREATE TABLE studies (
        id INTEGER PRIMARY KEY,
        patient_id INTEGER NOT NULL REFERENCES patients(id),
        study_uid TEXT NOT NULL UNIQUE,
        study_date TEXT,
        modalities TEXT NOT NULL DEFAULT ''
      );
      CREATE TABLE series (
        id INTEGER PRIMARY KEY,
        study_id INTEGER NOT NULL REFERENCES studies(id),
        series_uid TEXT NOT NULL UNIQUE,
        modality TEXT,
        series_number INTEGER
      );
      CREATE TABLE instances (
        id INTEGER PRIMARY KEY,
        series_id INTEGER NOT NULL REFERENCES series(id),
        sop_instance_uid TEXT NOT NULL UNIQUE,
        sop_class_uid TEXT,
        kind TEXT NOT NULL CHECK (kind IN ('image', 'document', 'unsupported')),
        unsupported_reason TEXT,
        source_sha256 TEXT NOT NULL UNIQUE,
        blob_sha256 TEXT NOT NULL,
        transfer_syntax TEXT NOT NULL,
        instance_number INTEGER,
        rows INTEGER, columns INTEGER, frames INTEGER,
        samples_per_pixel INTEGER, bits_allocated INTEGER, bits_stored INTEGER, signed INTEGER,
        photometric TEXT,
        pixel_json TEXT,
        angio_json TEXT,
        burned_in TEXT NOT NULL DEFAULT 'UNKNOWN' CHECK (burned_in IN ('YES', 'NO', 'UNKNOWN')),
        needs_review INTEGER NOT NULL DEFAULT 0,
        key_frame INTEGER,
        key_frame_reason TEXT,
        thumbnail_sha256 TEXT,
        imported_at TEXT NOT NULL
      );
      CREATE INDEX instances_series ON instances(series_id);
      CREATE TABLE frames (
        instance_id INTEGER NOT NULL REFERENCES instances(id),
        frame_index INTEGER NOT NULL,
        time_ms REAL,
        PRIMARY KEY (instance_id, frame_index)
      ) WITHOUT ROWID;
      CREATE TABLE overlay_layers (
        instance_id INTEGER NOT NULL REFERENCES instances(id),
        overlay_group INTEGER NOT NULL,
        rows INTEGER NOT NULL, columns INTEGER NOT NULL,
        origin_row INTEGER NOT NULL, origin_column INTEGER NOT NULL,
        blob_sha256 TEXT NOT NULL,
        PRIMARY KEY (instance_id, overlay_group)
      ) WITHOUT ROWID;
      CREATE TABLE documents (
        id INTEGER PRIMARY KEY,
        study_id INTEGER NOT NULL REFERENCES studies(id),
        instance_id INTEGER NOT NULL UNIQUE REFERENCES instances(id),
        title TEXT
      );
      CREATE TABLE labels (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE);
      CREATE TABLE dataset_items (
        id INTEGER PRIMARY KEY,
        kind TEXT NOT NULL CHECK (kind IN ('dicom-frame', 'png', 'jpeg')),
        instance_id INTEGER REFERENCES instances(id),
        frame_index INTEGER,
        blob_sha256 TEXT,
        source_sha256 TEXT,
        width INTEGER, height INTEGER,
        patient_id INTEGER REFERENCES patients(id),
        study_id INTEGER REFERENCES studies(id),
        label_id INTEGER REFERENCES labels(id),
        source_split TEXT,
        source_name TEXT,
        flags TEXT NOT NULL DEFAULT '',
        created_at TEXT NOT NULL,
        UNIQUE (instance_id, frame_index)
      );
      CREATE UNIQUE INDEX dataset_items_source ON dataset_items(source_sha256) WHERE source_sha256 IS NOT NULL;
      CREATE INDEX dataset_items_label ON dataset_items(label_id);
      CREATE TABLE import_jobs (
        id TEXT PRIMARY KEY,
        root_name TEXT NOT NULL,
        kind TEXT NOT NULL,
        started_at TEXT NOT NULL,
        finished_at TEXT,
        status TEXT NOT NULL DEFAULT 'running',
        counts_json TEXT
      );
      CREATE TABLE import_log (
        id INTEGER PRIMARY KEY,
        job_id TEXT NOT NULL,
        -- relative to the imported folder: the folder's own name stays with the user
        path TEXT NOT NULL,
        source_sha256 TEXT,
        outcome TEXT NOT NULL CHECK (outcome IN ('imported', 'duplicate', 'rejected', 'unsupported', 'document')),
        reason TEXT,
        message TEXT,
        at TEXT NOT NULL
      );
      CREATE INDEX import_log_job ON import_log(job_id);
    `,
  },
];
