// Saved QCA measurements: the frame measured, the clicked points, the traced geometry (centreline, normals and both
// edge offsets, so an edited contour is kept exactly), the calibration with its value, every figure, the reader.
import type { Migration } from './index.ts';

export const qcaMigrations: Migration[] = [
  {
    id: 'qca-001-measurements',
    sql: `
      CREATE TABLE qca_measurements (
        id INTEGER PRIMARY KEY,
        instance_id INTEGER NOT NULL REFERENCES instances(id),
        frame_index INTEGER NOT NULL CHECK (frame_index >= 0),
        -- start and end as clicked, image pixels: {"start":{x,y},"end":{x,y}}
        points_json TEXT NOT NULL,
        -- the SegmentTrace (centreline, normals, left/right offsets, blur) the figures are computed from
        edges_json TEXT NOT NULL,
        calibration_method TEXT NOT NULL CHECK (calibration_method IN ('isocenter', 'catheter', 'manual', 'none')),
        -- null when uncalibrated: the figures are then in pixels
        mm_per_pixel REAL,
        calibration_basis TEXT NOT NULL,
        unit TEXT NOT NULL CHECK (unit IN ('mm', 'px')),
        mld REAL NOT NULL,
        reference REAL NOT NULL,
        reference_source TEXT NOT NULL CHECK (reference_source IN ('fitted', 'user')),
        diameter_stenosis_pct REAL NOT NULL,
        area_stenosis_pct REAL NOT NULL,
        lesion_length REAL NOT NULL,
        reader TEXT,
        created_at TEXT NOT NULL,
        -- deleted measurements stay (soft delete) so the audit trail still points at them
        deleted_at TEXT
      );
      CREATE INDEX qca_measurements_instance ON qca_measurements(instance_id, frame_index);
    `,
  },
];
