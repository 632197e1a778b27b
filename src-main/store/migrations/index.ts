// The schema, in the order it is applied. Each capability owns one list (its file beside this one);
// ids are never renumbered or edited once landed: change a schema by appending a migration.
import { annotationsMigrations } from './annotations.ts';
import { catalogMigrations } from './catalog.ts';
import { coreMigrations } from './core.ts';
import { datasetMigrations } from './dataset.ts';
import { deidMigrations } from './deid.ts';
import { networkMigrations } from './network.ts';
import { qcaMigrations } from './qca.ts';
import { reportsMigrations } from './reports.ts';
import { trainingMigrations } from './training.ts';

export interface Migration {
  /** Stable, unique id such as 'core-001-audit'; recorded in schema_migrations. */
  id: string;
  sql: string;
  /** Moves catalog values into the vault, so it needs the vault's keys: openStore leaves it pending and the service
   * that unlocks the vault applies it (ingest/source-names-migration.ts), recording it under this id. */
  needsVault?: true;
}

export const allMigrations: readonly Migration[] = [...coreMigrations, ...catalogMigrations, ...trainingMigrations, ...networkMigrations, ...datasetMigrations, ...reportsMigrations, ...annotationsMigrations, ...deidMigrations, ...qcaMigrations];
