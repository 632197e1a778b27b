// Handlers for the annotation channels (src-preload/channels/annotations.ts) over one AnnotationService. Full-frame
// evaluation takes its heatmaps from the inference scanner, loaded on first use (it brings the model runtime).
import type { AppContext } from '../app/context.ts';
import type { HandlerSlice } from '../app/handler-slice.ts';
import type { annotationsInvokes } from '../../src-preload/channels/annotations.ts';
import type { InferenceService } from '../inference/inference-service.ts';
import { AnnotationService } from './service.ts';

export function annotationsHandlers(ctx: AppContext, service = new AnnotationService(ctx)): HandlerSlice<typeof annotationsInvokes> {
  let inference: Promise<InferenceService> | undefined;
  const scanner = () => (inference ??= import('../inference/inference-service.ts').then(({ InferenceService: Service }) => new Service()));
  return {
    invoke: {
      'annotations.classes.get': () => service.classList(),
      'annotations.classes.set': ({ classList, reader }) => service.setClassList(classList, reader),
      'annotations.list': ({ instanceId }) => ({ boxes: service.boxes(instanceId === undefined ? {} : { instanceId }) }),
      'annotations.create': (box) => ({ box: service.create(box) }),
      'annotations.update': ({ id, ...edit }) => ({ box: service.update(id, edit) }),
      'annotations.delete': ({ id, reader }) => (service.remove(id, reader), { deleted: true as const }),
      'annotations.history': ({ id }) => ({ changes: service.history(id) }),
      'annotations.recipe': () => service.recipe(),
      'annotations.generatePatches': ({ params, instanceIds, boxIds, reader }) => service.generatePatches(params, { instanceIds, boxIds }, reader),
      'annotations.patchSets': () => ({ sets: service.patchSets() }),
      'annotations.export': ({ format, instanceIds, reader }) => service.exportBoxes(format, { instanceIds }, reader),
      'annotations.import': ({ format, text, target, zeroBased, reader }) => ({ boxes: service.importBoxes(format, text, { target, zeroBased, reader }) }),
      'annotations.evaluate': async ({ modelPath, instanceIds, patchSize, stride, fpRates, hitMargin }) => {
        const inferenceService = await scanner();
        return service.evaluate(
          async ({ frame, dicomPath }) => inferenceService.heatmap({ modelPath, imagePath: dicomPath, frame }, { patchSize, stride }),
          { instanceIds },
          { fpRates, hitMargin, suppressionRadius: Math.max(1, patchSize >> 1) },
        );
      },
    },
    send: {},
    pixels: {},
  };
}
