// Moves the folder and file names older versions wrote into the catalog (import_jobs.root_name, import_log.path and
// its messages, audit_log.object_id of folder imports) into the vault, leaving pseudonymous ids in their place.
//
// The audit log is append-only, and its history is rewritten once, here, rather than superseded by a hashed copy:
// a copy beside the original rows would leave the names in the catalog (the point is that no byte of them remains),
// and deleting the originals after copying is a rewrite anyway. So the append-only triggers are dropped and
// recreated inside this one transaction, and an audit row says what was rewritten, how many rows and why.
import { type PseudonymKey, sourceFileId, sourceId, type Vault, withIds } from '../deid/index.ts';
import { SOURCE_NAMES_MIGRATION, type Store, writeAudit } from '../store/index.ts';

const IS_SOURCE_ID = /^source-[0-9a-f]{12}$/;
const IS_FILE_ID = /^source-[0-9a-f]{12}\/file-[0-9a-f]{12}$/;

export interface SourceNamesMoved {
  jobs: number;
  files: number;
  auditRows: number;
}

/** Whether the catalog holds any name the migration would move (a new catalog holds none). */
function holdsNames(store: Store): boolean {
  return Boolean(store.db.prepare("SELECT 1 FROM import_jobs UNION ALL SELECT 1 FROM audit_log WHERE object_type IN ('folder', 'media') LIMIT 1").get());
}

/** Records the migration as done without touching anything: for a catalog with no names in it (no vault needed). */
export function skipIfNothingToMove(store: Store): boolean {
  if (holdsNames(store)) return false;
  store.db.prepare('INSERT OR IGNORE INTO schema_migrations (id, applied_at) VALUES (?, ?)').run(SOURCE_NAMES_MIGRATION, new Date().toISOString());
  return true;
}

export function moveSourceNamesToVault(store: Store, key: PseudonymKey, vault: Vault | null): SourceNamesMoved | null {
  const { db } = store;
  db.exec('PRAGMA secure_delete = ON');
  const moved = store.transaction((): SourceNamesMoved | null => {
    // Another process (an import worker, the CLI) may have applied it meanwhile: checked inside the write lock.
    if (db.prepare('SELECT 1 FROM schema_migrations WHERE id = ?').get(SOURCE_NAMES_MIGRATION)) return null;
    const sources = new Map<string, { id: string; name: string }>();
    /** What goes to the vault: each source's folder name and its files' paths. */
    const kept = new Map<string, { root: string; files: [string, string][] }>();
    const keep = (source: string, root: string, file?: [string, string]): void => {
      const entry = kept.get(source) ?? { root, files: [] };
      if (file) entry.files.push(file);
      kept.set(source, entry);
    };
    const sourceOf = (jobId: string, name: string | null): { id: string; name: string } => {
      let found = sources.get(jobId);
      if (!found) {
        const known = name ?? `import job ${jobId}`;
        found = IS_SOURCE_ID.test(known) ? { id: known, name: '' } : { id: sourceId(key, known), name: known };
        if (found.name) keep(found.id, found.name);
        sources.set(jobId, found);
      }
      return found;
    };
    const jobs = db.prepare('SELECT id, root_name AS name FROM import_jobs').all() as { id: string; name: string }[];
    let movedJobs = 0;
    for (const job of jobs) {
      const source = sourceOf(job.id, job.name);
      if (source.id === job.name) continue;
      db.prepare('UPDATE import_jobs SET root_name = ? WHERE id = ?').run(source.id, job.id);
      movedJobs++;
    }
    const files = db.prepare('SELECT id, job_id AS jobId, path, message FROM import_log').all() as { id: number; jobId: string; path: string; message: string | null }[];
    let movedFiles = 0;
    for (const file of files) {
      if (IS_FILE_ID.test(file.path)) continue;
      const source = sourceOf(file.jobId, null);
      const id = sourceFileId(key, source.id, file.path);
      keep(source.id, source.name, [id, file.path]);
      const names = new Map([[file.path, id], [source.name, source.id]]);
      db.prepare('UPDATE import_log SET path = ?, message = ? WHERE id = ?').run(id, file.message === null ? null : withIds(file.message, names), file.id);
      movedFiles++;
    }
    // Folder imports, and disc scans audited under the disc's path (a file-set id, which names no path, stays).
    const folderRows = db
      .prepare("SELECT id, object_id AS objectId, detail FROM audit_log WHERE object_type = 'folder' OR (object_type = 'media' AND (object_id LIKE '%/%' OR object_id LIKE '%\\%'))")
      .all() as { id: number; objectId: string | null; detail: string | null }[];
    const rewrites: { id: number; objectId: string }[] = [];
    for (const row of folderRows) {
      if (row.objectId === null || IS_SOURCE_ID.test(row.objectId)) continue;
      let jobId: string | undefined;
      try {
        jobId = (JSON.parse(row.detail ?? '{}') as { job?: string }).job;
      } catch {
        jobId = undefined;
      }
      const source = jobId && sources.has(jobId) ? (sources.get(jobId) as { id: string }).id : sourceId(key, row.objectId);
      if (!(jobId && sources.has(jobId))) keep(source, row.objectId);
      rewrites.push({ id: row.id, objectId: source });
    }
    if (rewrites.length > 0) {
      const triggers = db.prepare("SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'audit_log'").all() as { name: string; sql: string }[];
      for (const trigger of triggers) db.exec(`DROP TRIGGER "${trigger.name}"`);
      const update = db.prepare('UPDATE audit_log SET object_id = ? WHERE id = ?');
      for (const rewrite of rewrites) update.run(rewrite.objectId, rewrite.id);
      for (const trigger of triggers) db.exec(trigger.sql);
    }
    for (const [source, names] of kept) vault?.keepSource(source, names.root, names.files);
    writeAudit(store, {
      action: 'audit.rewrite',
      objectType: 'migration',
      objectId: SOURCE_NAMES_MIGRATION,
      detail: {
        rewritten: { auditRows: rewrites.map((r) => r.id), importJobs: movedJobs, importLogRows: movedFiles },
        why: 'folder and file names may identify patients; they now live in the vault and the catalog names sources by pseudonymous ids',
        vault: vault ? 'names kept in the vault' : 'vault turned off: names dropped',
      },
    });
    db.prepare('INSERT INTO schema_migrations (id, applied_at) VALUES (?, ?)').run(SOURCE_NAMES_MIGRATION, new Date().toISOString());
    return { jobs: movedJobs, files: movedFiles, auditRows: rewrites.length };
  });
  if (moved) {
    // The old values must not survive in free pages or the WAL: rewrite the file and empty the WAL.
    db.exec('PRAGMA wal_checkpoint(TRUNCATE)');
    db.exec('VACUUM');
    db.exec('PRAGMA wal_checkpoint(TRUNCATE)');
  }
  return moved;
}
