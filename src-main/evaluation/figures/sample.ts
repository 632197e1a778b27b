// Renders Figs. 1–4 and the Markdown table for a synthetic five-model, three-seed test set shaped like the
// paper's (60 + 60 images), to eyeball the figures. Usage: node src-main/evaluation/figures/sample.ts <out-dir>
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { comparisonMarkdown } from '../comparison-markdown.ts';
import { buildComparisonTable, type ModelSeedRun } from '../comparison-table.ts';
import { PUBLISHED_RESULTS } from '../published-results.ts';
import { rescored, syntheticPredictions } from '../synthetic-test-set.ts';
import { writeReportFigures } from './index.ts';

/** Separations chosen so the synthetic AUCs land near the paper's (Φ(d/√2) ≈ 0.94, 0.83, 0.77, 0.81, 0.58). */
export const SAMPLE_MODELS = { 'SSL-Quantum': 2.2, ResNet18: 1.35, MobileNetV2: 1.05, 'EfficientNet-B0': 1.25, SimpleCNN: 0.28 };

export function sampleRuns(): ModelSeedRun[] {
  const testSet = syntheticPredictions({ positives: 60, negatives: 60, separation: 1, seed: 2024 });
  return Object.entries(SAMPLE_MODELS).flatMap(([model, separation], m) =>
    [0, 1, 2].map((seed) => ({ model, seed, threshold: 0.5, predictions: rescored(testSet, separation, 1000 * m + seed, 4) })),
  );
}

if (import.meta.main) {
  const dir = process.argv[2];
  if (!dir) throw new Error('usage: node src-main/evaluation/figures/sample.ts <out-dir>');
  const table = buildComparisonTable(sampleRuns(), { bootstrap: { replicates: 1000 }, prevalence: 0.3 });
  const written = await writeReportFigures(table, dir, PUBLISHED_RESULTS.slice(0, 1));
  writeFileSync(join(dir, 'comparison.md'), comparisonMarkdown(table));
  console.log(JSON.stringify(written, null, 2));
}
