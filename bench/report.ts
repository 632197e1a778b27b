// Writes bench/results.json and docs/performance.md (a table of target vs measured and an SVG chart of ratios).
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { cpus, totalmem } from 'node:os';
import { readCpuInfo, widestIsa } from '../src-main/training/index.ts';
import type { Figure } from './types.ts';
import { isMet, median } from './types.ts';

export interface SuiteResult {
  suite: string;
  figures: Figure[];
  error?: string;
  seconds: number;
}

export interface BenchResults {
  machine: { cpu: string; isa?: string; cores: number; memoryGiB: number; node: string; platform: string };
  date: string;
  commit: string;
  /** date and commit: set on every suite when results of separate runs were merged (`npm run bench -- --merge …`). */
  suites: { suite: string; seconds: number; error?: string; date?: string; commit?: string; figures: (Figure & { min: number; median: number; max: number; met: boolean | null })[] }[];
}

function commitId(root: string): string {
  try {
    return execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: root, encoding: 'utf8' }).trim();
  } catch {
    return 'unknown';
  }
}

export function buildResults(root: string, results: SuiteResult[]): BenchResults {
  return {
    machine: { cpu: cpus()[0]?.model ?? 'unknown', isa: widestIsa(readCpuInfo().flags), cores: cpus().length, memoryGiB: Math.round(totalmem() / 2 ** 30), node: process.version, platform: `${process.platform}-${process.arch}` },
    date: new Date().toISOString(),
    commit: commitId(root),
    suites: results.map((result) => ({
      suite: result.suite,
      seconds: result.seconds,
      error: result.error,
      figures: result.figures.map((figure) => ({
        ...figure,
        min: Math.min(...figure.values),
        median: median(figure.values),
        max: Math.max(...figure.values),
        met: isMet(figure),
      })),
    })),
  };
}

const format = (value: number) => (Math.abs(value) >= 100 ? value.toFixed(0) : Math.abs(value) >= 10 ? value.toFixed(1) : value.toPrecision(3));

/** bench/findings.md, written by hand after a run: what limits each missed target. Appended to the report. */
function findings(root: string): string[] {
  const path = join(root, 'bench', 'findings.md');
  return existsSync(path) ? ['', readFileSync(path, 'utf8').trimEnd()] : [];
}

/**
 * Replaces the re-run suites of an earlier results file and keeps the others, each with the date and commit it was
 * measured at. Refuses results from another machine: ratios are only comparable on one.
 */
export function mergeResults(earlier: BenchResults, now: BenchResults): BenchResults {
  const same = (a: BenchResults['machine'], b: BenchResults['machine']) => a.cpu === b.cpu && a.isa === b.isa && a.cores === b.cores;
  if (!same(earlier.machine, now.machine)) {
    throw new Error(`bench/results.json was measured on ${earlier.machine.cpu} (${earlier.machine.cores} cores), this machine is ${now.machine.cpu} (${now.machine.cores} cores): run every suite here instead of --merge`);
  }
  const stamped = (run: BenchResults) => run.suites.map((suite) => ({ ...suite, date: suite.date ?? run.date, commit: suite.commit ?? run.commit }));
  const fresh = stamped(now);
  const kept = stamped(earlier).filter((suite) => !fresh.some((f) => f.suite === suite.suite));
  const order = (name: string) => [...earlier.suites, ...now.suites].findIndex((suite) => suite.suite === name);
  return { ...now, suites: [...kept, ...fresh].sort((a, b) => order(a.suite) - order(b.suite)) };
}

export function markdownReport(results: BenchResults, command: string, root?: string): string {
  const { machine } = results;
  const runs = results.suites.filter((suite) => suite.date).map((suite) => `${suite.suite} ${suite.date!.slice(0, 16).replace('T', ' ')} UTC at ${suite.commit}`);
  const lines = [
    '# Performance',
    '',
    `Measured by \`${command}\` on ${results.date.slice(0, 10)}${runs.length > 0 ? '' : ` at commit ${results.commit}`}: ${machine.cpu}${machine.isa ? ` (widest vector ISA ${machine.isa})` : ''}, ${machine.cores} logical cores, ${machine.memoryGiB} GiB, Node ${machine.node}.`,
    'Each figure is the median of its repeats (min–max in brackets: the spread of the runs); ratios compare with a peer measured in the same run, on the thread count the figure names.',
    '',
    ...(runs.length > 0 ? [`Suites come from separate runs on this machine (\`--merge\`): ${runs.join('; ')}.`, ''] : []),
    '![ratios against targets](performance-ratios.svg)',
    '',
    '| suite | figure | measured (median) | min–max | target | met |',
    '| --- | --- | --- | --- | --- | --- |',
  ];
  for (const suite of results.suites) {
    if (suite.error) lines.push(`| ${suite.suite} | suite failed: ${suite.error.replaceAll('|', '/')} | | | | ✗ |`);
    for (const figure of suite.figures) {
      const target = figure.target === undefined ? '' : `${figure.higherIsBetter === false ? '≤' : '≥'} ${format(figure.target)}`;
      const met = figure.met === null ? '' : figure.met ? '✓ met' : '✗ missed';
      const note = figure.note ? ` (${figure.note.replaceAll('|', '/')})` : '';
      lines.push(`| ${suite.suite} | ${figure.name}${note} | ${format(figure.median)} ${figure.unit} | ${format(figure.min)}–${format(figure.max)} | ${target} | ${met} |`);
    }
  }
  if (root) lines.push(...findings(root));
  return lines.join('\n') + '\n';
}

/** A horizontal bar per figure with a target: measured ÷ target, the line at 1 means "target met". */
export function ratioChartSvg(results: BenchResults): string {
  const rows = results.suites.flatMap((suite) => suite.figures.filter((f) => f.target !== undefined).map((f) => ({ label: `${suite.suite}: ${f.name}`, score: f.higherIsBetter === false ? f.target! / f.median : f.median / f.target!, met: f.met })));
  const rowHeight = 22;
  const labelWidth = 420;
  const barWidth = 360;
  const maxScore = Math.max(2, ...rows.map((row) => row.score));
  const height = 40 + rows.length * rowHeight;
  const x = (score: number) => labelWidth + (Math.min(score, maxScore) / maxScore) * barWidth;
  const escape = (text: string) => text.replace(/[<>&"]/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;' })[c]!);
  const bars = rows
    .map((row, i) => {
      const y = 24 + i * rowHeight;
      return `<text x="${labelWidth - 8}" y="${y + 14}" text-anchor="end">${escape(row.label)}</text><rect x="${labelWidth}" y="${y + 3}" width="${(x(row.score) - labelWidth).toFixed(1)}" height="14" fill="${row.met ? '#3fb97f' : '#e5534b'}"/><text x="${x(row.score) + 4}" y="${y + 14}">${row.score.toFixed(2)}×</text>`;
    })
    .join('');
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${labelWidth + barWidth + 80}" height="${height}" font-family="sans-serif" font-size="12"><rect width="100%" height="100%" fill="white"/><text x="${labelWidth}" y="16" font-weight="bold">measured ÷ target (1 = target met)</text>${bars}<line x1="${x(1)}" x2="${x(1)}" y1="20" y2="${height}" stroke="#333" stroke-dasharray="4 3"/></svg>\n`;
}
