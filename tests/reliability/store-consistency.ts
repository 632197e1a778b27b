// What "nothing corrupted, nothing lost" means for a data folder, checked after fuzzing, kill -9 and full disks:
// SQLite's own integrity and foreign-key checks, every blob a row refers to present with the right SHA-256, every
// catalogued image with its frame rows, and no import-log entry claiming an import whose rows are missing.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { CATALOG_FILE } from '../../src-main/store/database.ts';

export interface ConsistencyReport {
  problems: string[];
  counts: { instances: number; datasetItems: number; blobsChecked: number; labels: number };
}

/** Every (table, column) that names a blob in the data folder's content-addressed store. */
const BLOB_COLUMNS: [string, string][] = [
  ['instances', 'blob_sha256'],
  ['instances', 'thumbnail_sha256'],
  ['dataset_items', 'blob_sha256'],
];

/** Overlay planes are sealed in the vault (ingest/overlay-vault.ts): present is all that can be checked without its key. */
const VAULT_BLOB_COLUMNS: [string, string][] = [['overlay_layers', 'blob_sha256']];

function tableExists(db: DatabaseSync, name: string): boolean {
  return Boolean(db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?").get(name));
}

/**
 * Opens the catalog read-only (a second connection, as another process would) and reports every inconsistency.
 * `verifyHashes` re-hashes each referenced blob (set false for quick checks between fuzz batches).
 */
export function checkDataFolder(dataDir: string, options: { verifyHashes?: boolean } = {}): ConsistencyReport {
  const problems: string[] = [];
  const db = new DatabaseSync(join(dataDir, CATALOG_FILE), { readOnly: true });
  try {
    db.exec('PRAGMA busy_timeout = 10000');
    const integrity = (db.prepare('PRAGMA integrity_check').all() as { integrity_check: string }[]).map((r) => r.integrity_check);
    if (integrity.join() !== 'ok') problems.push(`integrity_check: ${integrity.join('; ')}`);
    const foreign = db.prepare('PRAGMA foreign_key_check').all() as { table: string; rowid: number; parent: string }[];
    for (const f of foreign.slice(0, 10)) problems.push(`foreign key: ${f.table} row ${f.rowid} points to a missing ${f.parent} row`);

    let blobsChecked = 0;
    const seen = new Set<string>();
    for (const [table, column] of BLOB_COLUMNS) {
      if (!tableExists(db, table)) continue;
      for (const row of db.prepare(`SELECT DISTINCT ${column} AS sha FROM ${table} WHERE ${column} IS NOT NULL`).all() as { sha: string }[]) {
        if (seen.has(row.sha)) continue;
        seen.add(row.sha);
        const path = join(dataDir, 'blobs', row.sha.slice(0, 2), row.sha.slice(2));
        if (!existsSync(path)) {
          problems.push(`${table}.${column} refers to blob ${row.sha}, which is missing`);
          continue;
        }
        blobsChecked++;
        if (options.verifyHashes !== false) {
          const actual = createHash('sha256').update(readFileSync(path)).digest('hex');
          if (actual !== row.sha) problems.push(`blob ${row.sha} holds bytes hashing to ${actual}`);
        }
      }
    }
    for (const [table, column] of VAULT_BLOB_COLUMNS) {
      if (!tableExists(db, table)) continue;
      for (const row of db.prepare(`SELECT DISTINCT ${column} AS sha FROM ${table} WHERE ${column} IS NOT NULL`).all() as { sha: string }[]) {
        if (!existsSync(join(dataDir, 'vault', 'originals', row.sha.slice(0, 2), row.sha.slice(2)))) problems.push(`${table}.${column} refers to vault file ${row.sha}, which is missing`);
      }
    }
    const framesMissing = db
      .prepare(
        `SELECT i.id, i.frames, (SELECT count(*) FROM frames f WHERE f.instance_id = i.id) AS stored
         FROM instances i WHERE i.kind = 'image' AND i.frames IS NOT NULL AND i.frames <> (SELECT count(*) FROM frames f WHERE f.instance_id = i.id)`,
      )
      .all() as { id: number; frames: number; stored: number }[];
    for (const f of framesMissing.slice(0, 10)) problems.push(`instance ${f.id} declares ${f.frames} frames but ${f.stored} frame rows exist`);
    // An 'imported' log line is written in the same transaction as the rows: one without rows is a partial import.
    const orphanLog = db
      .prepare(
        `SELECT l.path FROM import_log l WHERE (l.outcome IN ('imported', 'document') OR (l.outcome = 'unsupported' AND l.reason IS NOT 'no SOP Instance UID')) AND l.source_sha256 IS NOT NULL
           AND NOT EXISTS (SELECT 1 FROM instances i WHERE i.source_sha256 = l.source_sha256)
           AND NOT EXISTS (SELECT 1 FROM dataset_items d WHERE d.source_sha256 = l.source_sha256)`,
      )
      .all() as { path: string }[];
    for (const o of orphanLog.slice(0, 10)) problems.push(`import log says ${o.path} was imported, but no catalog row holds it`);
    const imageWithoutThumb = db.prepare("SELECT count(*) AS n FROM instances WHERE kind = 'image' AND thumbnail_sha256 IS NULL").get() as { n: number };
    if (imageWithoutThumb.n > 0) problems.push(`${imageWithoutThumb.n} image instance(s) have no thumbnail`);

    const count = (sql: string) => (db.prepare(sql).get() as { n: number }).n;
    return {
      problems,
      counts: {
        instances: count('SELECT count(*) AS n FROM instances'),
        datasetItems: count('SELECT count(*) AS n FROM dataset_items'),
        blobsChecked,
        labels: tableExists(db, 'item_labels') ? count('SELECT count(*) AS n FROM item_labels') : 0,
      },
    };
  } finally {
    db.close();
  }
}
