// De-identification of what the catalog says about where files came from: folder and file names are replaced by
// pseudonymous ids and the names themselves move into the vault. The work needs the vault's keys, so it runs in
// ingest/source-names-migration.ts when the vault is unlocked; this entry gives it its place and id.
import type { Migration } from './index.ts';

export const SOURCE_NAMES_MIGRATION = 'deid-001-source-names-to-vault';

export const deidMigrations: Migration[] = [{ id: SOURCE_NAMES_MIGRATION, sql: '', needsVault: true }];
