// Read side of the catalog for the Library screen: patients → studies → series → instances with counts, dataset
// items, and the import log. Plain SELECTs returning plain rows; de-identified values only.
import type { AngioFacts, StoredPixelFacts } from '../../src-preload/channels/ingest.ts';
import type { Store } from '../store/index.ts';

export interface PatientRow { id: number; pseudonym: string; flags: string; studies: number; series: number; instances: number; datasetItems: number }
export interface StudyRow { id: number; patientId: number; studyUid: string; studyDate: string | null; modalities: string; series: number; instances: number; documents: number }
export interface SeriesRow { id: number; studyId: number; seriesUid: string; modality: string | null; seriesNumber: number | null; instances: number; frames: number }
export interface InstanceRow {
  id: number; seriesId: number; sopInstanceUid: string; kind: string; unsupportedReason: string | null; transferSyntax: string;
  rows: number | null; columns: number | null; frames: number | null; photometric: string | null; burnedIn: string; needsReview: boolean;
  keyFrame: number | null; keyFrameReason: string | null; hasThumbnail: boolean;
}

export function listPatients(store: Store): PatientRow[] {
  return store.db
    .prepare(
      `SELECT p.id, p.pseudonym, p.flags,
        (SELECT count(*) FROM studies s WHERE s.patient_id = p.id) AS studies,
        (SELECT count(*) FROM series r JOIN studies s ON r.study_id = s.id WHERE s.patient_id = p.id) AS series,
        (SELECT count(*) FROM instances i JOIN series r ON i.series_id = r.id JOIN studies s ON r.study_id = s.id WHERE s.patient_id = p.id) AS instances,
        (SELECT count(*) FROM dataset_items d WHERE d.patient_id = p.id) AS datasetItems
       FROM patients p ORDER BY p.pseudonym`,
    )
    .all() as unknown as PatientRow[];
}

export function listStudies(store: Store, patientId: number): StudyRow[] {
  return store.db
    .prepare(
      `SELECT s.id, s.patient_id AS patientId, s.study_uid AS studyUid, s.study_date AS studyDate, s.modalities,
        (SELECT count(*) FROM series r WHERE r.study_id = s.id) AS series,
        (SELECT count(*) FROM instances i JOIN series r ON i.series_id = r.id WHERE r.study_id = s.id) AS instances,
        (SELECT count(*) FROM documents d WHERE d.study_id = s.id) AS documents
       FROM studies s WHERE s.patient_id = ? ORDER BY s.study_date, s.id`,
    )
    .all(patientId) as unknown as StudyRow[];
}

export function listSeries(store: Store, studyId: number): SeriesRow[] {
  return store.db
    .prepare(
      `SELECT r.id, r.study_id AS studyId, r.series_uid AS seriesUid, r.modality, r.series_number AS seriesNumber,
        count(i.id) AS instances, coalesce(sum(i.frames), 0) AS frames
       FROM series r LEFT JOIN instances i ON i.series_id = r.id WHERE r.study_id = ? GROUP BY r.id ORDER BY r.series_number, r.id`,
    )
    .all(studyId) as unknown as SeriesRow[];
}

export function listInstances(store: Store, seriesId: number): InstanceRow[] {
  const rows = store.db
    .prepare(
      `SELECT id, series_id AS seriesId, sop_instance_uid AS sopInstanceUid, kind, unsupported_reason AS unsupportedReason,
        transfer_syntax AS transferSyntax, rows, columns, frames, photometric, burned_in AS burnedIn, needs_review AS needsReview,
        key_frame AS keyFrame, key_frame_reason AS keyFrameReason, thumbnail_sha256 IS NOT NULL AS hasThumbnail
       FROM instances WHERE series_id = ? ORDER BY id`,
    )
    .all(seriesId) as unknown as (Omit<InstanceRow, 'needsReview' | 'hasThumbnail'> & { needsReview: number; hasThumbnail: number })[];
  return rows.map((r) => ({ ...r, needsReview: Boolean(r.needsReview), hasThumbnail: Boolean(r.hasThumbnail) }));
}

export interface InstanceDetail {
  id: number;
  blobSha: string;
  thumbnailSha: string | null;
  frames: number | null;
  pixel: StoredPixelFacts | null;
  angio: AngioFacts | null;
  frameTimesMs: (number | null)[];
}

export function instanceDetail(store: Store, instanceId: number): InstanceDetail | null {
  const row = store.db
    .prepare('SELECT id, blob_sha256 AS blobSha, thumbnail_sha256 AS thumbnailSha, frames, pixel_json, angio_json FROM instances WHERE id = ?')
    .get(instanceId) as { id: number; blobSha: string; thumbnailSha: string | null; frames: number | null; pixel_json: string | null; angio_json: string | null } | undefined;
  if (!row) return null;
  const times = store.db.prepare('SELECT time_ms FROM frames WHERE instance_id = ? ORDER BY frame_index').all(instanceId) as { time_ms: number | null }[];
  return {
    id: row.id,
    blobSha: row.blobSha,
    thumbnailSha: row.thumbnailSha,
    frames: row.frames,
    pixel: row.pixel_json ? JSON.parse(row.pixel_json) : null,
    angio: row.angio_json ? JSON.parse(row.angio_json) : null,
    frameTimesMs: times.map((t) => t.time_ms),
  };
}

export interface DatasetItemRow {
  id: number; kind: string; instanceId: number | null; frameIndex: number | null; width: number | null; height: number | null;
  patientId: number | null; studyId: number | null; label: string | null; sourceSplit: string | null; sourceName: string | null; flags: string;
}

export function listDatasetItems(store: Store, filter: { label?: string; split?: string; patchesOnly?: boolean; limit: number; offset: number }): { total: number; items: DatasetItemRow[] } {
  const where: string[] = [];
  const args: (string | number)[] = [];
  // Patches are the items that are images of their own, not frames of a catalogued DICOM run.
  if (filter.patchesOnly) where.push('d.instance_id IS NULL');
  if (filter.label) {
    where.push('l.name = ?');
    args.push(filter.label);
  }
  if (filter.split) {
    where.push('d.source_split = ?');
    args.push(filter.split);
  }
  const clause = where.length ? `WHERE ${where.join(' AND ')}` : '';
  const total = (store.db.prepare(`SELECT count(*) AS n FROM dataset_items d LEFT JOIN labels l ON d.label_id = l.id ${clause}`).get(...args) as { n: number }).n;
  const items = store.db
    .prepare(
      `SELECT d.id, d.kind, d.instance_id AS instanceId, d.frame_index AS frameIndex, d.width, d.height, d.patient_id AS patientId,
        d.study_id AS studyId, l.name AS label, d.source_split AS sourceSplit, d.source_name AS sourceName, d.flags
       FROM dataset_items d LEFT JOIN labels l ON d.label_id = l.id ${clause} ORDER BY d.id LIMIT ? OFFSET ?`,
    )
    .all(...args, filter.limit, filter.offset) as unknown as DatasetItemRow[];
  return { total, items };
}

export interface ImportLogRow { path: string; outcome: string; reason: string | null; message: string | null }

export function importLog(store: Store, jobId: string, outcomes: string[] | null): ImportLogRow[] {
  const rows = store.db.prepare('SELECT path, outcome, reason, message FROM import_log WHERE job_id = ? ORDER BY id').all(jobId) as unknown as ImportLogRow[];
  return outcomes ? rows.filter((r) => outcomes.includes(r.outcome)) : rows;
}
