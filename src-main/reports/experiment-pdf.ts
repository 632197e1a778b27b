// The experiment report: the comparison table with intervals, Figures 1-4 (metric bars, radar, confusion
// matrices, ROC curves) as rendered by the evaluation layer, the full-frame evaluation (FROC, Figure 5) when one is
// given, calibration (Figure 7 and the two-threshold table), robustness to synthetic shifts (Figure 8), the quantum analysis (circuit, paired AUC test against the classical ablation, per-image contributions),
// the configuration and the data provenance.
import { buildComparisonTable, compareAucs, type ComparisonTable, type MetricSummary, SCALAR_METRICS, type ScalarMetric } from '../evaluation/index.ts';
import { qubitExpectationsSpec, renderReportFigures, renderVegaLite, REPORT_FIGURES } from '../evaluation/figures/index.ts';
import { calibrationSection } from './calibration-section.ts';
import { robustnessSection } from './robustness-section.ts';
import type { ExperimentRecord } from './experiment.ts';
import { fullFrameSection, type ReportedEvaluation } from './full-frame-section.ts';
import { PAGE, PdfReport } from './pdf-layout.ts';
import { RESEARCH_FOOTER } from './study-pdf.ts';

const TABLE_METRICS: ScalarMetric[] = ['accuracy', 'rocAuc', 'sensitivity', 'specificity', 'f1Weighted', 'f1Positive'];
const FIGURE_TITLES: Record<(typeof REPORT_FIGURES)[number], string> = {
  'fig1-metric-bars': 'Figure 1. Headline metrics per model (mean over seeds, with intervals)',
  'fig2-radar': 'Figure 2. Metric profile per model (radar)',
  'fig3-confusion-matrices': 'Figure 3. Confusion matrices of each model\'s representative run',
  'fig4-roc-curves': 'Figure 4. ROC curves of each model\'s representative run',
};

const f3 = (v: number): string => (Number.isNaN(v) ? 'n/a' : v.toFixed(3));
const summary = (s: MetricSummary): string => `${f3(s.mean)}${Number.isNaN(s.sd) ? '' : ` ± ${f3(s.sd)}`}\n(${f3(s.interval.low)} - ${f3(s.interval.high)})`;

function flatten(value: unknown, prefix = ''): [string, string][] {
  if (value && typeof value === 'object' && !Array.isArray(value)) {
    return Object.entries(value as Record<string, unknown>).flatMap(([k, v]) => flatten(v, prefix ? `${prefix}.${k}` : k));
  }
  return [[prefix, Array.isArray(value) ? value.join(', ') : String(value)]];
}

async function quantumSection(report: PdfReport, experiment: ExperimentRecord, table: ComparisonTable): Promise<void> {
  const { quantum } = experiment;
  report.heading('Quantum analysis');
  const c = quantum.circuit;
  report.fields([
    ['Quantum model', quantum.model],
    ['Circuit', `${c.qubits} qubits, ${c.layers} layers, ${c.rotation} rotations, ${c.entangler} entangler${c.reupload ? ', data re-uploading' : ''}`],
    ['Classical ablation', quantum.classicalAblation ?? 'none in this experiment'],
  ]);
  const byModel = new Map(table.models.map((m) => [m.model, m]));
  const quantumSummary = byModel.get(quantum.model);
  const ablation = quantum.classicalAblation ? byModel.get(quantum.classicalAblation) : undefined;
  if (quantumSummary && ablation) {
    const runOf = (model: string, seed: number) => experiment.runs.find((r) => r.model === model && r.seed === seed)!;
    const comparison = compareAucs(
      { name: quantum.model, predictions: runOf(quantum.model, quantumSummary.representative.seed).predictions },
      { name: ablation.model, predictions: runOf(ablation.model, ablation.representative.seed).predictions },
      { replicates: 1000, seed: 7 },
    );
    const d = comparison.deLong;
    report.paragraph(
      `Paired comparison of the representative runs on the same ${comparison.images} test images: AUC ${f3(d.aucA)} (quantum) vs ${f3(d.aucB)} (classical), ` +
        `difference ${f3(d.difference)} (DeLong 95 % CI ${f3(d.differenceInterval.low)} - ${f3(d.differenceInterval.high)}, p = ${d.pValue.toPrecision(3)}; ` +
        `paired bootstrap 95 % CI ${f3(comparison.bootstrapDifference.low)} - ${f3(comparison.bootstrapDifference.high)}).`,
    );
    const delta = quantumSummary.metrics.rocAuc.mean - ablation.metrics.rocAuc.mean;
    report.paragraph(`Mean AUC over seeds: ${f3(quantumSummary.metrics.rocAuc.mean)} vs ${f3(ablation.metrics.rocAuc.mean)} (difference ${f3(delta)}).`);
  } else {
    report.paragraph('No classical ablation was scored on the same test set, so the quantum layer\'s effect on AUC cannot be tested here.', { muted: true });
  }
  if (quantum.analyses.length > 0) {
    report.paragraph('Quantum path ablated: every qubit expectation replaced by its training-set mean, the rest of the model unchanged (through the app\'s inference path).');
    report.table(
      ['Seed', 'Learned alpha', 'AUC', 'AUC, quantum ablated', 'Difference'],
      quantum.analyses.map((a) => [String(a.seed), a.alpha.toFixed(4), f3(a.aucWithQuantum), f3(a.aucQuantumAblated), f3(a.aucWithQuantum - a.aucQuantumAblated)]),
      [0.12, 0.22, 0.2, 0.26, 0.2],
    );
    const first = quantum.analyses[0]!;
    report.table(
      ['Mean <Z> (seed ' + first.seed + ')', ...first.zPositive.map((_, k) => `q${k}`)],
      [['stenosis', ...first.zPositive.map(f3)], ['no stenosis', ...first.zNegative.map(f3)]],
      [0.2, ...first.zPositive.map(() => 0.8 / first.zPositive.length)],
    );
    if (first.zBoxes.length > 0) {
      report.newPageIfBelow(320);
      report.paragraph(`Figure 6. Qubit expectations on test images by class (seed ${first.seed}): boxes at the quartiles, whiskers at min and max`, { bold: true, size: 10 });
      const figure = await renderVegaLite(qubitExpectationsSpec(first.zBoxes, `Fig. 6. ⟨Z⟩ per qubit, ${quantum.model} seed ${first.seed}`));
      report.below(report.image(await report.embedPngBytes(figure.png), PAGE.width - 2 * PAGE.margin, 280), 12);
    }
  }
  const values = [...quantum.contributions].sort((a, b) => a - b);
  if (values.length > 0) {
    const mean = values.reduce((s, v) => s + v, 0) / values.length;
    const median = values[Math.floor((values.length - 1) / 2)]!;
    const large = values.filter((v) => Math.abs(v) >= 0.05).length;
    report.paragraph(
      `Per-image quantum contribution (probability minus the probability with every qubit expectation at its training mean) over ${values.length} test images: ` +
        `mean ${f3(mean)}, median ${f3(median)}, range ${f3(values[0]!)} to ${f3(values.at(-1)!)}; ${large} images (${((100 * large) / values.length).toFixed(1)} %) change by 0.05 or more.`,
    );
  } else {
    report.paragraph('Per-image quantum contributions were not recorded for this experiment.', { muted: true });
  }
}

