// Handlers for the training channels (src-preload/channels/training.ts).
import type { AppContext, HandlerSlice } from '../app/index.ts';
import type { trainingInvokes, trainingPixels, trainingSends } from '../../src-preload/channels/training.ts';
import { markInterruptedRuns } from './runs.ts';
import { openRunFolder, rememberedRunFolders } from './run-folders.ts';
import { TrainingService } from './service.ts';

/** Built once per app start (app/handlers.ts), before any run of this process can be training. */
export function trainingHandlers(ctx: AppContext, service = new TrainingService(ctx)): HandlerSlice<typeof trainingInvokes, typeof trainingSends, typeof trainingPixels> {
  markInterruptedRuns(ctx.store);
  return {
    invoke: {
      'training.start': ({ config, dataset }) => service.start(config, dataset),
      'training.resume': ({ runId }) => service.resume(runId),
      'training.cancel': ({ runId }) => ({ cancelled: service.cancel(runId) }),
      'training.listRuns': () => ({
        runs: service.list().map(({ config: _config, dataset: _dataset, runDir: _runDir, ...summary }) => summary),
      }),
      'training.runFolders': () => ({ folders: rememberedRunFolders(ctx.store) }),
      'training.openRunFolder': ({ path }) => ({ folders: openRunFolder(ctx.store, path) }),
    },
    send: {},
    pixels: {},
  };
}
