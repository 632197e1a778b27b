// The experiment report's calibration page: for the first run whose model file carries a temperature (the quantum
// model's when it has one), the test split's reliability diagram before and after it (Fig. 7) and the two
// validation-chosen thresholds, Youden's and the triage floor, with their test sensitivity and specificity.
import { runCalibrationSummary, toScoredLabels, type RunCalibrationSummary } from '../evaluation/index.ts';
import { reliabilityDiagramSpec, renderVegaLite } from '../evaluation/figures/index.ts';
import type { ExperimentRecord } from './experiment.ts';
import { PAGE, type PdfReport } from './pdf-layout.ts';

const f3 = (v: number): string => v.toFixed(3);

type Run = ExperimentRecord['runs'][number];

/** The run the page describes and its summary; null when no run recorded a calibration. */
export function calibratedRunOf(experiment: ExperimentRecord): { run: Run; summary: RunCalibrationSummary } | null {
  const withCalibration = experiment.runs.filter((r) => r.calibration);
  const run = withCalibration.find((r) => r.model === experiment.quantum.model) ?? withCalibration[0];
  if (!run?.calibration) return null;
  return { run, summary: runCalibrationSummary(toScoredLabels(run.predictions), run.calibration, run.threshold) };
}

export function calibrationFigureSpec(run: Run, summary: RunCalibrationSummary) {
  return reliabilityDiagramSpec(
    [
      { label: 'as trained', reliability: summary.before },
      { label: `temperature ${f3(summary.temperature)}`, reliability: summary.after },
    ],
    `Fig. 7. Reliability on the test set, ${run.model} seed ${run.seed}`,
  );
}

export async function calibrationSection(report: PdfReport, experiment: ExperimentRecord): Promise<void> {
  report.heading('Calibration');
  const found = calibratedRunOf(experiment);
  if (!found) {
    report.paragraph('No run of this experiment stored a temperature in its model file, so calibration is not reported.', { muted: true });
    return;
  }
  const { run, summary } = found;
  report.paragraph(
    `Temperature scaling fitted on the validation split (one T minimising the negative log-likelihood): T = ${f3(summary.temperature)} for ${run.model} seed ${run.seed}. ` +
      `Expected calibration error on the ${summary.before.images} test images (10 equal-width bins): ${f3(summary.before.expectedCalibrationError)} as trained, ` +
      `${f3(summary.after.expectedCalibrationError)} after scaling. The app shows the scaled probabilities; ranking and AUC are unchanged.`,
  );
  report.table(
    ['Threshold', 'Chosen by (on validation)', 'P(stenosis) ≥', 'Validation sens. / spec.', 'Test sens. / spec.'],
    summary.operatingPoints.map((p) => [
      p.rule === 'youden' ? "Youden's" : 'Triage',
      p.chosenBy,
      f3(p.threshold),
      p.validation ? `${f3(p.validation.sensitivity)} / ${f3(p.validation.specificity)}` : 'not recorded',
      `${f3(p.test.sensitivity)} / ${f3(p.test.specificity)}`,
    ]),
    [0.12, 0.36, 0.14, 0.19, 0.19],
  );
  report.newPageIfBelow(330);
  report.paragraph('Figure 7. Reliability diagram on the test set before and after temperature scaling (points sized by the images in each bin)', { bold: true, size: 10 });
  const figure = await renderVegaLite(calibrationFigureSpec(run, summary));
  report.below(report.image(await report.embedPngBytes(figure.png), PAGE.width - 2 * PAGE.margin, 300), 12);
}
