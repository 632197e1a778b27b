// `npm run experiment -- <config.json> [--out <folder>] [--so-far]`: trains and compares the configured models and
// writes the report folder (metrics.json, predictions.csv, comparison.md, figures/, experiment.json, report.pdf).
// --so-far trains nothing: it writes the report of the runs finished so far (an hours-long run, stopped or still
// going), titled as partial.
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { projectRoot, sharedDataDir } from '../app/index.ts';
import { experimentPins, readExperimentConfig } from '../experiments/index.ts';
import { relaunchPinned, reproduciblePins } from '../training/index.ts';
import { reportSoFar, runExperimentWithProgress } from './run-experiment.ts';

const { positionals, values } = parseArgs({ allowPositionals: true, options: { out: { type: 'string' }, 'so-far': { type: 'boolean', default: false } } });
const configPath = positionals[0] ?? join(projectRoot(), 'experiments', 'full.json');
try {
  const config = readExperimentConfig(configPath, sharedDataDir());
  const reproducible = experimentPins(config);
  if (reproducible && !values['so-far']) await relaunchPinned(reproduciblePins(reproducible.threads));
  const outputDir = resolve(values.out ?? join(projectRoot(), 'experiment-output', config.title.replace(/[^\w.-]+/g, '-').toLowerCase()));
  if (values['so-far']) await reportSoFar(config, outputDir);
  else await runExperimentWithProgress(config, outputDir);
} catch (error) {
  const code = (error as { code?: string }).code;
  console.error(`\n${code ? `[${code}] ` : ''}${(error as Error).message}`);
  process.exit(1);
}
