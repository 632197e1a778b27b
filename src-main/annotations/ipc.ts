// Handlers for the annotation channels (src-preload/channels/annotations.ts) over one AnnotationService. Full-frame
// evaluation takes its heatmaps from the inference scanner, loaded on first use (it brings the model runtime), and
// answers with the FROC figure drawn by Vega in main.
import type { AppContext, HandlerSlice } from '../app/index.ts';
import type { annotationsInvokes } from '../../src-preload/channels/annotations.ts';
import type { InferenceService } from '../inference/index.ts';
import { DEFAULT_FP_RATES, type DetectionScore } from '../evaluation/index.ts';
import { AnnotationService } from './service.ts';

/** The FROC figure as SVG; Vega is loaded on first use, like the scanner. */
async function frocFigure(score: DetectionScore): Promise<string> {
  const { frocCurveSpec, renderVegaLite } = await import('../evaluation/figures/index.ts');
  const figure = await renderVegaLite(frocCurveSpec({ points: score.froc, operatingPoints: score.atFpRates, frames: score.frames, boxes: score.boxes }));
  return figure.svg;
}

export function annotationsHandlers(ctx: AppContext, service = new AnnotationService(ctx)): HandlerSlice<typeof annotationsInvokes> {
  let inference: Promise<InferenceService> | undefined;
  const scanner = () => (inference ??= import('../inference/index.ts').then(({ InferenceService: Service }) => new Service()));
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
      'annotations.evaluate': async ({ modelPath, instanceIds, patchSize, stride, fpRates, hitMargin, fresh }) => {
        const inferenceService = await scanner();
        const runtime = await inferenceService.model(modelPath);
        const evaluation = await service.evaluateModel(
          { path: modelPath, version: runtime.manifest.modelVersion },
          async ({ frame, dicomPath }) => inferenceService.heatmap({ modelPath, imagePath: dicomPath, frame }, { patchSize, stride }),
          { patchSize, stride, hitMargin, fpRates: fpRates ?? DEFAULT_FP_RATES, instanceIds: instanceIds ? [...instanceIds].sort((a, b) => a - b) : null },
          fresh,
        );
        return { ...evaluation, current: true, frocFigure: await frocFigure(evaluation.score) };
      },
      'annotations.evaluationStatus': async () => {
        const status = service.evaluationStatus();
        const latest = status.latest && { ...status.latest, reused: true, frocFigure: await frocFigure(status.latest.score) };
        return { ...status, latest };
      },
    },
    send: {},
    pixels: {},
  };
}
