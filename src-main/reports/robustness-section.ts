// The experiment report's robustness page: the quantum model's test AUC under each synthetic acquisition shift with
// its bootstrap interval and the paired difference from the unshifted split (a table), and Fig. 8.
import { renderVegaLite } from '../evaluation/figures/index.ts';
import { shiftRobustnessFigure, shiftTableRows } from '../model-evaluation/index.ts';
import type { ExperimentRecord } from './experiment.ts';
import { PAGE, type PdfReport } from './pdf-layout.ts';

type Run = ExperimentRecord['runs'][number];
const f3 = (v: number): string => v.toFixed(3);
/** The PDF's standard fonts have no σ. */
const pdfLabel = (label: string): string => label.replace(/σ/g, 'sigma');

/** The run whose shifts the report shows (the quantum model's first, else any); null when none was measured. */
export function shiftedRunOf(experiment: ExperimentRecord): Run | null {
  const measured = experiment.runs.filter((r) => r.shifts);
  return measured.find((r) => r.model === experiment.quantum.model) ?? measured[0] ?? null;
}

export function shiftFigureSpec(run: Run) {
  return shiftRobustnessFigure(`${run.model} seed ${run.seed}`, run.shifts!);
}

export async function robustnessSection(report: PdfReport, experiment: ExperimentRecord): Promise<void> {
  report.heading('Robustness to shifted images');
  const run = shiftedRunOf(experiment);
  if (!run?.shifts) {
    report.paragraph('No run of this experiment was scored under synthetic shifts ("shiftRobustness": true in the experiment configuration does it).', { muted: true });
    return;
  }
  const s = run.shifts;
  report.paragraph(
    `${run.model} seed ${run.seed} on the ${s.images} test images (${s.positives} with stenosis), each shifted at its own resolution before the model's preprocessing. ` +
      `AUC intervals: 95 % percentile bootstrap over images (${s.replicates} resamples); differences: paired bootstrap against the unshifted images.`,
  );
  report.table(
    ['Shift', 'ROC AUC (95 % CI)', 'Difference from unshifted (95 % CI)'],
    shiftTableRows(s).map((r) => [
      pdfLabel(r.shift),
      `${f3(r.auc)} (${f3(r.low)} - ${f3(r.high)})`,
      r.difference === null ? '' : `${r.difference >= 0 ? '+' : ''}${f3(r.difference)} (${f3(r.differenceLow!)} to ${f3(r.differenceHigh!)})`,
    ]),
    [0.4, 0.3, 0.3],
  );
  report.newPage();
  report.paragraph('Figure 8. Test AUC under synthetic acquisition shifts (dashed: unshifted)', { bold: true, size: 10 });
  const figure = await renderVegaLite(shiftFigureSpec(run));
  report.below(report.image(await report.embedPngBytes(figure.png), PAGE.width - 2 * PAGE.margin, PAGE.height - 2 * PAGE.margin - 120), 12);
}
