// What the 'inference.locate' channel answers for a located reading: a patch's readout as it is, or a scanned
// frame's candidates with each one's reading in the report's words, so the Viewer never phrases a caveat itself.
import type { LocatedValue } from '../../src-preload/channels/inference.ts';
import { AppError } from '../ipc/index.ts';
import type { LocatedFindings } from './inference-service.ts';
import { readingWords } from './scanning/reading-words.ts';

export function locatedAnswer(found: LocatedFindings): LocatedValue {
  if (found.kind === 'patch') return { kind: 'patch', readout: found.answer };
  const { scan, threshold, ranges } = found;
  const best = scan.candidates[0];
  if (!best) throw new AppError('scan-empty', 'The scan of the frame found no region to report.');
  return {
    kind: 'scan',
    probability: best.probability,
    decision: best.probability >= threshold ? 'stenosis' : 'no stenosis',
    threshold,
    modelVersion: found.modelVersion,
    width: found.width,
    height: found.height,
    window: scan.window,
    windowCount: scan.windowCount,
    candidates: scan.candidates.map((c, i) => ({
      frame: c.frame,
      x: c.x,
      y: c.y,
      width: c.width,
      height: c.height,
      probability: c.probability,
      uncertainty: c.uncertainty,
      ood: c.ood,
      reading: readingWords(c.probability, threshold, c.ood.outOfDistribution),
      quantumContribution: c.quantumContribution,
      classes: c.classes,
      firstFrame: ranges ? ranges[i]!.firstFrame : null,
      lastFrame: ranges ? ranges[i]!.lastFrame : null,
    })),
  };
}
