// Moves what older versions kept outside the vault after the source-name migration: patch file names in
// dataset_items.source_name, export folder paths in the audit log's export rows, and overlay planes (60xx) in the
// blob store. Names become pseudonymous ids (deid/source-names.ts) whose paths the vault keeps; overlay planes are
// sealed into the vault (or dropped when it is off) and their plaintext blobs deleted.
//
// As in source-names-migration.ts, the append-only audit log's history is rewritten once, in this transaction, with
// an audit row that says what and why: a hashed copy beside the old rows would leave the paths in the catalog.
import { rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { type PseudonymKey, sourceFileId, sourceId, type Vault } from '../deid/index.ts';
import { BlobStore, ITEM_NAMES_MIGRATION, type Store, writeAudit } from '../store/index.ts';

const IS_SOURCE_ID = /^source-[0-9a-f]{12}$/;
const IS_FILE_ID = /^source-[0-9a-f]{12}\/file-[0-9a-f]{12}$/;
/** Where items whose import left no log row (a catalog older than the import log) are filed. */
const UNKNOWN_SOURCE = 'dataset items without an import log entry';

export interface ItemNamesMoved {
  items: number;
  exportRows: number;
  overlays: number;
}

/** Imported patches (they have a source file); generated patches are named by instance and frame, never by a file. */
const NAMED_ITEMS = "SELECT id, source_sha256 AS sha, source_name AS name FROM dataset_items WHERE source_sha256 IS NOT NULL AND source_name IS NOT NULL AND kind <> 'dicom-frame'";
const EXPORT_ROWS = "SELECT id, detail FROM audit_log WHERE action LIKE 'export.%' AND json_valid(detail) AND json_extract(detail, '$.folder') IS NOT NULL";

function exportFolder(detail: string): string | null {
  const folder = (JSON.parse(detail) as { folder?: unknown }).folder;
  return typeof folder === 'string' && !IS_SOURCE_ID.test(folder) ? folder : null;
}

/** Whether the catalog holds anything the migration would move (a new catalog holds nothing). */
function holdsNames(store: Store): boolean {
  const { db } = store;
  if ((db.prepare(NAMED_ITEMS).all() as { name: string }[]).some((row) => !IS_FILE_ID.test(row.name))) return true;
  if ((db.prepare(EXPORT_ROWS).all() as { detail: string }[]).some((row) => exportFolder(row.detail) !== null)) return true;
  return Boolean(db.prepare('SELECT 1 FROM overlay_layers LIMIT 1').get());
}

/** Records the migration as done without touching anything: for a catalog with nothing to move (no vault needed). */
export function skipItemNamesIfNothingToMove(store: Store): boolean {
  if (holdsNames(store)) return false;
  store.db.prepare('INSERT OR IGNORE INTO schema_migrations (id, applied_at) VALUES (?, ?)').run(ITEM_NAMES_MIGRATION, new Date().toISOString());
  return true;
}

export function moveItemNamesToVault(store: Store, dataDir: string, key: PseudonymKey, vault: Vault | null): ItemNamesMoved | null {
  const { db } = store;
  const blobs = new BlobStore(join(dataDir, 'blobs'));
  db.exec('PRAGMA secure_delete = ON');
  const plaintextOverlays: string[] = [];
  const moved = store.transaction((): ItemNamesMoved | null => {
    if (db.prepare('SELECT 1 FROM schema_migrations WHERE id = ?').get(ITEM_NAMES_MIGRATION)) return null;
    const kept = new Map<string, { root: string; files: [string, string][] }>();
    const keep = (source: string, root: string, file?: [string, string]): void => {
      const entry = kept.get(source) ?? { root, files: [] };
      if (file) entry.files.push(file);
      kept.set(source, entry);
    };

    // Patches: the file id the import log already gives the same file (its path is in the vault since the source-name
    // migration), else an id of its own under one source for files nobody logged.
    const logged = db.prepare("SELECT path FROM import_log WHERE source_sha256 = ? AND outcome = 'imported' ORDER BY id LIMIT 1");
    const rename = db.prepare('UPDATE dataset_items SET source_name = ? WHERE id = ?');
    const unknown = sourceId(key, UNKNOWN_SOURCE);
    let items = 0;
    for (const item of db.prepare(NAMED_ITEMS).all() as { id: number; sha: string; name: string }[]) {
      if (IS_FILE_ID.test(item.name)) continue;
      const log = logged.get(item.sha) as { path: string } | undefined;
      let id = log && IS_FILE_ID.test(log.path) ? log.path : null;
      if (id === null) {
        id = sourceFileId(key, unknown, `${item.sha}/${item.name}`);
        keep(unknown, '', [id, item.name]);
      }
      rename.run(id, item.id);
      items++;
    }

    // Export rows: the folder becomes a source id, as export rows name it from now on (reports/service.ts).
    const rewrites: { id: number; detail: string }[] = [];
    for (const row of db.prepare(EXPORT_ROWS).all() as { id: number; detail: string }[]) {
      const folder = exportFolder(row.detail);
      if (folder === null) continue;
      const root = resolve(folder);
      const id = sourceId(key, root);
      keep(id, root);
      rewrites.push({ id: row.id, detail: JSON.stringify({ ...(JSON.parse(row.detail) as object), folder: id }) });
    }
    if (rewrites.length > 0) {
      const triggers = db.prepare("SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'audit_log'").all() as { name: string; sql: string }[];
      for (const trigger of triggers) db.exec(`DROP TRIGGER "${trigger.name}"`);
      const update = db.prepare('UPDATE audit_log SET detail = ? WHERE id = ?');
      for (const rewrite of rewrites) update.run(rewrite.detail, rewrite.id);
      for (const trigger of triggers) db.exec(trigger.sql);
    }

    // Overlay planes: sealed into the vault; with the vault off, not kept at all.
    let overlays = 0;
    const layers = db.prepare('SELECT instance_id AS instanceId, overlay_group AS overlayGroup, blob_sha256 AS sha FROM overlay_layers').all() as { instanceId: number; overlayGroup: number; sha: string }[];
    for (const layer of layers) {
      if (vault?.originals.has(layer.sha)) continue;
      if (vault && blobs.has(layer.sha)) vault.originals.put(blobs.read(layer.sha), layer.sha);
      else db.prepare('DELETE FROM overlay_layers WHERE instance_id = ? AND overlay_group = ?').run(layer.instanceId, layer.overlayGroup);
      plaintextOverlays.push(layer.sha);
      overlays++;
    }

    for (const [source, names] of kept) vault?.keepSource(source, names.root, names.files);
    writeAudit(store, {
      action: 'audit.rewrite',
      objectType: 'migration',
      objectId: ITEM_NAMES_MIGRATION,
      detail: {
        rewritten: { auditRows: rewrites.map((r) => r.id), datasetItems: items, overlayPlanes: overlays },
        why: 'patch file names and export folders may identify patients, and overlay planes may carry burned-in text; they now live in the vault',
        vault: vault ? 'names and overlay planes kept in the vault' : 'vault turned off: names and overlay planes dropped',
      },
    });
    db.prepare('INSERT INTO schema_migrations (id, applied_at) VALUES (?, ?)').run(ITEM_NAMES_MIGRATION, new Date().toISOString());
    return { items, exportRows: rewrites.length, overlays };
  });
  if (moved) {
    // The plaintext planes go once the rows no longer need them (a plane's PNG is never another blob's content).
    const stillUsed = db.prepare('SELECT 1 FROM instances WHERE blob_sha256 = ?1 OR thumbnail_sha256 = ?1 UNION ALL SELECT 1 FROM dataset_items WHERE blob_sha256 = ?1');
    for (const sha of new Set(plaintextOverlays)) if (blobs.has(sha) && !stillUsed.get(sha)) rmSync(blobs.pathOf(sha), { force: true });
    db.exec('PRAGMA wal_checkpoint(TRUNCATE)');
    db.exec('VACUUM');
    db.exec('PRAGMA wal_checkpoint(TRUNCATE)');
  }
  return moved;
}
