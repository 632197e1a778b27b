// The dataset workflow: reader profiles bound to the OS account, per-reader labels with their action history
// (undo/redo, audit), senior adjudications, versioned train/val/test splits (locked ones are immutable) and the
// model scores of items (active-learning ranking, per-image predictions of a run).
import type { Migration } from './index.ts';

export const datasetMigrations: Migration[] = [
  {
    id: 'dataset-001-readers-labels-splits',
    sql: `
      CREATE TABLE readers (
        id INTEGER PRIMARY KEY,
        name TEXT NOT NULL,
        -- the OS account the profile belongs to: a workstation lists only its own user's readers
        os_account TEXT NOT NULL,
        senior INTEGER NOT NULL DEFAULT 0,
        created_at TEXT NOT NULL,
        UNIQUE (os_account, name)
      );
      -- The current label of one reader on one item; its history is label_changes.
      CREATE TABLE item_labels (
        item_id INTEGER NOT NULL REFERENCES dataset_items(id),
        reader_id INTEGER NOT NULL REFERENCES readers(id),
        label TEXT NOT NULL CHECK (label IN ('positive', 'negative', 'unsure', 'exclude')),
        labelled_at TEXT NOT NULL,
        PRIMARY KEY (item_id, reader_id)
      ) WITHOUT ROWID;
      CREATE INDEX item_labels_reader ON item_labels(reader_id);
      CREATE TABLE adjudications (
        item_id INTEGER PRIMARY KEY REFERENCES dataset_items(id),
        label TEXT NOT NULL CHECK (label IN ('positive', 'negative', 'unsure', 'exclude')),
        reader_id INTEGER NOT NULL REFERENCES readers(id),
        decided_at TEXT NOT NULL
      );
      -- One user action (a key press on a multi-selection, an adjudication). state: 0 applied, 1 undone (redoable),
      -- 2 undone and superseded by a later action (no longer redoable).
      CREATE TABLE label_actions (
        id INTEGER PRIMARY KEY,
        reader_id INTEGER NOT NULL REFERENCES readers(id),
        target TEXT NOT NULL CHECK (target IN ('reader', 'adjudication')),
        label TEXT,
        items INTEGER NOT NULL,
        at TEXT NOT NULL,
        state INTEGER NOT NULL DEFAULT 0
      );
      CREATE INDEX label_actions_reader ON label_actions(reader_id, state, id);
      CREATE TABLE label_changes (
        action_id INTEGER NOT NULL REFERENCES label_actions(id),
        item_id INTEGER NOT NULL,
        before TEXT,
        after TEXT,
        PRIMARY KEY (action_id, item_id)
      ) WITHOUT ROWID;
      CREATE TABLE dataset_splits (
        id INTEGER PRIMARY KEY,
        name TEXT NOT NULL,
        version INTEGER NOT NULL,
        origin TEXT NOT NULL CHECK (origin IN ('built', 'source', 'fixed')),
        seed INTEGER,
        ratios_json TEXT,
        -- 'patient': every item had a patient id; 'image': none had; 'mixed': some fell back to images
        level TEXT NOT NULL CHECK (level IN ('patient', 'image', 'mixed')),
        warnings_json TEXT NOT NULL DEFAULT '[]',
        parent_id INTEGER REFERENCES dataset_splits(id),
        created_at TEXT NOT NULL,
        created_by TEXT,
        locked_at TEXT,
        locked_by TEXT,
        UNIQUE (name, version)
      );
      CREATE TABLE dataset_split_items (
        split_id INTEGER NOT NULL REFERENCES dataset_splits(id),
        item_id INTEGER NOT NULL REFERENCES dataset_items(id),
        part TEXT NOT NULL CHECK (part IN ('train', 'val', 'test')),
        -- the reference label when the split was built or locked: 1, 0, or NULL (unlabelled)
        label INTEGER,
        PRIMARY KEY (split_id, item_id)
      ) WITHOUT ROWID;
      CREATE INDEX dataset_split_items_item ON dataset_split_items(item_id);
      -- A locked split is what a run trained on: the database refuses to change it.
      CREATE TRIGGER dataset_split_items_locked_insert BEFORE INSERT ON dataset_split_items
        WHEN (SELECT locked_at FROM dataset_splits WHERE id = NEW.split_id) IS NOT NULL
        BEGIN SELECT RAISE(ABORT, 'split is locked'); END;
      CREATE TRIGGER dataset_split_items_locked_update BEFORE UPDATE ON dataset_split_items
        WHEN (SELECT locked_at FROM dataset_splits WHERE id = OLD.split_id) IS NOT NULL
        BEGIN SELECT RAISE(ABORT, 'split is locked'); END;
      CREATE TRIGGER dataset_split_items_locked_delete BEFORE DELETE ON dataset_split_items
        WHEN (SELECT locked_at FROM dataset_splits WHERE id = OLD.split_id) IS NOT NULL
        BEGIN SELECT RAISE(ABORT, 'split is locked'); END;
      CREATE TRIGGER dataset_splits_unlock BEFORE UPDATE OF locked_at ON dataset_splits
        WHEN OLD.locked_at IS NOT NULL
        BEGIN SELECT RAISE(ABORT, 'split is locked'); END;
      -- Model scores: P(stenosis) of an item under a training run's model.
      CREATE TABLE item_scores (
        run_id TEXT NOT NULL,
        item_id INTEGER NOT NULL REFERENCES dataset_items(id),
        score REAL NOT NULL,
        scored_at TEXT NOT NULL,
        PRIMARY KEY (run_id, item_id)
      ) WITHOUT ROWID;
      -- The training runs started from a split version (what makes a run reproducible).
      CREATE TABLE run_splits (
        run_id TEXT PRIMARY KEY,
        split_id INTEGER NOT NULL REFERENCES dataset_splits(id),
        export_dir TEXT NOT NULL
      );
    `,
  },
  {
    // Position of an item in the run's "label next" list (uncertain and diverse, label-ranking.ts); null: not ranked.
    id: 'dataset-002-label-rank',
    sql: `ALTER TABLE item_scores ADD COLUMN label_rank INTEGER;`,
  },
];
