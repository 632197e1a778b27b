// Handlers for the inference channels (src-preload/channels/inference.ts). Maps leave as raw bytes on the pixel
// path: float32 little-endian or RGBA8, width × height, never JSON.
import type { AppContext } from '../app/context.ts';
import type { HandlerSlice } from '../app/handler-slice.ts';
import type { inferenceInvokes, inferencePixels } from '../../src-preload/channels/inference.ts';
import { InferenceService } from './inference-service.ts';
import { evidenceOverlay, probabilityOverlay } from './saliency/colour-scale.ts';

const floatBytes = (values: Float32Array): Uint8Array => new Uint8Array(values.buffer, values.byteOffset, values.byteLength);

export function inferenceHandlers(ctx: AppContext, service = new InferenceService({ appRoot: ctx.appRoot })): HandlerSlice<typeof inferenceInvokes, {}, typeof inferencePixels> {
  return {
    invoke: {
      'inference.predict': (target) => service.predict(target),
      'inference.scanCine': ({ modelPath, imagePath, patchSize, stride }) => ({
        jobId: ctx.jobs.start('inference.scanCine', (job) =>
          service.cine(modelPath, imagePath, {
            patchSize,
            stride,
            signal: job.signal,
            onFrame: (done, total) => job.progress('scanning frames', done, total),
          }),
        ),
      }),
    },
    send: {},
    pixels: {
      'inference.saliency': async ({ format, ...target }) => {
        const result = await service.saliency(target);
        const meta = { width: result.width, height: result.height, format, probability: result.probability, scale: result.scale };
        return { meta, bytes: format === 'float32' ? floatBytes(result.values) : evidenceOverlay(result.values, result.scale) };
      },
      'inference.heatmap': async ({ format, patchSize, stride, ...target }) => {
        const scan = await service.heatmap(target, { patchSize, stride });
        const meta = { width: scan.width, height: scan.height, format, windowCount: scan.windowCount, maxProbability: scan.maxProbability, regions: scan.regions };
        return { meta, bytes: format === 'float32' ? floatBytes(scan.heatmap) : probabilityOverlay(scan.heatmap) };
      },
    },
  };
}
