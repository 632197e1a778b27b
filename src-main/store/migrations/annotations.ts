// Boxes (and point + radius marks) drawn on frames, with their full change history, and the patch sets generated
// from them: each patch is a dataset item that keeps its patient, study, instance, frame and box.
import type { Migration } from './index.ts';

export const annotationsMigrations: Migration[] = [
  {
    id: 'annotations-001-boxes-patches',
    sql: `
      -- Geometry in frame pixels, origin at the top-left pixel's corner: the box covers columns x … x+width−1 and
      -- rows y … y+height−1. A point + radius mark is stored as its bounding square (shape 'point').
      CREATE TABLE annotation_boxes (
        id INTEGER PRIMARY KEY,
        instance_id INTEGER NOT NULL REFERENCES instances(id),
        frame_index INTEGER NOT NULL,
        patient_id INTEGER NOT NULL REFERENCES patients(id),
        study_id INTEGER NOT NULL REFERENCES studies(id),
        shape TEXT NOT NULL CHECK (shape IN ('box', 'point')),
        x INTEGER NOT NULL, y INTEGER NOT NULL,
        width INTEGER NOT NULL CHECK (width >= 1), height INTEGER NOT NULL CHECK (height >= 1),
        label TEXT NOT NULL,
        grade TEXT,
        reader TEXT,
        revision INTEGER NOT NULL DEFAULT 1,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        -- deleted boxes stay (soft delete): patches and the audit trail still point at them
        deleted_at TEXT
      );
      CREATE INDEX annotation_boxes_frame ON annotation_boxes(instance_id, frame_index);
      -- Every create / edit / delete with the box before and after (JSON), append-only like the audit log.
      CREATE TABLE annotation_changes (
        id INTEGER PRIMARY KEY,
        box_id INTEGER NOT NULL REFERENCES annotation_boxes(id),
        revision INTEGER NOT NULL,
        action TEXT NOT NULL CHECK (action IN ('create', 'update', 'delete', 'import')),
        before_json TEXT,
        after_json TEXT,
        reader TEXT,
        at TEXT NOT NULL
      );
      CREATE INDEX annotation_changes_box ON annotation_changes(box_id, id);
      CREATE TRIGGER annotation_changes_no_update BEFORE UPDATE ON annotation_changes BEGIN SELECT RAISE(ABORT, 'annotation history is append-only'); END;
      CREATE TRIGGER annotation_changes_no_delete BEFORE DELETE ON annotation_changes BEGIN SELECT RAISE(ABORT, 'annotation history is append-only'); END;
      -- One generation run: the recipe version and every parameter it used, so a patch can be remade exactly.
      CREATE TABLE annotation_patch_sets (
        id INTEGER PRIMARY KEY,
        recipe TEXT NOT NULL,
        params_json TEXT NOT NULL,
        params_hash TEXT NOT NULL,
        counts_json TEXT NOT NULL,
        reader TEXT,
        created_at TEXT NOT NULL
      );
      CREATE TABLE annotation_patches (
        item_id INTEGER PRIMARY KEY REFERENCES dataset_items(id),
        patch_set_id INTEGER NOT NULL REFERENCES annotation_patch_sets(id),
        -- null for random background patches (they belong to a frame, not a box)
        box_id INTEGER REFERENCES annotation_boxes(id),
        box_revision INTEGER,
        instance_id INTEGER NOT NULL REFERENCES instances(id),
        frame_index INTEGER NOT NULL,
        role TEXT NOT NULL CHECK (role IN ('positive', 'left', 'right', 'above', 'below', 'background')),
        -- the square cut from the frame, in frame pixels, before resizing
        x INTEGER NOT NULL, y INTEGER NOT NULL, side INTEGER NOT NULL,
        class_name TEXT,
        grade TEXT,
        -- params_hash + frame + square + role: the same recipe never makes the same patch twice
        patch_key TEXT NOT NULL UNIQUE
      );
      CREATE INDEX annotation_patches_box ON annotation_patches(box_id);
      CREATE INDEX annotation_patches_frame ON annotation_patches(instance_id, frame_index);
    `,
  },
  {
    id: 'annotations-002-detection-evaluations',
    sql: `
      -- One full-frame evaluation: a model's sliding-window heatmaps of the frames with boxes scored against the
      -- boxes (FROC). Kept so Results and the experiment report show it without rescanning; the boxes' fingerprint
      -- (ids and revisions) says whether the boxes have changed since.
      CREATE TABLE annotation_evaluations (
        id INTEGER PRIMARY KEY,
        model_path TEXT NOT NULL,
        model_version TEXT NOT NULL,
        scoring_version TEXT NOT NULL,
        params_json TEXT NOT NULL,
        params_hash TEXT NOT NULL,
        boxes_fingerprint TEXT NOT NULL,
        score_json TEXT NOT NULL,
        created_at TEXT NOT NULL
      );
      CREATE INDEX annotation_evaluations_key ON annotation_evaluations(model_version, params_hash, boxes_fingerprint);
    `,
  },
  {
    id: 'annotations-003-patch-scale',
    sql: `
      -- The source frame's millimetres per pixel at the isocenter and the cut square's side in millimetres; null when
      -- the frame's header gives no pixel size. A model trained on these patches records their side in millimetres.
      ALTER TABLE annotation_patches ADD COLUMN mm_per_pixel REAL;
      ALTER TABLE annotation_patches ADD COLUMN side_mm REAL;
    `,
  },
];
