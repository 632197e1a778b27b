// `angio import <folder|file>… [--json]`: imports DICOM files and PNG/JPEG patches into the app's library through
// the ingest service (de-identified, deduplicated, resumable) and says what came in and what was turned away, and why.
import { randomUUID } from 'node:crypto';
import { existsSync, statSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { AppError } from '../ipc/index.ts';
import type { ImportCounts, IngestService } from '../ingest/index.ts';
import type { Store } from '../store/index.ts';
import { commandArgs, printResult, UsageError } from './angio-output.ts';
import { withServices } from './angio-services.ts';

export interface TurnedAway {
  path: string;
  reason: string;
  message: string;
}

export interface ImportOutcome {
  dataDir: string;
  counts: ImportCounts;
  rejections: TurnedAway[];
  unsupported: TurnedAway[];
  studies: { id: number; pseudonym: string; studyDate: string | null }[];
}

/** A folder is imported whole; a file is imported alone, from its own folder. */
function importTarget(path: string): { root: string; files?: string[] } {
  const full = resolve(path);
  if (!existsSync(full)) throw new AppError('import-path-missing', `${full} does not exist. Give a folder or a file to import.`);
  return statSync(full).isDirectory() ? { root: full } : { root: dirname(full), files: [basename(full)] };
}

/** The studies holding the DICOM instances that the import jobs brought in or found already there. */
export function studiesOfImports(store: Store, jobIds: string[]): ImportOutcome['studies'] {
  const ids = JSON.stringify(jobIds);
  return store.db
    .prepare(
      `SELECT DISTINCT s.id, p.pseudonym, s.study_date AS studyDate FROM import_log l
       JOIN instances i ON i.source_sha256 = l.source_sha256 JOIN series r ON r.id = i.series_id
       JOIN studies s ON s.id = r.study_id JOIN patients p ON p.id = s.patient_id
       WHERE l.job_id IN (SELECT value FROM json_each(?)) AND l.outcome IN ('imported', 'duplicate') ORDER BY s.id`,
    )
    .all(ids) as ImportOutcome['studies'];
}

/** Imports each path as its own job; the job ids let a caller find what these jobs brought in. */
export async function importPaths(ingest: IngestService, store: Store, dataDir: string, paths: string[]): Promise<{ outcome: ImportOutcome; jobIds: string[] }> {
  const targets = paths.map(importTarget);
  const counts: ImportCounts = { total: 0, imported: 0, duplicate: 0, rejected: 0, unsupported: 0, document: 0 };
  const rejections: TurnedAway[] = [];
  const unsupported: TurnedAway[] = [];
  const jobIds: string[] = [];
  for (const target of targets) {
    const jobId = `cli-import-${randomUUID()}`;
    jobIds.push(jobId);
    const done = await ingest.runImport(jobId, target, {
      progress: () => undefined,
      throwIfCancelled: () => undefined,
      rejected: (entry) => rejections.push({ ...entry, path: join(target.root, entry.path) }),
    });
    for (const key of Object.keys(counts) as (keyof ImportCounts)[]) counts[key] += done[key];
    for (const row of ingest.importLog(jobId, ['unsupported'])) unsupported.push({ path: join(target.root, row.path), reason: row.reason ?? '', message: row.message ?? '' });
  }
  return { outcome: { dataDir, counts, rejections, unsupported, studies: studiesOfImports(store, jobIds) }, jobIds };
}

export async function importCommand(args: string[]): Promise<void> {
  const { values, positionals } = commandArgs('import', args, {});
  if (positionals.length === 0) throw new UsageError('import-path-required', 'Name at least one folder or file to import. Run `angio import --help` for usage.');
  const { outcome } = await withServices(({ ingest, ctx }) => importPaths(ingest, ctx.store, ctx.dataDir, positionals));
  const { counts } = outcome;
  printResult(values.json, outcome, [
    `library: ${outcome.dataDir}`,
    `${counts.total} files: ${counts.imported} imported, ${counts.duplicate} already in the library, ${counts.rejected} rejected, ${counts.unsupported} unsupported, ${counts.document} documents`,
    ...outcome.rejections.map((r) => `rejected ${r.path} (${r.reason}): ${r.message}`),
    ...outcome.unsupported.map((r) => `unsupported ${r.path} (${r.reason}): ${r.message}`),
    ...outcome.studies.map((s) => `study ${s.id}: ${s.pseudonym}${s.studyDate ? `, ${s.studyDate}` : ''}`),
  ]);
}
