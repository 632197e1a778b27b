// The experiment report's full-frame evaluation: a kept FROC of a model's sliding-window heatmaps against the boxes
// drawn on frames (how it was scanned, the figure, sensitivity at N false positives per frame, each frame's
// outcome), or one line saying that none has been run.
import { basename } from 'node:path';
import type { DetectionEvaluation } from '../annotations/index.ts';
import { frocCurveSpec, renderVegaLite } from '../evaluation/figures/index.ts';
import { PAGE, type PdfReport } from './pdf-layout.ts';

export type ReportedEvaluation = DetectionEvaluation & { current: boolean };

export const FROC_FIGURE_TITLE = 'Figure 5. FROC: sensitivity (boxes hit) against false positives per frame';
/** More frames than this are summed up in one line under the per-frame table. */
const FRAME_ROWS = 40;

const percent = (v: number): string => `${(100 * v).toFixed(1)} %`;
const count = (n: number, one: string, many: string): string => `${n} ${n === 1 ? one : many}`;

export async function fullFrameSection(report: PdfReport, evaluation: ReportedEvaluation | null): Promise<void> {
  // The heading, how it was scanned and the figure stay on one page.
  report.newPageIfBelow(evaluation ? 400 : 60);
  report.heading('Full-frame evaluation');
  if (!evaluation) {
    report.paragraph('No full-frame evaluation has been run: score a model\'s heatmaps against the boxes drawn on frames on the Results screen, then export again.', { muted: true });
    return;
  }
  const { score, params } = evaluation;
  report.fields([
    ['Model', `version ${evaluation.modelVersion}, file ${basename(evaluation.modelPath)}`],
    ['Frames scored', `${count(score.frames, 'frame', 'frames')} with ${count(score.boxes, 'box', 'boxes')}${params.instanceIds ? ` (instances ${params.instanceIds.join(', ')})` : ' (every frame with boxes)'}`],
    ['Sliding window', `${params.patchSize} px window, stride ${params.stride} px; peaks closer than ${Math.max(1, params.patchSize >> 1)} px are one candidate; hit margin ${params.hitMargin} px`],
    ['Scored', `${evaluation.createdAt.slice(0, 16).replace('T', ' ')} UTC, rules ${score.version}`],
  ]);
  if (!evaluation.current) {
    report.paragraph('Boxes were added, edited or deleted after this evaluation, so it describes the boxes as they were then. Run it again on the Results screen to score the boxes drawn now.', { size: 9, bold: true });
  }
  report.paragraph(FROC_FIGURE_TITLE, { bold: true, size: 10 });
  const figure = await renderVegaLite(frocCurveSpec({ points: score.froc, operatingPoints: score.atFpRates, frames: score.frames, boxes: score.boxes }));
  const image = await report.embedPngBytes(figure.png);
  report.below(report.image(image, PAGE.width - 2 * PAGE.margin, 250), 12);

  report.table(
    ['False positives per frame', 'Sensitivity', 'Boxes hit', 'Score threshold'],
    score.atFpRates.map((r) => [String(r.fpPerFrame), percent(r.sensitivity), `${Math.round(r.sensitivity * score.boxes)} of ${score.boxes}`, r.threshold === null ? 'no operating point' : r.threshold.toFixed(3)]),
    [0.28, 0.22, 0.22, 0.28],
    9,
  );
  report.paragraph(
    `Mean sensitivity over these rates: ${percent(score.meanSensitivity)}. Per class at the lowest threshold: ` +
      `${score.perClass.map((c) => `${c.label} ${percent(c.hitAtAnyThreshold)} of ${count(c.boxes, 'box', 'boxes')} hit`).join('; ')}. ` +
      'A candidate is a heatmap peak; inside a box not yet hit it is a hit, inside a box already hit a duplicate (not counted), elsewhere a false positive. ' +
      'Sensitivity at N is the best reached with at most N false positives per frame (no interpolation).',
    { size: 8, muted: true },
  );
  report.table(
    ['Frame', 'Boxes', 'Boxes hit', 'False positives', 'Best hit score'],
    score.perFrame.slice(0, FRAME_ROWS).map((f) => [f.frame, String(f.boxes), String(f.hits), String(f.falsePositives), f.bestHitScore === null ? 'missed' : f.bestHitScore.toFixed(3)]),
    [0.36, 0.12, 0.14, 0.18, 0.2],
    8,
  );
  if (score.perFrame.length > FRAME_ROWS) report.paragraph(`… and ${score.perFrame.length - FRAME_ROWS} more frames.`, { size: 8, muted: true });
}
