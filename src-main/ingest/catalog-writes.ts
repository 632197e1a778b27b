// Rows the importers add, each an idempotent upsert keyed by a de-identified value; callers wrap them in one
// transaction per file so that a crash leaves either all of a file's rows or none of them.
import type { StatementSync } from 'node:sqlite';
import type { Store } from '../store/index.ts';

const now = (): string => new Date().toISOString();

// Prepared once per catalog connection: an import writes these rows by the ten thousand.
const prepared = new WeakMap<Store['db'], Map<string, StatementSync>>();
function statement(store: Store, sql: string): StatementSync {
  let byText = prepared.get(store.db);
  if (!byText) prepared.set(store.db, (byText = new Map()));
  let found = byText.get(sql);
  if (!found) byText.set(sql, (found = store.db.prepare(sql)));
  return found;
}

export function upsertPatient(store: Store, pseudonym: string, flags: string): number {
  statement(store, 'INSERT INTO patients (pseudonym, flags, created_at) VALUES (?, ?, ?) ON CONFLICT(pseudonym) DO NOTHING').run(pseudonym, flags, now());
  return (statement(store, 'SELECT id FROM patients WHERE pseudonym = ?').get(pseudonym) as { id: number }).id;
}

export function upsertStudy(store: Store, patientId: number, studyUid: string, studyDate: string | null, modality: string | null): number {
  statement(store, 'INSERT INTO studies (patient_id, study_uid, study_date) VALUES (?, ?, ?) ON CONFLICT(study_uid) DO NOTHING').run(patientId, studyUid, studyDate);
  const row = statement(store, 'SELECT id, modalities FROM studies WHERE study_uid = ?').get(studyUid) as { id: number; modalities: string };
  if (modality && !row.modalities.split(',').includes(modality)) {
    statement(store, 'UPDATE studies SET modalities = ? WHERE id = ?').run(row.modalities ? `${row.modalities},${modality}` : modality, row.id);
  }
  return row.id;
}

export function upsertSeries(store: Store, studyId: number, seriesUid: string, modality: string | null, number: number | null): number {
  statement(store, 'INSERT INTO series (study_id, series_uid, modality, series_number) VALUES (?, ?, ?, ?) ON CONFLICT(series_uid) DO NOTHING').run(studyId, seriesUid, modality, number);
  return (statement(store, 'SELECT id FROM series WHERE series_uid = ?').get(seriesUid) as { id: number }).id;
}

export function upsertLabel(store: Store, name: string): number {
  statement(store, 'INSERT INTO labels (name) VALUES (?) ON CONFLICT(name) DO NOTHING').run(name);
  return (statement(store, 'SELECT id FROM labels WHERE name = ?').get(name) as { id: number }).id;
}

export type Outcome = 'imported' | 'duplicate' | 'rejected' | 'unsupported' | 'document';

export function logFile(store: Store, jobId: string, path: string, sha: string | null, outcome: Outcome, reason?: string, message?: string): void {
  statement(store, 'INSERT INTO import_log (job_id, path, source_sha256, outcome, reason, message, at) VALUES (?, ?, ?, ?, ?, ?, ?)')
    .run(jobId, path, sha, outcome, reason ?? null, message ?? null, now());
}
