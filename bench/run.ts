// `npm run bench [-- suite…]`: runs every suite (or the named ones) side by side with its peers in one run and
// writes bench/results.json and docs/performance.md. `-- --smoke` runs tiny inputs once (what `npm test` does);
// `-- --merge suite…` re-runs the named suites and keeps the others' earlier figures, each with its date.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { projectRoot } from '../src-main/app/paths.ts';
import { suites } from './registry.ts';
import { buildResults, markdownReport, mergeResults, ratioChartSvg, type BenchResults, type SuiteResult } from './report.ts';
import { median } from './types.ts';

const args = process.argv.slice(2);
const smoke = args.includes('--smoke');
const merge = args.includes('--merge');
const wanted = args.filter((arg) => !arg.startsWith('--'));
const repeats = Number(process.env.BENCH_REPEATS ?? (smoke ? 1 : 5));
const root = projectRoot();
const unknown = wanted.filter((id) => !suites.some((suite) => suite.id === id));
if (unknown.length > 0) {
  console.error(`unknown suite(s): ${unknown.join(', ')}; available: ${suites.map((s) => s.id).join(', ')}`);
  process.exit(2);
}

const results: SuiteResult[] = [];
for (const entry of suites.filter((suite) => (wanted.length === 0 ? !suite.onlyWhenNamed : wanted.includes(suite.id)))) {
  const started = performance.now();
  console.log(`\n== ${entry.id}`);
  try {
    const figures = await (await entry.load())({ repeats, smoke });
    for (const figure of figures) {
      const target = figure.target === undefined ? '' : ` (target ${figure.higherIsBetter === false ? '≤' : '≥'} ${figure.target})`;
      console.log(`  ${figure.name}: ${median(figure.values).toPrecision(4)} ${figure.unit}${target}`);
    }
    results.push({ suite: entry.id, figures, seconds: (performance.now() - started) / 1000 });
  } catch (error) {
    console.error(`  suite ${entry.id} failed: ${(error as Error).stack ?? error}`);
    results.push({ suite: entry.id, figures: [], error: (error as Error).message, seconds: (performance.now() - started) / 1000 });
  }
}

const resultsFile = join(root, 'bench', 'results.json');
const measured = buildResults(root, results);
const report = merge && existsSync(resultsFile) ? mergeResults(JSON.parse(readFileSync(resultsFile, 'utf8')) as BenchResults, measured) : measured;
if (!smoke) {
  mkdirSync(join(root, 'docs'), { recursive: true });
  writeFileSync(resultsFile, JSON.stringify(report, null, 2) + '\n');
  writeFileSync(join(root, 'docs', 'performance.md'), markdownReport(report, `npm run bench${merge ? ' -- --merge' : wanted.length ? ' --' : ''}${wanted.length ? ' ' + wanted.join(' ') : ''}`, root));
  writeFileSync(join(root, 'docs', 'performance-ratios.svg'), ratioChartSvg(report));
  console.log('\nwrote bench/results.json and docs/performance.md');
}
process.exit(results.some((result) => result.error) ? 1 : 0);
