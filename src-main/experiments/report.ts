// Writes an experiment's results: metrics.json, predictions.csv, comparison.md, the four figures (SVG + PNG),
// experiment.json (the record the Reports screen reads) and report.pdf, all into the output folder.
import { mkdirSync, writeFileSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import { buildComparisonTable, compareAucs, comparisonMarkdown, type ComparisonTable, type PairedAucComparison, PUBLISHED_RESULTS } from '../evaluation/index.ts';
import { qubitExpectationsSpec, renderVegaLite, writeFigure, writeReportFigures } from '../evaluation/figures/index.ts';
import { calibratedRunOf, calibrationFigureSpec, experimentPdf, shiftedRunOf, shiftFigureSpec, type ExperimentRecord, ExperimentRecordSchema, predictionsCsv } from '../reports/index.ts';
import { machineLine } from '../training/index.ts';
import type { ExperimentConfig } from './config.ts';
import { MODEL_CATALOG } from './model-catalog.ts';
import { quantumAnalysisMarkdown, quantumSummary } from './quantum-analysis.ts';
import type { DatasetCounts } from './preflight.ts';
import { writeJsonAtomically, type ScoredRun } from './runner.ts';

export interface ExperimentOutputs {
  table: ComparisonTable;
  pairs: PairedAucComparison[];
  markdown: string;
  files: string[];
}

function writeAtomically(path: string, content: string | Uint8Array): void {
  writeFileSync(`${path}.tmp`, content);
  renameSync(`${path}.tmp`, path);
}

/** SSL-Quantum against every other model, seed by seed on the same test images (DeLong + paired bootstrap). */
function pairedComparisons(runs: readonly ScoredRun[], config: ExperimentConfig): PairedAucComparison[] {
  const quantum = MODEL_CATALOG['ssl-quantum'].label;
  const pairs: PairedAucComparison[] = [];
  for (const run of runs.filter((r) => r.label === quantum)) {
    for (const other of runs.filter((r) => r.label !== quantum && r.seed === run.seed)) {
      pairs.push(compareAucs({ name: `${run.label} (seed ${run.seed})`, predictions: run.predictions }, { name: `${other.label} (seed ${other.seed})`, predictions: other.predictions }, { replicates: config.bootstrapReplicates }));
    }
  }
  return pairs;
}

function pairsMarkdown(pairs: readonly PairedAucComparison[]): string {
  if (pairs.length === 0) return '';
  const lines = ['', '### Paired AUC comparisons (same test images)', '', '| A | B | AUC A | AUC B | A − B (95 % paired bootstrap) | DeLong p |', '| --- | --- | --- | --- | --- | --- |'];
  for (const pair of pairs) {
    const d = pair.deLong;
    lines.push(`| ${pair.modelA} | ${pair.modelB} | ${d.aucA.toFixed(3)} | ${d.aucB.toFixed(3)} | ${d.difference.toFixed(3)} (${pair.bootstrapDifference.low.toFixed(3)}–${pair.bootstrapDifference.high.toFixed(3)}) | ${d.pValue < 0.001 ? '< 0.001' : d.pValue.toFixed(3)} |`);
  }
  return lines.join('\n') + '\n';
}

/** Each distinct machine the runs trained on (more than one when an experiment was resumed elsewhere). */
export function machinesOf(runs: readonly ScoredRun[]): string[] {
  return [...new Set(runs.flatMap((run) => (run.machine ? [machineLine(run.machine)] : [])))];
}

export function experimentRecord(config: ExperimentConfig, counts: DatasetCounts, runs: readonly ScoredRun[], codeVersion: string): ExperimentRecord {
  const quantumRun = runs.find((run) => run.model === 'ssl-quantum');
  const circuit = quantumRun ? (JSON.parse(JSON.stringify(config.training.quantum ?? {})) as Record<string, unknown>) : {};
  return ExperimentRecordSchema.parse({
    title: config.title,
    createdAt: new Date().toISOString(),
    runs: runs.map((run) => ({
      model: run.label, seed: run.seed, threshold: run.threshold, predictions: run.predictions,
      ...(run.calibration ? { calibration: { temperature: run.calibration.temperature, triage: run.calibration.triage, youden: run.calibration.youden } } : {}),
      ...(run.shifts ? { shifts: run.shifts } : {}),
    })),
    quantum: {
      model: MODEL_CATALOG['ssl-quantum'].label,
      classicalAblation: runs.some((run) => run.model === 'ssl-classical') ? MODEL_CATALOG['ssl-classical'].label : null,
      circuit: {
        qubits: Number(circuit.qubits ?? 8),
        layers: Number(circuit.layers ?? 3),
        rotation: String(circuit.rotation ?? 'Rot'),
        entangler: String(circuit.entangler ?? 'CnotRing'),
        reupload: Boolean(circuit.reupload ?? false),
      },
      contributions: quantumRun?.quantum?.contributions ?? [],
      analyses: runs.flatMap((run) => (run.quantum ? [quantumSummary(run.quantum)] : [])),
    },
    configuration: { models: config.models, seeds: config.seeds, training: config.training, perModel: config.perModel },
    provenance: {
      dataset: config.dataset.name,
      source: config.dataset.source,
      license: config.dataset.license,
      splits: {
        train: counts.splits.train.positive + counts.splits.train.negative,
        val: counts.splits.val.positive + counts.splits.val.negative,
        test: counts.splits.test.positive + counts.splits.test.negative,
        unlabeled: counts.unlabeled,
      },
      patientLevelSplit: false,
      notes: [
        'No patient ids exist for these patches: splits are the published image-level splits, so patients may appear in more than one split and scores may run optimistic.',
        ...machinesOf(runs).map((machine) => `Trained on ${machine}.`),
      ],
      codeVersion,
    },
  });
}

export async function writeExperimentOutputs(config: ExperimentConfig, counts: DatasetCounts, runs: readonly ScoredRun[], outputDir: string, codeVersion: string): Promise<ExperimentOutputs> {
  mkdirSync(join(outputDir, 'figures'), { recursive: true });
  const table = buildComparisonTable(
    runs.map((run) => ({ model: run.label, seed: run.seed, threshold: run.threshold, predictions: run.predictions })),
    { bootstrap: { replicates: config.bootstrapReplicates } },
  );
  const pairs = pairedComparisons(runs, config);
  const analyses = runs.flatMap((run) => (run.quantum ? [run.quantum] : []));
  const machines = machinesOf(runs).map((machine) => `Machine: ${machine}\n`).join('');
  const markdown = (machines ? `${machines}\n` : '') + comparisonMarkdown(table) + pairsMarkdown(pairs) + quantumAnalysisMarkdown(MODEL_CATALOG['ssl-quantum'].label, analyses);
  const record = experimentRecord(config, counts, runs, codeVersion);
  const files = ['metrics.json', 'predictions.csv', 'comparison.md', 'experiment.json', 'report.pdf'].map((name) => join(outputDir, name));
  writeJsonAtomically(files[0]!, {
    title: config.title,
    table,
    pairs,
    quantumAnalysis: analyses.map(quantumSummary),
    machines: [...new Map(runs.flatMap((run) => (run.machine ? [[machineLine(run.machine), run.machine] as const] : []))).values()],
    runs: runs.map(({ predictions: _predictions, quantum: _quantum, machine: _machine, ...summary }) => summary),
  });
  writeAtomically(files[1]!, predictionsCsv(record));
  writeAtomically(files[2]!, `# ${config.title}\n\n${markdown}`);
  writeJsonAtomically(files[3]!, record);
  const figures = await writeReportFigures(table, join(outputDir, 'figures'), PUBLISHED_RESULTS);
  writeAtomically(files[4]!, await experimentPdf(record, new Date()));
  for (const figure of Object.values(figures)) files.push(figure.svg, figure.png);
  const calibrated = calibratedRunOf(record);
  if (calibrated) {
    const written = writeFigure(join(outputDir, 'figures'), 'fig7-reliability', await renderVegaLite(calibrationFigureSpec(calibrated.run, calibrated.summary)));
    files.push(written.svg, written.png);
  }
  const shifted = shiftedRunOf(record);
  if (shifted) {
    const written = writeFigure(join(outputDir, 'figures'), 'fig8-shift-robustness', await renderVegaLite(shiftFigureSpec(shifted)));
    files.push(written.svg, written.png);
  }
  const firstAnalysis = analyses[0];
  if (firstAnalysis && firstAnalysis.zBoxes.length > 0) {
    const spec = qubitExpectationsSpec(firstAnalysis.zBoxes, `Fig. 6. ⟨Z⟩ per qubit on test images, ${MODEL_CATALOG['ssl-quantum'].label} seed ${firstAnalysis.seed}`);
    const written = writeFigure(join(outputDir, 'figures'), 'fig6-qubit-expectations', await renderVegaLite(spec));
    files.push(written.svg, written.png);
  }
  return { table, pairs, markdown, files };
}
