// Composes every capability's handler slice into the registry. Spreads are explicit so that a channel added to the
// contract without a handler here fails type-checking (Handlers requires every channel).
import type { Handlers } from '../ipc/index.ts';
import { annotationsHandlers } from '../annotations/index.ts';
import { datasetHandlers } from '../dataset/index.ts';
import { ingestHandlers } from '../ingest/index.ts';
import { networkHandlers } from '../network/index.ts';
import { systemHandlers } from '../system/index.ts';
import { inferenceHandlers } from '../inference/index.ts';
import { trainingHandlers } from '../training/index.ts';
import { viewerHandlers } from '../viewer/index.ts';
import { reportsHandlers } from '../reports/index.ts';
import { qcaHandlers } from '../qca/index.ts';
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
  const qca = qcaHandlers(ctx);
  return {
    invoke: { ...system.invoke, ...inference.invoke, ...ingest.invoke, ...training.invoke, ...network.invoke, ...viewer.invoke, ...dataset.invoke, ...reports.invoke, ...annotations.invoke, ...qca.invoke },
    send: { ...system.send, ...inference.send, ...ingest.send, ...training.send, ...network.send, ...viewer.send, ...dataset.send, ...reports.send },
    pixels: { ...system.pixels, ...inference.pixels, ...ingest.pixels, ...training.pixels, ...network.pixels, ...viewer.pixels, ...dataset.pixels, ...reports.pixels },
  };
}
