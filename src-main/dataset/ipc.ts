// Handlers for the dataset and results channels (src-preload/channels/dataset.ts) over one DatasetService.
import type { AppContext, HandlerSlice } from '../app/index.ts';
import type { datasetInvokes, datasetPixels, datasetSends } from '../../src-preload/channels/dataset.ts';
import { DatasetService } from './service.ts';

export function datasetHandlers(ctx: AppContext, service = new DatasetService({ store: ctx.store, dataDir: ctx.dataDir, jobs: ctx.jobs })): HandlerSlice<typeof datasetInvokes, typeof datasetSends, typeof datasetPixels> {
  return {
    invoke: {
      'dataset.readers': () => service.readers(),
      'dataset.addReader': ({ name, senior }) => service.addReader(name, senior),
      'dataset.rememberReader': ({ readerId }) => service.rememberReader(readerId),
      'dataset.label': ({ readerId, itemIds, label }) => service.label(readerId, itemIds, label),
      'dataset.adjudicate': ({ readerId, itemIds, label }) => service.adjudicate(readerId, itemIds, label),
      'dataset.undo': ({ readerId }) => service.undo(readerId),
      'dataset.redo': ({ readerId }) => service.redo(readerId),
      'dataset.history': ({ readerId }) => service.history(readerId),
      'dataset.items': (filter) => service.items(filter),
      'dataset.item': ({ itemId }) => service.item(itemId),
      'dataset.next': ({ readerId, afterId }) => service.nextToLabel(readerId, afterId),
      'dataset.agreement': () => service.agreement(),
      'dataset.splits': () => ({ splits: service.splits() }),
      'dataset.split': ({ splitId }) => service.split(splitId),
      'dataset.buildSplit': ({ name, ratios, seed, readerId }) => service.buildSplit({ name, ratios, seed, readerId }),
      'dataset.importSplit': ({ name, readerId }) => service.importSplit({ name, readerId }),
      'dataset.lockSplit': ({ splitId, readerId }) => service.lockSplit(splitId, readerId),
      'dataset.fixLeaks': ({ splitId, readerId }) => service.fixLeaks(splitId, readerId),
      'dataset.activateSplit': ({ splitId }) => service.activateSplit(splitId),
      'dataset.trainingSource': ({ splitId, classes }) => service.trainingSource(splitId, classes),
      'dataset.linkRun': ({ runId, splitId, classes }) => (service.linkRun(runId, splitId, classes), { linked: true }),
      'dataset.runSplits': () => ({ runs: service.runSplits() }),
      'dataset.score': ({ runId, scope }) => ({ jobId: service.scoreItems(runId, scope) }),
      'results.overview': ({ runId }) => service.results(runId),
      'results.predictions': ({ runId }) => service.predictions(runId),
    },
    send: {},
    pixels: {
      'results.testImage': ({ runId, imageId }) => service.testImage(runId, imageId),
    },
  };
}