/** `detection`: the full-frame evaluation to report (null: the section says none has been run). */
export async function experimentPdf(experiment: ExperimentRecord, at: Date, detection: ReportedEvaluation | null = null): Promise<Uint8Array> {
  const table = buildComparisonTable(experiment.runs, { bootstrap: { replicates: 1000 } });
  const figures = await renderReportFigures(table);
  const header = [`Angio SSL-Quantum - experiment report: ${experiment.title}`, `Experiment of ${experiment.createdAt.slice(0, 10)}; code ${experiment.provenance.codeVersion}; report made ${at.toISOString().slice(0, 16).replace('T', ' ')} UTC`];
  const report = await PdfReport.create(`Experiment report: ${experiment.title}`, header, RESEARCH_FOOTER, at);

  report.heading('Comparison table');
  report.table(
    ['Model', 'Seeds', ...TABLE_METRICS.map((k) => SCALAR_METRICS.find((m) => m.key === k)!.short)],
    table.models.map((m) => [m.model, String(m.seeds.length), ...TABLE_METRICS.map((k) => summary(m.metrics[k]))]),
    [0.2, 0.06, ...TABLE_METRICS.map(() => 0.74 / TABLE_METRICS.length)],
    8,
  );
  const interval = table.models[0]!.metrics.accuracy.interval;
  report.paragraph(
    `Test set: ${table.images} images, ${table.positives} with stenosis. Cells: mean ± sample sd over seeds, and below it the ${Math.round(interval.confidence * 100)} % ` +
      `percentile-bootstrap interval of the seed mean (${interval.replicates} resamples of ${interval.resampledUnit === 'patient' ? 'patients' : 'images'}, seed ${interval.seed}). ` +
      'Each run is scored at its own threshold, chosen on its validation split.',
    { size: 8, muted: true },
  );

  for (const name of REPORT_FIGURES) {
    report.newPageIfBelow(330);
    report.paragraph(FIGURE_TITLES[name], { bold: true, size: 10 });
    const image = await report.embedPngBytes(figures[name].png);
    report.below(report.image(image, PAGE.width - 2 * PAGE.margin, 300), 16);
  }
  await fullFrameSection(report, detection);
  report.newPage();
  await calibrationSection(report, experiment);
  report.newPage();
  await robustnessSection(report, experiment);

  report.newPage();
  await quantumSection(report, experiment, table);
  report.heading('Configuration');
  report.table(['Setting', 'Value'], flatten(experiment.configuration).map(([k, v]) => [k, v]), [0.45, 0.55], 8);
  report.heading('Data provenance');
  const p = experiment.provenance;
  report.fields([
    ['Data set', p.dataset],
    ['Source', p.source],
    ['Licence', p.license],
    ['Splits', Object.entries(p.splits).map(([k, v]) => `${k}: ${v}`).join(', ')],
    ['Patient-level split', p.patientLevelSplit ? 'yes' : 'no: images of one patient may sit in different splits (leakage possible)'],
    ['Code version', p.codeVersion],
  ]);
  for (const note of p.notes) report.paragraph(note, { size: 9, muted: true });
  return report.finish();
}
