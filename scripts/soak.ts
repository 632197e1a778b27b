// `npm run soak`: the long reliability runs — the ingest fuzz campaigns (DICOM, PNG, manifest) at full
// size and many kill -9 rounds (import and labelling, training, report export) — then writes the figures to
// docs/reliability.md; a campaign given 0 keeps its section from the previous file. Exits non-zero on any crash,
// hang, memory overrun, untyped failure or lost data.
// Usage: node scripts/soak.ts [--dicom 10000] [--png 2000] [--manifest 1000] [--crash 30] [--train-crash 30]
//          [--export-crash 30] [--seed 1]
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { projectRoot, sharedDataDir } from '../src-main/app/paths.ts';
import { runCampaign, type CampaignResult, type Corpus, type Figures } from '../tests/reliability/fuzz/campaign.ts';
import { buildProbeInput } from '../tests/reliability/fuzz/probe-search.ts';
import { buildCrashFolder, runCrashRounds, type CrashRoundsResult } from '../tests/reliability/crash/crash-rounds.ts';
import { prepareExportFixture } from '../tests/reliability/crash/export-fixture.ts';
import { runExportCrashRounds, type ExportCrashResult } from '../tests/reliability/crash/export-rounds.ts';
import { runTrainingCrashRounds, type TrainingCrashResult } from '../tests/reliability/crash/train-rounds.ts';
import { carriedSection, exportCrashSection, importCrashSection, trainingCrashSection } from '../tests/reliability/reliability-doc.ts';
import { SMALL_RUN_CONFIG } from '../src-main/training/testing/small-run.ts';

const { values } = parseArgs({
  options: {
    dicom: { type: 'string', default: '10000' },
    png: { type: 'string', default: '2000' },
    manifest: { type: 'string', default: '1000' },
    crash: { type: 'string', default: '30' },
    'train-crash': { type: 'string', default: '30' },
    'export-crash': { type: 'string', default: '30' },
    seed: { type: 'string', default: '1' },
    keep: { type: 'boolean', default: false },
  },
});
const seed = Number(values.seed);
const scratch = mkdtempSync(join(tmpdir(), 'angio-soak-'));
const failuresDir = join(projectRoot(), 'e2e', 'artifacts', 'soak-failures');
const log = (line: string) => console.log(`[soak] ${line}`);
const started = new Date();

const results: CampaignResult[] = [];
for (const corpus of ['dicom', 'png', 'manifest'] as Corpus[]) {
  const cases = Number(values[corpus]);
  if (!cases) continue;
  log(`${corpus}: ${cases} cases, seed ${seed}`);
  results.push(
    await runCampaign({
      corpus,
      seed,
      cases,
      sharedDataDir: sharedDataDir(),
      dataDir: join(scratch, corpus, 'data'),
      workDir: join(scratch, corpus, 'cases'),
      probe: corpus === 'dicom' ? buildProbeInput(join(scratch, corpus, 'probe')) : undefined,
      timeBoundMs: 90_000,
      memoryBoundMb: 2_000,
      decodeDeadlineMs: 20_000,
      checkEvery: 250,
      failuresDir,
      log,
    }),
  );
}

const seconds = (since: number) => (Date.now() - since) / 1000;
let crash: CrashRoundsResult | null = null;
let crashSeconds = 0;
if (Number(values.crash) > 0) {
  const since = Date.now();
  const folder = join(scratch, 'crash-folder');
  buildCrashFolder(sharedDataDir(), folder, 300);
  const dataDir = join(scratch, 'crash-data');
  crash = await runCrashRounds({ seed, rounds: Number(values.crash), dataDir, folder, maxRunMs: 120_000, sharedDataDir: sharedDataDir(), log });
  const last = await runCrashRounds({ seed: seed + 1, rounds: 1, dataDir, folder, maxRunMs: 300_000, phases: ['labelling'], log });
  crash.importCompleted = last.importCompleted;
  crash.harnessProblems.push(...last.harnessProblems);
  crash.dataProblems.push(...last.dataProblems);
  crash.lostLabels.push(...last.lostLabels);
  crashSeconds = seconds(since);
}

