// The catalog database (node:sqlite, migrations, audit trail), the content-addressed blob store and atomic file
// writes every capability persists through.
export { openStore, pendingVaultMigrations, CATALOG_FILE, type Store } from './database.ts';
export { writeAudit, osAccount, type AuditEntry } from './audit.ts';
export type { Migration } from './migrations/index.ts';
export { syncDirectory, writeFileAtomic, writeSyncedFile } from './atomic-file.ts';
export { BlobStore, sha256Hex } from './blobs.ts';
export { ITEM_NAMES_MIGRATION, SOURCE_NAMES_MIGRATION } from './migrations/deid.ts';

