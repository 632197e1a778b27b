// Composes every capability's handler slice into the registry. Spreads are explicit so that a channel added to the
// contract without a handler here fails type-checking (Handlers requires every channel).
import type { Handlers } from '../ipc/registry.ts';
import { annotationsHandlers } from '../annotations/ipc.ts';
import { datasetHandlers } from '../dataset/ipc.ts';
import { ingestHandlers } from '../ingest/ipc.ts';
import { networkHandlers } from '../network/ipc.ts';
import { systemHandlers } from '../system/ipc.ts';
import { inferenceHandlers } from '../inference/ipc.ts';
import { trainingHandlers } from '../training/ipc.ts';
import { viewerHandlers } from '../viewer/ipc.ts';
import { reportsHandlers } from '../reports/ipc.ts';
import type { AppContext } from './context.ts';

export function composeHandlers(ctx: AppContext): Handlers {
  const system = systemHandlers(ctx);
  const network = networkHandlers(ctx);
  const inference = inferenceHandlers(ctx);
  const ingest = ingestHandlers(ctx);
  const training = trainingHandlers(ctx);
  const viewer = viewerHandlers(ctx);
  const reports = reportsHandlers(ctx);
  const dataset = datasetHandlers(ctx);
  const annotations = annotationsHandlers(ctx);
  return {
    invoke: { ...system.invoke, ...inference.invoke, ...ingest.invoke, ...training.invoke, ...network.invoke, ...viewer.invoke, ...dataset.invoke, ...reports.invoke, ...annotations.invoke },
    send: { ...system.send, ...inference.send, ...ingest.send, ...training.send, ...network.send, ...viewer.send, ...dataset.send, ...reports.send },
    pixels: { ...system.pixels, ...inference.pixels, ...ingest.pixels, ...training.pixels, ...network.pixels, ...viewer.pixels, ...dataset.pixels, ...reports.pixels },
  };
}