let training: TrainingCrashResult | null = null;
let trainingSeconds = 0;
const trainingRounds = Number(values['train-crash']);
if (trainingRounds > 0) {
  const since = Date.now();
  log(`training kill -9: ${trainingRounds} rounds`);
  training = await runTrainingCrashRounds({ seed, rounds: trainingRounds, dataDir: join(scratch, 'train-crash-data'), config: SMALL_RUN_CONFIG, maxRunMs: 300_000, baseline: true, log });
  trainingSeconds = seconds(since);
}

let exporting: ExportCrashResult | null = null;
let exportSeconds = 0;
const exportRounds = Number(values['export-crash']);
if (exportRounds > 0) {
  const since = Date.now();
  log(`report export kill -9: ${exportRounds} rounds`);
  const workDir = join(scratch, 'export-crash-work');
  mkdirSync(workDir, { recursive: true });
  const dataDir = join(scratch, 'export-crash-data');
  const fixture = await prepareExportFixture(dataDir, workDir, seed);
  exporting = await runExportCrashRounds({ seed, rounds: exportRounds, dataDir, folder: join(scratch, 'export-crash-folder'), fixture, maxRunMs: 300_000, log });
  exportSeconds = seconds(since);
}

const sum = (key: keyof Figures) => results.reduce((n, r) => n + r.total[key], 0);
const dataLost = results.reduce((n, r) => n + r.dataProblems.length, 0) + (crash ? crash.harnessProblems.length + crash.dataProblems.length + crash.lostLabels.length : 0) + (training?.problems.length ?? 0) + (exporting?.problems.length ?? 0);
const bad = sum('crashes') + sum('hangs') + sum('memory') + sum('untyped') + sum('unreadable') + sum('traversal') + dataLost + (crash && !crash.importCompleted ? 1 : 0);
const row = (name: string, f: Figures) => `| ${name} | ${f.tried} | ${f.accepted} | ${f.rejected} | ${f.crashes} | ${f.hangs} | ${f.memory} | ${f.untyped + f.unreadable + f.traversal} |`;
const command = `npm run soak -- --dicom ${values.dicom} --png ${values.png} --manifest ${values.manifest} --crash ${values.crash} --train-crash ${trainingRounds} --export-crash ${exportRounds} --seed ${seed}`;
// What a campaign given 0 keeps from the previous file, and which run it came from.
const docPath = join(projectRoot(), 'docs', 'reliability.md');
const previous = existsSync(docPath) ? readFileSync(docPath, 'utf8') : '';
const previousRun = `the soak of ${/^Last run: (\S+)/m.exec(previous)?.[1] ?? 'an earlier date'} (${/^Command: `([^`]+)`/m.exec(previous)?.[1] ?? 'command not recorded'})`;
const carried = (heading: string) => carriedSection(previous, heading, previousRun);
const lines = [
  '# Reliability',
  '',
  'What a workstation throws at the app, and how it fared. Written by `npm run soak` (scripts/soak.ts); the CI subset of',
  'the same tests runs in `npm test` (tests/reliability/*.test.ts, e2e/security.test.ts).',
  '',
  `Last run: ${started.toISOString()} · seed ${seed} · ${Math.round((Date.now() - started.getTime()) / 60_000)} min · ${cpus().length} cores, load ${loadavg()[0]?.toFixed(1)} at the end`,
  `Command: \`${command}\` (the full run is \`npm run soak\`: 10,000 DICOM, 2,000 PNG, 1,000 manifest cases, 30 kill rounds each for import and labelling, training and report export).`,
  '',
  `**Result of this run: ${bad === 0 ? 'pass' : 'FAIL'}** — ${sum('tried')} cases tried, ${sum('accepted')} accepted, ${sum('rejected')} rejected with a reason, ${sum('crashes')} crashes, ${sum('hangs')} hangs, ${sum('memory')} over the memory bound, ${sum('untyped') + sum('unreadable') + sum('traversal')} untyped or wrong outcomes; ${(crash?.rounds ?? 0) + (training?.kills ?? 0) + (exporting?.kills ?? 0)} kill -9 rounds; ${dataLost} data lost or crash-safety problems.`,
  '',
];
lines.push('## Ingest fuzzing');
if (results.length === 0) lines.push(...carried('## Ingest fuzzing'));
else {
  lines.push(
    '',
    `_Run ${started.toISOString()} · seed ${seed} · \`--dicom ${values.dicom} --png ${values.png} --manifest ${values.manifest}\`._`,
    '',
    'Each case is a seeded mutation of one shared file, imported by the app\'s own import path (IngestService.runImport)',
    'in a child process into a data folder that grows over the run. Bounds per case: 90 s and 2,000 MB resident; the',
    'import\'s codec deadline is 20 s per frame (codecs run in a replaceable worker thread, src-main/dicom/decode-isolation.ts).',
    'The data folder is checked every 250 cases (PRAGMA integrity_check, foreign keys, frame rows, import log against',
    'rows) and at the end with every referenced blob re-hashed. "Other failures" counts untyped errors, files accepted',
    'but unreadable later, and manifest rows outside the folder that were not refused.',
    '',
    '| corpus / mutation | tried | accepted | rejected | crashes | hangs | memory | other failures |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
  );
  for (const r of results) {
    lines.push(row(`**${r.corpus}** (${Math.round(r.elapsedMs / 1000)} s, peak ${r.maxRssMb} MB)`, r.total));
    for (const [kind, f] of Object.entries(r.perKind).sort()) lines.push(row(`${r.corpus} · ${kind}`, f));
  }
  lines.push('', 'Rejection reasons:', '');
  for (const r of results) lines.push(`- ${r.corpus}: ${Object.entries(r.rejectReasons).sort((a, b) => b[1] - a[1]).map(([k, n]) => `${k} ${n}`).join(', ')}`);
}
lines.push(
  '',
  '## Crash safety (kill -9)',
  '',
  'Each campaign runs the app\'s own code (services, or the app context with its IPC handlers) in a child process,',
  'kills it with SIGKILL, restarts it on the same data folder and checks what a user would find: PRAGMA integrity_check',
  'and foreign keys, every referenced blob present with its SHA-256 (tests/reliability/store-consistency.ts), and the',
  'campaign\'s own checks below (tests/reliability/crash/). The CI subset: tests/reliability/crash-*.test.ts.',
  '',
  '### Import and labelling',
  ...(crash ? importCrashSection(crash, started, seed, crashSeconds) : carried('### Import and labelling')),
  '',
  '### Training',
  ...(training ? trainingCrashSection(training, started, seed, trainingRounds, trainingSeconds) : carried('### Training')),
  '',
  '### Report export',
  ...(exporting ? exportCrashSection(exporting, started, seed, exportRounds, exportSeconds) : carried('### Report export')),
  '',
  '## Not covered yet',
  '',
  '- Prediction running beside imports (tests/reliability/concurrency.test.ts covers two importing and labelling',
  '  processes plus a third import).',
  '- Non-deterministic training (`deterministic: false`): a kill between the best-model write and the checkpoint that',
  '  records it can leave best.pt one epoch ahead of the checkpoint; deterministic runs retrain that epoch identically.',
  '- Power loss itself is not simulated (only kill -9): files and the folders they are renamed in are synced (engine',
  '  checkpoints included), which is what survives one.',
);
const failures = [...results.flatMap((r) => r.failures.map((f) => `- ${f.what}: seed ${f.seed} case ${f.caseId} (${f.corpus}, ${f.source}, ${f.kind}: ${f.detail}) ${f.message.slice(0, 200)}`)), ...results.flatMap((r) => r.dataProblems.map((p) => `- data (${r.corpus}): ${p}`)), ...(crash ? [...crash.harnessProblems, ...crash.dataProblems, ...crash.lostLabels].map((p) => `- crash: ${p}`) : []), ...(training?.problems ?? []).map((p) => `- ${p}`), ...(exporting?.problems ?? []).map((p) => `- ${p}`)];
if (failures.length) lines.push('', '## Failures', '', ...failures.slice(0, 100), '', `Failing cases are kept under e2e/artifacts/soak-failures/.`);
writeFileSync(docPath, `${lines.join('\n')}\n`);
log(`wrote docs/reliability.md: ${bad === 0 ? 'pass' : `${bad} problems`}`);
if (!values.keep) rmSync(scratch, { recursive: true, force: true });
process.exit(bad === 0 ? 0 : 1);
