// The app's services for the `angio` command line, built as the Electron host builds them, on the data folder
// ANGIO_DATA_DIR (default .data in the project folder): what the CLI imports, the app's Library shows.
import { type AppContext, closeAppContext, createAppContext, defaultDataDir, projectRoot, sharedDataDir } from '../app/index.ts';
import { InferenceService } from '../inference/index.ts';
import { IngestService } from '../ingest/index.ts';
import { ReportsService } from '../reports/index.ts';

export interface CliServices {
  ctx: AppContext;
  ingest: IngestService;
  inference: InferenceService;
  reports: ReportsService;
}

export function openServices(): CliServices {
  const ctx = createAppContext({ appRoot: projectRoot(), dataDir: defaultDataDir(), sharedDataDir: sharedDataDir(), host: 'cli', log: () => undefined });
  // The app may be running on the same data folder: its imports in progress are its own, not interrupted ones.
  const ingest = new IngestService({ store: ctx.store, dataDir: ctx.dataDir, bus: ctx.bus, jobs: ctx.jobs, markInterruptedImports: false });
  const inference = new InferenceService({ appRoot: ctx.appRoot });
  return { ctx, ingest, inference, reports: new ReportsService({ store: ctx.store, dataDir: ctx.dataDir, ingest, inference }) };
}

export async function closeServices(services: CliServices): Promise<void> {
  await services.inference.close();
  services.ingest.close();
  await closeAppContext(services.ctx);
}

/** Runs `body` with the services open and closes them however it ends. */
export async function withServices<T>(body: (services: CliServices) => Promise<T>): Promise<T> {
  const services = openServices();
  try {
    return await body(services);
  } finally {
    await closeServices(services);
  }
}
