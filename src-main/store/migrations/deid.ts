// De-identification of what the catalog says about where files came from: folder and file names are replaced by
// pseudonymous ids and the names themselves move into the vault. The work needs the vault's keys, so it runs in
// ingest/source-names-migration.ts when the vault is unlocked; this entry gives it its place and id.
import type { Migration } from './index.ts';

export const SOURCE_NAMES_MIGRATION = 'deid-001-source-names-to-vault';

/** Patch file names, export folders and overlay planes (ingest/item-names-migration.ts). */
export const ITEM_NAMES_MIGRATION = 'deid-002-item-names-exports-overlays-to-vault';

export const deidMigrations: Migration[] = [
  { id: SOURCE_NAMES_MIGRATION, sql: '', needsVault: true },
  { id: ITEM_NAMES_MIGRATION, sql: '', needsVault: true },
  {
    // Clean Pixel Data: rectangles masked in every research export of a series (deid/pixel-masks.ts).
    id: 'deid-003-series-pixel-masks',
    sql: `CREATE TABLE series_pixel_masks (
      series_id INTEGER PRIMARY KEY REFERENCES series(id),
      rects_json TEXT NOT NULL,
      reader TEXT,
      updated_at TEXT NOT NULL
    );`,
  },
];
