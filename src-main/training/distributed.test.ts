// Data-parallel training on c10d (Gloo + our store), real addon, real P-ADSD images, ranks as real processes on
// 127.0.0.1. Two ranks with batch 8 each must train what one process does with batch 16:
//  - exactly equal between the ranks (same averaged gradients → same AdamW state → bit-identical weights);
//  - equal to one process up to float summation order when BatchNorm uses its running statistics
//    (freezeBatchNorm). With the default per-rank BatchNorm (as PyTorch DDP without SyncBatchNorm) each rank
//    normalises over its own 8 (pretraining: 16) images instead of the whole batch, so the weights differ from
//    one process's by more than rounding: that difference is measured and printed, not hidden.
// Then a short full run on 2 local ranks reaches the one-process validation AUC within its sampling noise, and a
// rank killed mid-run stops the other with rank-lost; the run resumes from rank 0's checkpoint on one rank.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { sharedDataDir } from '../app/paths.ts';
import { loadLabeledSplit } from './dataset.ts';
import { RUN_FILES } from './driver.ts';
import type { StageSpec } from './engine.ts';
import { preprocessingSpec } from '../preprocessing/index.ts';
import { runSteps, type StepsJob } from './testing/distributed-steps.ts';
import { SMALL_RUN_CONFIG } from './testing/small-run.ts';
import { padsdSource } from './training-data.ts';

const here = dirname(fileURLToPath(import.meta.url));
const stepsEntry = join(here, 'testing', 'distributed-steps.ts');
const angioEntry = join(here, '..', 'cli', 'angio.ts');
const TOKEN = 'test-token-0123456789abcdef';
const config = { ...SMALL_RUN_CONFIG, batchSize: 16 };

async function freePort(): Promise<number> {
  return new Promise((done) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => done(port));
    });
  });
}

interface Finished { code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }

function run(args: string[], env: NodeJS.ProcessEnv = {}): { child: ReturnType<typeof spawn>; done: Promise<Finished> } {
  const child = spawn(process.execPath, args, { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (chunk) => (stdout += chunk));
  child.stderr!.on('data', (chunk) => (stderr += chunk));
  return { child, done: new Promise((resolve) => child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }))) };
}

/** Two rank processes over the same global batches; returns each rank's losses and final weights. */
async function twoRanks(dir: string, job: Omit<StepsJob, 'weightsPath' | 'distributed'>): Promise<{ losses: number[][]; weights: Float32Array[] }> {
  const port = await freePort();
  const runs = [0, 1].map((rank) => {
    const weightsPath = join(dir, `rank${rank}.f32`);
    const jobPath = join(dir, `rank${rank}.json`);
    writeFileSync(jobPath, JSON.stringify({ ...job, weightsPath, distributed: { host: '127.0.0.1', port, worldSize: 2, rank, token: TOKEN, timeoutMs: 120_000 } }));
    return { weightsPath, finished: run([stepsEntry, jobPath]).done };
  });
  const losses: number[][] = [];
  const weights: Float32Array[] = [];
  for (const { weightsPath, finished } of runs) {
    const result = await finished;
    assert.equal(result.code, 0, `a rank failed: ${result.stdout} ${result.stderr}`);
    losses.push((JSON.parse(result.stdout.trim().split('\n').at(-1)!) as { losses: number[] }).losses);
    weights.push(new Float32Array(readFileSync(weightsPath).buffer.slice(0)));
  }
  return { losses, weights };
}

function norm(a: Float32Array, b: Float32Array): number {
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += ((a[i] as number) - (b[i] as number)) ** 2;
  return Math.sqrt(sum);
}

/** Global batches of 16 distinct train images, both classes present. */
function batches(count: number, steps: number): number[][] {
  return Array.from({ length: steps }, (_, s) => Array.from({ length: 16 }, (_, i) => (s * 16 + i * 61) % count));
}

