// Opens the catalog (node:sqlite, WAL) in the data folder and brings its schema up to date.
// Every capability adds its tables as named migrations (store/migrations/index.ts); applied ones are recorded by id.
import { accessSync, constants, existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { AppError } from '../ipc/index.ts';
import { allMigrations, type Migration } from './migrations/index.ts';
import { storageError } from './storage-errors.ts';

export interface Store {
  readonly db: DatabaseSync;
  readonly path: string;
  /** Runs `work` in one IMMEDIATE transaction: all of it becomes visible, or none of it. */
  transaction<T>(work: () => T): T;
  close(): void;
}

export const CATALOG_FILE = 'catalog.sqlite';

export function openStore(dataDir: string, migrations: readonly Migration[] = allMigrations): Store {
  try {
    mkdirSync(dataDir, { recursive: true });
  } catch (error) {
    throw new AppError('data-dir-unwritable', `Cannot create the data folder ${dataDir}: ${(error as Error).message}. Choose a writable folder in Settings.`);
  }
  const path = join(dataDir, CATALOG_FILE);
  let db: DatabaseSync;
  try {
    // WAL needs to create files beside the catalog: a read-only folder is refused here with a clear reason.
    accessSync(dataDir, constants.W_OK);
    if (existsSync(path)) accessSync(path, constants.W_OK);
  } catch (error) {
    throw storageError(error, dataDir, 'the catalog') ?? new AppError('store-unavailable', `Cannot open the catalog at ${path}: ${(error as Error).message}.`);
  }
  try {
    db = new DatabaseSync(path);
    db.exec('PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON; PRAGMA busy_timeout = 10000;');
  } catch (error) {
    throw storageError(error, dataDir, 'the catalog') ?? new AppError('store-unavailable', `Cannot open the catalog at ${path}: ${(error as Error).message}.`);
  }

  let depth = 0;
  const transaction = <T>(work: () => T): T => {
    // Nested calls join the outer transaction: SQLite has no nested BEGIN.
    if (depth > 0) return work();
    db.exec('BEGIN IMMEDIATE');
    depth++;
    try {
      const result = work();
      db.exec('COMMIT');
      return result;
    } catch (error) {
      // SQLite may already have rolled back (a full disk does): ROLLBACK then fails and would hide the cause.
      if (db.isTransaction) db.exec('ROLLBACK');
      throw storageError(error, dataDir, 'the change') ?? error;
    } finally {
      depth--;
    }
  };

  try {
    applyMigrations(db, migrations, transaction);
  } catch (error) {
    db.close();
    throw error;
  }
  return { db, path, transaction, close: () => db.close() };
}

function applyMigrations(db: DatabaseSync, migrations: readonly Migration[], transaction: <T>(work: () => T) => T): void {
  db.exec('CREATE TABLE IF NOT EXISTS schema_migrations (id TEXT PRIMARY KEY, applied_at TEXT NOT NULL)');
  const applied = new Set(
    (db.prepare('SELECT id FROM schema_migrations').all() as { id: string }[]).map((row) => row.id),
  );
  for (const migration of migrations) {
    if (applied.has(migration.id) || migration.needsVault) continue;
    transaction(() => {
      db.exec(migration.sql);
      db.prepare('INSERT INTO schema_migrations (id, applied_at) VALUES (?, ?)').run(migration.id, new Date().toISOString());
    });
  }
}

/** Migrations that wait for the vault (Migration.needsVault) and have not been applied to this catalog yet. */
export function pendingVaultMigrations(store: Store, migrations: readonly Migration[] = allMigrations): Migration[] {
  const applied = new Set((store.db.prepare('SELECT id FROM schema_migrations').all() as { id: string }[]).map((row) => row.id));
  return migrations.filter((migration) => migration.needsVault && !applied.has(migration.id));
}
