// Crash safety: a run killed with SIGKILL in the middle of an epoch resumes from its last checkpoint and ends with
// bit-identical weights and the same metrics as a run that was never interrupted (deterministic mode, same seed).
// Both runs are real processes (train-process.ts) over the real P-ADSD folders.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { sharedDataDir } from '../app/paths.ts';
import { parseTrainingConfig } from './config.ts';
import { RUN_FILES, type TrainingResult } from './driver.ts';
import { loadEngine, sessionSpecFor } from './engine.ts';
import { preprocessingSpec } from '../preprocessing/index.ts';
import type { RunJob } from './run-job.ts';
import { SMALL_RUN_CONFIG } from './testing/small-run.ts';
import { padsdSource } from './training-data.ts';

const entry = join(dirname(fileURLToPath(import.meta.url)), 'train-process.ts');

const config = SMALL_RUN_CONFIG;

interface Line {
  type: 'progress' | 'result' | 'error';
  progress?: { kind: string; stageIndex: number };
  result?: TrainingResult;
  error?: { code: string; message: string };
}

/** Runs train-process.ts; `killWhen` sees every line and may SIGKILL the process. */
function runProcess(job: RunJob, killWhen?: (line: Line) => boolean): Promise<{ lines: Line[]; signal: NodeJS.Signals | null }> {
  mkdirSync(job.runDir, { recursive: true });
  const jobFile = join(job.runDir, `${job.resume ? 'resume' : 'start'}-job.json`);
  writeFileSync(jobFile, JSON.stringify(job));
  const child = spawn(process.execPath, [entry, jobFile], { stdio: ['ignore', 'pipe', 'inherit'] });
  const lines: Line[] = [];
  createInterface({ input: child.stdout }).on('line', (text) => {
    const line = JSON.parse(text) as Line;
    lines.push(line);
    if (killWhen?.(line)) child.kill('SIGKILL');
  });
  return new Promise((resolve) => child.on('close', (_code, signal) => resolve({ lines, signal })));
}

test('kill -9 mid-epoch, then resume: same weights and metrics as an uninterrupted run', { timeout: 600_000 }, async () => {
  const root = mkdtempSync(join(tmpdir(), 'angio-resume-'));
  const source = padsdSource(sharedDataDir());
  const straightDir = join(root, 'straight');
  const crashedDir = join(root, 'crashed');

  const straight = await runProcess({ runDir: straightDir, config, source, resume: false, progressIntervalMs: 0 });
  const straightResult = straight.lines.at(-1)?.result;
  assert.equal(straightResult?.status, 'completed', `uninterrupted run failed: ${JSON.stringify(straight.lines.at(-1))}`);

  // Kill in the second stage's first epoch: the pretraining epoch's checkpoint exists, the current epoch is half done.
  let stepsSeen = 0;
  const crashed = await runProcess({ runDir: crashedDir, config, source, resume: false, progressIntervalMs: 0 }, (line) =>
    line.type === 'progress' && line.progress?.kind === 'step' && line.progress.stageIndex === 1 && ++stepsSeen === 3);
  assert.equal(crashed.signal, 'SIGKILL', 'the run must have been killed, not finished');
  assert.ok(existsSync(join(crashedDir, RUN_FILES.checkpoint)), 'a checkpoint was on disk before the kill');
  assert.ok(!existsSync(join(crashedDir, RUN_FILES.model)), 'the killed run had not finished');

  const resumed = await runProcess({ runDir: crashedDir, config, source, resume: true, progressIntervalMs: 0 });
  const resumedResult = resumed.lines.at(-1)?.result;
  assert.equal(resumedResult?.status, 'completed', `resumed run failed: ${JSON.stringify(resumed.lines.at(-1))}`);
  assert.deepEqual(resumedResult?.metrics, straightResult?.metrics, 'metrics differ between resumed and uninterrupted runs');
  assert.deepEqual(resumedResult?.history.map(({ seconds: _s, ...epoch }) => epoch), straightResult?.history.map(({ seconds: _s, ...epoch }) => epoch));

  const engine = loadEngine();
  const parsed = parseTrainingConfig(config);
  const weights = async (dir: string) => {
    const session = new engine.TrainingSession(sessionSpecFor(parsed, preprocessingSpec(parsed.imageSize)));
    await session.importModel(join(dir, RUN_FILES.model));
    return session.parameters(true);
  };
  const a = await weights(straightDir);
  const b = await weights(crashedDir);
  assert.equal(a.length, b.length);
  for (let i = 0; i < a.length; i++) assert.deepEqual(b[i]?.values, a[i]?.values, `${a[i]?.name} differs after kill + resume`);
  rmSync(root, { recursive: true });
});