async function equivalence(stage: StageSpec, label: string): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'angio-ddp-'));
  const trainCount = 1000;
  const base = { config, stage, batches: batches(trainCount, 3) };
  const reference = await runSteps({ ...base, freezeBatchNorm: true, weightsPath: join(dir, 'reference.f32') });
  const ranks = await twoRanks(dir, { ...base, freezeBatchNorm: true });
  assert.deepEqual(ranks.weights[1], ranks.weights[0], `${label}: the ranks' weights must be bit-identical`);
  const moved = norm(reference.final, reference.initial);
  assert.ok(moved > 0, `${label}: the reference must have trained`);
  const deviation = norm(ranks.weights[0]!, reference.final) / moved;
  // Summation order alone: the gradients differ by float rounding, which Adam's first steps amplify only slightly.
  assert.ok(deviation < 1e-3, `${label}: 2 ranks deviate from one process by ${deviation} of the distance trained`);
  for (let s = 0; s < reference.losses.length; s++) {
    // Fine-tuning: each rank's loss is its half's mean, so the ranks' mean is the batch's. NT-Xent: every rank
    // computes the whole batch's loss from the gathered embeddings.
    const distributed = stage.kind === 'pretrain' ? ranks.losses[0]![s]! : (ranks.losses[0]![s]! + ranks.losses[1]![s]!) / 2;
    if (stage.kind === 'pretrain') assert.equal(ranks.losses[1]![s], ranks.losses[0]![s]);
    assert.ok(Math.abs(distributed - reference.losses[s]!) <= 1e-5 * Math.abs(reference.losses[s]!) + 1e-6,
      `${label} step ${s + 1}: loss ${distributed} vs one process ${reference.losses[s]}`);
  }
  // The stated difference: per-rank BatchNorm statistics (the default) move the weights off one process's.
  const perRank = await twoRanks(dir, { ...base, freezeBatchNorm: false });
  const perRankReference = await runSteps({ ...base, freezeBatchNorm: false, weightsPath: join(dir, 'reference-bn.f32') });
  assert.deepEqual(perRank.weights[1], perRank.weights[0], `${label}: per-rank BatchNorm still keeps the ranks identical`);
  const bnDeviation = norm(perRank.weights[0]!, perRankReference.final) / norm(perRankReference.final, perRankReference.initial);
  console.log(`${label}: deviation from one process, frozen BatchNorm ${deviation.toExponential(2)}, per-rank BatchNorm ${bnDeviation.toExponential(2)} (of the distance trained in 3 steps)`);
  rmSync(dir, { recursive: true, force: true });
}

test('fine-tuning: 2 ranks × 8 train what 1 process × 16 does, within float rounding', { timeout: 600_000 }, async () => {
  await equivalence({ kind: 'finetune', imageSet: 'train', learningRate: 1e-3, weightDecay: 1e-4, totalSteps: 3, warmupSteps: 0, trainableBlocks: 2, encoderLrScale: 0.1 }, 'fine-tuning');
});

test('NT-Xent: negatives gathered from both ranks give 1 process × 16 pairs, within float rounding', { timeout: 600_000 }, async () => {
  await equivalence({ kind: 'pretrain', imageSet: 'train', learningRate: 1e-3, weightDecay: 1e-4, totalSteps: 3, warmupSteps: 0, temperature: 0.2 }, 'NT-Xent');
});

test('rendezvous: a rank with another token is refused, and a public address without --allow-public', { timeout: 300_000 }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'angio-ddp-'));
  const port = await freePort();
  const stage: StageSpec = { kind: 'pretrain', imageSet: 'train', learningRate: 1e-3, weightDecay: 0, totalSteps: 1, warmupSteps: 0 };
  const job = (rank: number, token: string, host = '127.0.0.1') => {
    const path = join(dir, `job${rank}-${host}.json`);
    writeFileSync(path, JSON.stringify({ config, stage, freezeBatchNorm: false, batches: [], weightsPath: join(dir, `w${rank}.f32`), distributed: { host, port, worldSize: 2, rank, token, timeoutMs: 60_000 } }));
    return path;
  };
  const [a, b] = await Promise.all([run([stepsEntry, job(0, TOKEN)]).done, run([stepsEntry, job(1, 'another-token-with-enough-chars')]).done]);
  for (const result of [a, b]) {
    assert.notEqual(result.code, 0);
    assert.equal((JSON.parse(result.stdout.trim()) as { error: { code: string } }).error.code, 'rendezvous-token-mismatch', result.stdout);
  }
  const publicHost = await run([stepsEntry, job(0, TOKEN, '8.8.8.8')]).done;
  assert.equal((JSON.parse(publicHost.stdout.trim()) as { error: { code: string } }).error.code, 'rendezvous-refused', publicHost.stdout);
  rmSync(dir, { recursive: true, force: true });
});

/** Hanley & McNeil's standard error of an AUC with the given class counts. */
function aucStandardError(auc: number, positives: number, negatives: number): number {
  const q1 = auc / (2 - auc);
  const q2 = (2 * auc * auc) / (1 + auc);
  return Math.sqrt((auc * (1 - auc) + (positives - 1) * (q1 - auc * auc) + (negatives - 1) * (q2 - auc * auc)) / (positives * negatives));
}

