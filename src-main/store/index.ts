export { openStore, pendingVaultMigrations, CATALOG_FILE, type Store } from './database.ts';
export { writeAudit, osAccount, type AuditEntry } from './audit.ts';
export type { Migration } from './migrations/index.ts';
