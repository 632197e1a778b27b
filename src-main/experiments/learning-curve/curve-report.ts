// Writes a learning curve's results: learning-curve.json (the summary, without per-image scores), the figure (SVG +
// PNG) and learning-curve.md into the output folder and, when asked, the same table and figure into the Results
// page between its learning-curve markers (the rest of the page is left as it is).
import { copyFileSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { basename, dirname, join, relative } from 'node:path';
import { renderVegaLite, writeFigure } from '../../evaluation/figures/index.ts';
import { writeJsonAtomically } from '../runner.ts';
import type { LearningCurveConfig } from './curve-config.ts';
import { learningCurveSpec } from './curve-figure.ts';
import { curveRunsSoFar, type EncoderRecord } from './curve-runner.ts';
import { type CurveComparison, type CurvePoint, type LearningCurveResults, summariseCurve } from './curve-summary.ts';
import { writeFileAtomically } from './write-file.ts';

export const RESULTS_BEGIN = '<!-- learning-curve:begin (written by scripts/learning-curve.ts --results; edits inside are replaced) -->';
export const RESULTS_END = '<!-- learning-curve:end -->';
const FIGURE = 'fig-learning-curve';

const f3 = (v: number) => v.toFixed(3);
const pText = (p: number) => (p < 0.001 ? '< 0.001' : p.toFixed(3));

function aucCell(point: CurvePoint | undefined): string {
  if (!point) return '—';
  const spread = point.sdTestAuc === null ? '' : ` ± ${f3(point.sdTestAuc)}`;
  return `${f3(point.meanTestAuc)}${spread} (${f3(point.interval.low)}–${f3(point.interval.high)})`;
}

function differenceCells(c: CurveComparison | undefined): string[] {
  if (!c) return ['—', '—', '—'];
  const perSeed = c.perSeed.map((s) => `s${s.seed}: ${s.difference >= 0 ? '+' : ''}${f3(s.difference)} (p ${pText(s.pValue)})`).join('; ');
  return [`${c.meanDifference >= 0 ? '+' : ''}${f3(c.meanDifference)} (${f3(c.bootstrapDifference.low)}–${f3(c.bootstrapDifference.high)})`, pText(c.deLong.pValue), perSeed];
}

export function curveMarkdown(results: LearningCurveResults, figureLink: string): string {
  const partial = results.finished < results.planned ? ` — partial: ${results.finished} of ${results.planned} runs finished` : '';
  const quantumArm = results.points.find((p) => p.qubits !== null)?.arm ?? 'SSL-Quantum';
  const classicalArm = results.points.find((p) => p.qubits === null)?.arm ?? 'SSL (no quantum)';
  const lines = [
    `### Learning curve: test AUC by label count${partial}`,
    '',
    `Test split: ${results.testImages} patches, scored once per finished run. Cells: mean ± sample sd over seeds (95 % percentile bootstrap of the seed mean, ${results.bootstrapReplicates} resamples of the test images). Differences are ${quantumArm} − ${classicalArm}, paired on the same images and seeds: the mean over seeds with its paired bootstrap interval, DeLong's test of that mean (the seeds' AUCs as one contrast), and each seed alone (DeLong p).`,
    '',
    `| Labels | Seeds | ${quantumArm} | ${classicalArm} | Difference, mean over seeds (95 % paired bootstrap) | DeLong p (seeds pooled) | Per seed: difference (DeLong p) |`,
    '| --- | --- | --- | --- | --- | --- | --- |',
  ];
  for (const labels of results.labelCounts) {
    const q = results.points.find((p) => p.labels === labels && p.qubits !== null && p.arm === quantumArm);
    const c = results.points.find((p) => p.labels === labels && p.qubits === null);
    if (!q && !c) continue;
    const comparison = results.comparisons.find((x) => x.labels === labels);
    lines.push(`| ${labels} | ${comparison ? comparison.seeds.length : Math.max(q?.seeds.length ?? 0, c?.seeds.length ?? 0)} | ${aucCell(q)} | ${aucCell(c)} | ${differenceCells(comparison).join(' | ')} |`);
  }
  if (results.qubits && results.qubits.points.length > 0) {
    const qb = results.qubits;
    lines.push('', `Qubit count at ${qb.labels} labels (the same label subsets and seeds; validation AUC chooses, every test figure is shown):`, '',
      '| Arm | Seeds | Validation AUC (mean) | Test AUC | − SSL (no quantum), mean over seeds (95 % paired bootstrap) | DeLong p (seeds pooled) |', '| --- | --- | --- | --- | --- | --- |');
    for (const point of qb.points) {
      const c = qb.comparisons.find((x) => x.modelA === point.arm);
      const cells = point.qubits === null ? ['—', '—'] : differenceCells(c).slice(0, 2);
      lines.push(`| ${point.arm} | ${point.seeds.length} | ${f3(point.meanValAuc)} | ${aucCell(point)} | ${cells.join(' | ')} |`);
    }
    const chosen = qb.chosenByValidation;
    lines.push('', chosen === null ? 'No qubit count has finished every seed yet, so validation has chosen none.' : `Chosen on validation among the qubit counts: ${chosen} qubits.`);
  }
  const ablated = [...results.points, ...(results.qubits?.points ?? [])].filter((p, i, all) => p.ablation && all.findIndex((q) => q.labels === p.labels && q.arm === p.arm) === i);
  if (ablated.length > 0) {
    lines.push('', 'Inside the trained SSL-Quantum models: every ⟨Z_q⟩ replaced by its mean over the run\'s own training labels, the rest unchanged (test AUC with the quantum path minus ablated, per seed).', '',
      '| Labels | Arm | Runs | α (learned, mean) | AUC change per seed | Mean abs. contribution to the probability |', '| --- | --- | --- | --- | --- | --- |');
    for (const p of ablated.sort((a, b) => a.labels - b.labels || (a.qubits ?? 0) - (b.qubits ?? 0))) {
      const a = p.ablation!;
      lines.push(`| ${p.labels} | ${p.arm} | ${a.runs} | ${a.meanAlpha.toFixed(4)} | ${a.aucChanges.map((d) => `${d >= 0 ? '+' : ''}${d.toFixed(4)}`).join(', ')} | ${a.meanAbsContribution.toFixed(4)} |`);
    }
  }
  const encoder = results.encoder ? `${results.encoder.source} (sha256 ${results.encoder.sha256.slice(0, 12)}…)` : 'not recorded';
  lines.push('', `Encoder: ${encoder}. Label subsets: stratified, nested and drawn per seed from labelled/train (label-subsets.json). ` +
    `Below ${results.stepFloorLabels} labels the head, fine-tuning and patience epochs are repeated ${results.points.filter((p) => p.epochScale > 1).map((p) => `×${p.epochScale} at ${p.labels}`).filter((v, i, all) => all.indexOf(v) === i).join(', ') || '(none)'} (a whole factor, ⌈${results.stepFloorLabels} / labels⌉), so that the smallest subsets are not left with a handful of optimisation steps. ` +
    `Training time of the ${results.finished} runs: ${(results.trainingSeconds / 60).toFixed(0)} min on ${results.machines.join('; ') || 'an unrecorded machine'}.`);
  lines.push('', `![Learning curve](${figureLink})`, '');
  return lines.join('\n');
}

/** Replaces the learning-curve block of a Markdown page (appended at the end when the page has none yet). */
export function replaceResultsBlock(page: string, block: string): string {
  const wrapped = `${RESULTS_BEGIN}\n${block.trimEnd()}\n${RESULTS_END}`;
  const begin = page.indexOf(RESULTS_BEGIN);
  const end = page.indexOf(RESULTS_END);
  if (begin >= 0 && end > begin) return page.slice(0, begin) + wrapped + page.slice(end + RESULTS_END.length);
  return `${page.trimEnd()}\n\n${wrapped}\n`;
}

export async function writeCurveReport(curve: LearningCurveConfig, outputDir: string, resultsPage?: string): Promise<{ results: LearningCurveResults; markdown: string; files: string[] }> {
  const { runs, planned } = curveRunsSoFar(curve, outputDir);
  const encoderPath = join(outputDir, 'pretrain', 'encoder.json');
  const encoder = existsSync(encoderPath) ? (JSON.parse(readFileSync(encoderPath, 'utf8')) as EncoderRecord) : null;
  const results = summariseCurve(curve, runs, planned, encoder);
  const files = [join(outputDir, 'learning-curve.json'), join(outputDir, 'learning-curve.md')];
  writeJsonAtomically(files[0]!, results);
  const figure = writeFigure(outputDir, FIGURE, await renderVegaLite(learningCurveSpec(results.points, results.testImages)));
  files.push(figure.svg, figure.png);
  const markdown = curveMarkdown(results, `${FIGURE}.png`);
  writeFileAtomically(files[1]!, markdown);
  if (resultsPage) {
    const dir = join(dirname(resultsPage), 'results-learning-curve');
    mkdirSync(dir, { recursive: true });
    for (const path of [files[0]!, figure.svg, figure.png]) {
      copyFileSync(path, join(dir, basename(path)));
      files.push(join(dir, basename(path)));
    }
    const link = relative(dirname(resultsPage), join(dir, `${FIGURE}.png`));
    writeFileAtomically(resultsPage, replaceResultsBlock(readFileSync(resultsPage, 'utf8'), curveMarkdown(results, link)));
    files.push(resultsPage);
  }
  return { results, markdown, files };
}
