// Handlers for the inference channels (src-preload/channels/inference.ts). Maps leave as raw bytes on the pixel
// path: float32 little-endian or RGBA8, width × height, never JSON. An image comes as a path or as a library id.
import type { AppContext, HandlerSlice } from '../app/index.ts';
import type { inferenceInvokes, inferencePixels } from '../../src-preload/channels/inference.ts';
import { InferenceService, type Target } from './inference-service.ts';
import { instanceFile, itemFile } from './instance-file.ts';
import { locatedAnswer } from './located-answer.ts';
import { modelSummary } from './model-summary.ts';
import { recentModels, rememberModel } from './recent-models.ts';
import { evidenceOverlay, probabilityOverlay, probabilityScale } from './saliency/colour-scale.ts';

const floatBytes = (values: Float32Array): Uint8Array => new Uint8Array(values.buffer, values.byteOffset, values.byteLength);

/** The heatmap's legend: what probabilityOverlay draws (nothing below 0.5). */
const HEATMAP_SCALE = probabilityScale('P(stenosis), mean of the windows covering the pixel');

export function inferenceHandlers(ctx: AppContext, service = new InferenceService({ appRoot: ctx.appRoot })): HandlerSlice<typeof inferenceInvokes, {}, typeof inferencePixels> {
  const target = (t: { modelPath: string; imagePath?: string; instanceId?: number; itemId?: number; frame?: number }): Target => ({
    modelPath: t.modelPath,
    imagePath: t.imagePath ?? (t.instanceId !== undefined ? instanceFile(ctx.store, ctx.dataDir, t.instanceId) : itemFile(ctx.store, ctx.dataDir, t.itemId!)),
    frame: t.frame,
  });
  return {
    invoke: {
      'inference.predict': (request) => service.predict(target(request)),
      'inference.locate': async (request) => locatedAnswer(await service.locate(target(request), { followRun: true })),
      'inference.scanCine': ({ patchSize, stride, ...request }) => {
        const { modelPath, imagePath } = target(request);
        return {
          jobId: ctx.jobs.start('inference.scanCine', (job) =>
            service.cine(modelPath, imagePath, {
              patchSize,
              stride,
              signal: job.signal,
              onFrame: (done, total) => job.progress('scanning frames', done, total),
            }),
          ),
        };
      },
      'inference.model': async ({ modelPath }) => modelSummary(modelPath, (await service.model(modelPath)).manifest),
      'inference.models.recent': () => ({ models: recentModels(ctx.store) }),
      'inference.models.remember': ({ modelPath }) => ({ models: rememberModel(ctx.store, modelPath) }),
    },
    send: {},
    pixels: {
      'inference.saliency': async ({ format, box, detail, ...request }) => {
        const result = await service.saliency(target(request), box, detail);
        const meta = { width: result.width, height: result.height, format, probability: result.probability, scale: result.scale, detail: result.detail, window: result.window, stride: result.stride };
        return { meta, bytes: format === 'float32' ? floatBytes(result.values) : evidenceOverlay(result.values, result.scale) };
      },
      'inference.heatmap': async ({ format, patchSize, stride, ...request }) => {
        const scan = await service.heatmap(target(request), { patchSize, stride });
        const meta = { width: scan.width, height: scan.height, format, windowCount: scan.windowCount, maxProbability: scan.maxProbability, regions: scan.regions, scale: HEATMAP_SCALE };
        return { meta, bytes: format === 'float32' ? floatBytes(scan.heatmap) : probabilityOverlay(scan.heatmap) };
      },
    },
  };
}