test('a short run on 2 local ranks (angio train --local-ranks 2) reaches the one-process validation AUC within noise', { timeout: 900_000 }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'angio-ddp-run-'));
  const source = padsdSource(sharedDataDir());
  const jobFile = (name: string) => {
    const path = join(dir, `${name}.json`);
    writeFileSync(path, JSON.stringify({ runDir: join(dir, name), config, source }));
    return path;
  };
  const single = await run([angioEntry, 'train', jobFile('single'), '--json']).done;
  assert.equal(single.code, 0, single.stderr);
  const local = await run([angioEntry, 'train', jobFile('local'), '--local-ranks', '2', '--json', '--timeout', '300']).done;
  assert.equal(local.code, 0, local.stderr);
  const one = JSON.parse(single.stdout) as { metrics: { valAuc: number; test: { prevalence: number } } };
  const two = JSON.parse(local.stdout) as { worldSize: number; rank: number; metrics: { valAuc: number } };
  assert.equal(two.worldSize, 2);
  assert.equal(two.rank, 0);
  // Noise: both AUCs are estimates on the same validation images; 3 standard errors of their difference.
  const labels = loadLabeledSplit(source.labeledRoot, 'val', preprocessingSpec(32)).labels as Int32Array;
  const positives = labels.reduce((n, l) => n + (l > 0 ? 1 : 0), 0);
  const negatives = labels.length - positives;
  const noise = 3 * Math.SQRT2 * aucStandardError(one.metrics.valAuc, positives, negatives);
  console.log(`validation AUC: 1 process ${one.metrics.valAuc.toFixed(4)}, 2 ranks ${two.metrics.valAuc.toFixed(4)}, noise bound ±${noise.toFixed(4)}`);
  assert.ok(Math.abs(two.metrics.valAuc - one.metrics.valAuc) <= noise, 'the 2-rank AUC differs from one process beyond noise');
  rmSync(dir, { recursive: true, force: true });
});

test('a killed rank stops the other with rank-lost; the run resumes from the checkpoint on another world size', { timeout: 900_000 }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'angio-ddp-kill-'));
  const runDir = join(dir, 'run');
  const jobPath = join(dir, 'job.json');
  writeFileSync(jobPath, JSON.stringify({ runDir, config, source: padsdSource(sharedDataDir()) }));
  const port = await freePort();
  const rank = (r: number) => run([angioEntry, 'train', jobPath, '--world-size', '2', '--rank', String(r), '--rendezvous', `127.0.0.1:${port}`, '--json', '--timeout', '300'], { ANGIO_RENDEZVOUS_TOKEN: TOKEN });
  const rank0 = rank(0);
  const rank1 = rank(1);
  // Kill rank 1 once rank 0 has written the first epoch's checkpoint: the next stage is under way.
  const checkpoint = join(runDir, RUN_FILES.checkpoint);
  while (!existsSync(checkpoint) && rank0.child.exitCode === null) await new Promise((r) => setTimeout(r, 100));
  assert.ok(existsSync(checkpoint), 'rank 0 wrote a checkpoint before the kill');
  rank1.child.kill('SIGKILL');
  const killed = await rank1.done;
  assert.equal(killed.signal, 'SIGKILL');
  const survivor = await rank0.done;
  assert.notEqual(survivor.code, 0, 'rank 0 must fail, not finish alone');
  const failure = JSON.parse(survivor.stderr.trim().split('\n').at(-1)!) as { code: string; message: string };
  assert.equal(failure.code, 'rank-lost', survivor.stderr);
  assert.ok(!existsSync(join(runDir, RUN_FILES.model)), 'the interrupted run had not finished');
  // Any world size resumes: the checkpoint holds the whole state and the global batch order does not depend on it.
  const resumed = await run([angioEntry, 'train', jobPath, '--resume', '--json']).done;
  assert.equal(resumed.code, 0, resumed.stderr);
  const result = JSON.parse(resumed.stdout) as { status: string; history: { stage: string }[]; metrics: { valAuc: number } };
  assert.equal(result.status, 'completed');
  assert.equal(result.history[0]?.stage, 'pretrain', 'the pretraining epoch done before the kill is kept, not repeated');
  assert.ok(existsSync(join(runDir, RUN_FILES.model)));
  rmSync(dir, { recursive: true, force: true });
});
