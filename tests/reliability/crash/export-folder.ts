// What an export folder must look like after any kill: every file under a final name is whole (poppler's pdfinfo
// reads each PDF through its cross-reference table, dcmtk's dcmdump each DICOM object to its end), a DICOM export's
// files are all there or none are (unless its journal waits for the next export to finish the renames), the audit
// log names every file, and nothing else is left but clearly named leftovers of exports (safe-export.ts).
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { exportLeftover } from '../../../src-main/reports/safe-export.ts';
import { CATALOG_FILE } from '../../../src-main/store/database.ts';

export interface ExportFolderReport {
  problems: string[];
  /** Files under final names. */
  files: number;
  /** Hidden leftovers of exports in progress or killed: `.name.<host>-<pid>-<hex>.partial|export-set`. */
  leftovers: string[];
  /** DICOM exports with some of their files in place and a journal to finish them. */
  pendingSets: string[];
}

/** Why the file is not a whole export, or null when it is. */
function damage(path: string): string | null {
  if (path.endsWith('.pdf')) {
    const info = spawnSync('pdfinfo', [path], { encoding: 'utf8' });
    if (info.status !== 0) return `pdfinfo: ${info.stderr.trim().split('\n')[0]}`;
    const bytes = readFileSync(path);
    return bytes.subarray(Math.max(0, bytes.length - 64)).toString('latin1').includes('%%EOF') ? null : 'no %%EOF at its end';
  }
  if (path.endsWith('.dcm')) {
    const dump = spawnSync('dcmdump', [path], { encoding: 'utf8', stdio: ['ignore', 'ignore', 'pipe'] });
    return dump.status === 0 ? null : `dcmdump: ${dump.stderr.trim().split('\n').slice(-1)[0]}`;
  }
  return null;
}

/** Every file name the audit log says was exported. */
function auditedFiles(dataDir: string): Set<string> {
  const db = new DatabaseSync(join(dataDir, CATALOG_FILE), { readOnly: true });
  try {
    const rows = db.prepare("SELECT detail FROM audit_log WHERE action LIKE 'export.%' AND detail IS NOT NULL").all() as { detail: string }[];
    return new Set(rows.flatMap((r) => {
      const detail = JSON.parse(r.detail) as { file?: string; files?: string[] };
      return [...(detail.file ? [detail.file] : []), ...(detail.files ?? [])];
    }));
  } finally {
    db.close();
  }
}

/**
 * `validated` remembers files already judged (name, size and time), so a long campaign re-reads only new ones.
 * `setSize`: how many files one DICOM export writes.
 */
export function checkExportFolder(folder: string, dataDir: string, setSize: number, validated: Set<string>): ExportFolderReport {
  const names = existsSync(folder) ? readdirSync(folder).sort() : [];
  const report: ExportFolderReport = { problems: [], files: 0, leftovers: [], pendingSets: [] };
  const audited = auditedFiles(dataDir);
  const sets = new Map<string, number>();
  for (const name of names) {
    if (name.startsWith('.')) {
      if (exportLeftover(name)) report.leftovers.push(name);
      else report.problems.push(`${name}: a hidden file that is not a recognisable export leftover`);
      continue;
    }
    report.files++;
    const path = join(folder, name);
    const stat = statSync(path);
    const key = `${name}:${stat.size}:${stat.mtimeMs}`;
    if (!validated.has(key)) {
      const why = damage(path);
      if (why) report.problems.push(`${name} is under its final name but not whole (${why})`);
      else validated.add(key);
    }
    if (!audited.has(name)) report.problems.push(`${name} was exported without an audit row naming it`);
    const set = /^(.*)-(SR|SC\d+)\.dcm$/.exec(name)?.[1];
    if (set) sets.set(set, (sets.get(set) ?? 0) + 1);
  }
  for (const [set, count] of sets) {
    if (count === setSize) continue;
    const journal = report.leftovers.some((l) => l.startsWith(`.${set}-SR.dcm.`) && exportLeftover(l)?.kind === 'export-set');
    if (journal) report.pendingSets.push(set);
    else report.problems.push(`DICOM export ${set} has ${count} of its ${setSize} files and no journal to complete it`);
  }
  return report;
}
