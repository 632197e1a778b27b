// `angio predict <png|dcm> --model <file> [--frame N] [--json]`: what the Viewer's Predict says, headless. A patch-
// sized image is read whole; a larger one (a DICOM frame) is scanned and its findings are lesion candidates.
import { existsSync } from 'node:fs';
import { basename, extname, resolve } from 'node:path';
import { AppError } from '../ipc/index.ts';
import { InferenceService, type LocatedFindings, scoredBox, type ScoredBox } from '../inference/index.ts';
import { projectRoot } from '../app/index.ts';
import { commandArgs, printResult, UsageError } from './angio-output.ts';

export interface PredictCandidate extends ScoredBox {
  frame: number;
  ood: boolean;
}

export interface PredictDocument {
  kind: 'patch' | 'scan';
  probability: number;
  threshold: number;
  uncertainty: number;
  ood: boolean;
  candidates: PredictCandidate[];
}

export function predictDocument(found: LocatedFindings): PredictDocument {
  if (found.kind === 'patch') {
    const { answer } = found;
    return { kind: 'patch', probability: answer.probability, threshold: answer.threshold, uncertainty: answer.uncertainty.std, ood: answer.ood.outOfDistribution, candidates: [] };
  }
  const candidates = found.scan.candidates.map((c) => ({ frame: c.frame, ...scoredBox(c), ood: c.ood.outOfDistribution }));
  const best = candidates[0];
  if (!best) throw new AppError('scan-empty', 'The scan found no region to report.');
  return { kind: 'scan', probability: best.probability, threshold: found.threshold, uncertainty: best.uncertainty, ood: best.ood, candidates };
}

/** The readout in the Viewer's words: probability, MC-dropout spread and the out-of-distribution caveat. */
function plainLines(source: string, found: LocatedFindings, doc: PredictDocument): string[] {
  const call = (p: number) => (p >= doc.threshold ? 'stenosis suspected' : 'no stenosis');
  const caveat = (ood: boolean, reasons: string[]) => (ood ? `; unlike the training images: ${reasons.join('; ')}. Treat this reading with caution` : '');
  if (found.kind === 'patch') {
    const { answer } = found;
    return [
      `${source}: ${answer.width}×${answer.height} patch read whole`,
      `P(stenosis) ${doc.probability.toFixed(3)} ± ${doc.uncertainty.toFixed(3)} (MC dropout), threshold ${doc.threshold.toFixed(3)}: ${call(doc.probability)}${caveat(doc.ood, answer.ood.reasons)}`,
    ];
  }
  const { scan } = found;
  return [
    `${source}: ${found.width}×${found.height} frame scanned with ${scan.windowCount} windows of ${scan.windowPixels}×${scan.windowPixels} pixels (${scan.window.note})`,
    `P(stenosis) ${doc.probability.toFixed(3)} (best of ${scan.candidates.length} lesion candidates), threshold ${doc.threshold.toFixed(3)}`,
    ...scan.candidates.map((c, i) => `candidate ${i + 1}: frame ${c.frame}, box x ${c.x} y ${c.y} ${c.width}×${c.height} px, P(stenosis) ${c.probability.toFixed(3)} ± ${c.uncertainty.toFixed(3)} (MC dropout): ${c.ood.outOfDistribution ? 'out of distribution' : call(c.probability)}${caveat(c.ood.outOfDistribution, c.ood.reasons)}`),
  ];
}

export async function predictCommand(args: string[]): Promise<void> {
  const { values, positionals } = commandArgs('predict', args, { model: { type: 'string' }, frame: { type: 'string' } });
  if (positionals.length !== 1) throw new UsageError('image-missing', 'Name one PNG or DICOM file to predict on. Run `angio predict --help` for usage.');
  if (!values.model) throw new UsageError('model-missing', 'Name the model file with --model <file> (model.angio from a training run).');
  const imagePath = resolve(positionals[0]!);
  if (!existsSync(imagePath)) throw new AppError('image-file-missing', `No image at ${imagePath}. Give a PNG patch or a DICOM file.`);
  const frame = values.frame === undefined ? 0 : Number(values.frame);
  if (!/^\d+$/.test(values.frame ?? '0')) throw new UsageError('invalid-frame', `--frame ${values.frame} is not a frame number: frames are counted from 0.`);
  if (extname(imagePath).toLowerCase() === '.png' && frame !== 0) throw new AppError('invalid-frame', `${imagePath} is a PNG image with one frame (0); frame ${frame} does not exist.`);
  const inference = new InferenceService({ appRoot: projectRoot() });
  let found: LocatedFindings;
  try {
    found = await inference.locate({ modelPath: resolve(values.model), imagePath, frame });
  } finally {
    await inference.close();
  }
  const doc = predictDocument(found);
  printResult(values.json, doc, plainLines(`${basename(imagePath)}${found.kind === 'scan' ? ` frame ${frame}` : ''}`, found, doc));
}
