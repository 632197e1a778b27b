// The learning curve at a tiny size, as `node scripts/learning-curve.ts` runs it: one SimCLR encoder pretrained once,
// nested stratified label subsets, both arms and the qubit counts fine-tuned and scored; interrupted after its
// first finished run, then resumed without training the finished runs again; the quantum path ablated inside
// each SSL-Quantum run; its summary written into a Results page. The AUCs and the paired tests of the summary are
// recomputed by sklearn, numpy and scipy from the runs' own test scores, with DeLong written out the slow way
// (every positive against every negative).
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { projectRoot, sharedDataDir } from '../../app/paths.ts';
import { runPython } from '../../testing/python-oracle.ts';
import type { LearningCurveResults } from './curve-summary.ts';
import { RESULTS_BEGIN, RESULTS_END } from './curve-report.ts';

const SCRIPT = join(projectRoot(), 'scripts', 'learning-curve.ts');

const ORACLE = `
import json, sys
import numpy as np
from scipy.stats import norm
from sklearn.metrics import roc_auc_score
data = json.load(sys.stdin)
runs = {run_id: (np.array(r['labels']), np.array(r['scores'])) for run_id, r in data['runs'].items()}
def placements(y, s):
    pos, neg = s[y == 1], s[y == 0]
    kernel = (pos[:, None] > neg[None, :]) + 0.5 * (pos[:, None] == neg[None, :])
    return kernel.mean(axis=1), 1 - kernel.mean(axis=0)
out = {'auc': {run_id: float(roc_auc_score(y, s)) for run_id, (y, s) in runs.items()}, 'contrasts': []}
for c in data['contrasts']:
    ids = c['a'] + c['b']
    k = len(c['a'])
    w = np.array([1 / k] * k + [-1 / k] * k)
    y = runs[ids[0]][0]
    parts = [placements(y, runs[i][1]) for i in ids]
    v10 = np.array([p[0] for p in parts]); v01 = np.array([p[1] for p in parts])
    s10 = np.cov(v10) if len(ids) > 1 else np.var(v10, ddof=1); s01 = np.cov(v01)
    S = s10 / v10.shape[1] + s01 / v01.shape[1]
    diff = float(w @ np.array([roc_auc_score(y, runs[i][1]) for i in ids]))
    se = float(np.sqrt(w @ S @ w))
    per_seed = []
    for j in range(k):
        wj = np.zeros(2 * k); wj[j] = 1; wj[k + j] = -1
        sej = float(np.sqrt(wj @ S @ wj)); dj = float(wj @ np.array([roc_auc_score(y, runs[i][1]) for i in ids]))
        per_seed.append(float(2 * norm.sf(abs(dj / sej))) if sej > 0 else 1.0)
    out['contrasts'].append({'difference': diff, 'se': se, 'p': float(2 * norm.sf(abs(diff / se))) if se > 0 else 1.0, 'perSeedP': per_seed})
print(json.dumps(out))
`;

function writeConfigs(dir: string): string {
  writeFileSync(join(dir, 'tiny-experiment.json'), JSON.stringify({
    title: 'tiny',
    dataset: { labeledRoot: join(sharedDataDir(), 'p-adsd', 'labeled'), unlabeledDir: join(sharedDataDir(), 'p-adsd', 'unlabeled') },
    models: ['ssl-quantum', 'ssl-classical'],
    seeds: [3],
    training: {
      imageSize: 32, batchSize: 8, quantum: { qubits: 4, layers: 1 },
      pretrain: { epochs: 1, maxStepsPerEpoch: 2, warmupSteps: 1, unlabeledLimit: 32, knnNeighbours: 3 },
      finetune: { headEpochs: 1, epochs: 1, maxStepsPerEpoch: 2, trainableBlocks: 2, patience: 1 },
    },
  }));
  const path = join(dir, 'tiny-curve.json');
  writeFileSync(path, JSON.stringify({ title: 'tiny curve', experiment: 'tiny-experiment.json', labelCounts: [8, 16], seeds: [0, 1], qubitCounts: [2, 4], stepFloorLabels: 16, bootstrapReplicates: 300 }));
  return path;
}

const scoredFiles = (out: string) => (existsSync(join(out, 'runs')) ? readdirSync(join(out, 'runs')).map((id) => join(out, 'runs', id, 'scored.json')).filter(existsSync) : []);

/** Runs the script and interrupts it (SIGINT, as Ctrl-C) once its first run is scored. */
function runUntilFirstScored(args: string[], out: string): Promise<number | null> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [SCRIPT, ...args], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk) => (stderr += chunk));
    const poll = setInterval(() => {
      if (scoredFiles(out).length > 0) {
        clearInterval(poll);
        child.kill('SIGINT');
      }
    }, 100);
    child.on('error', reject);
    child.on('exit', (code) => {
      clearInterval(poll);
      if (code !== 1) reject(new Error(`expected the interrupted curve to stop with status 1, got ${code}: ${stderr.slice(-2000)}`));
      else resolve(code);
    });
  });
}

test('a tiny learning curve runs, resumes after an interruption, writes its Results block, and its paired tests match scipy', { timeout: 20 * 60_000 }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'angio-learning-curve-'));
  const out = join(dir, 'out');
  const config = writeConfigs(dir);
  const page = join(dir, 'results.md');
  writeFileSync(page, `# Results\n\nWritten by hand, kept.\n\n${RESULTS_BEGIN}\nan older curve\n${RESULTS_END}\n\n## After\n`);

  await runUntilFirstScored([config, '--out', out], out);
  const first = scoredFiles(out);
  assert.ok(first.length >= 1 && first.length < 10, `the interruption left ${first.length} finished runs`);
  const before = new Map(first.map((path) => [path, { mtime: statSync(path).mtimeMs, text: readFileSync(path, 'utf8') }]));

  const resumed = spawnSync(process.execPath, [SCRIPT, config, '--out', out, '--results', page], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  assert.equal(resumed.status, 0, `${resumed.stderr.slice(-3000)}\n${resumed.stdout.slice(-2000)}`);
  for (const [path, was] of before) {
    assert.equal(statSync(path).mtimeMs, was.mtime, `${path} was trained again after the resume`);
    assert.equal(readFileSync(path, 'utf8'), was.text);
  }
  assert.equal(readdirSync(join(out, 'pretrain')).filter((name) => name === 'model.pt').length, 1, 'one encoder, pretrained once');

  // The quantum path ablated inside every finished SSL-Quantum run, by the app's inference path.
  const ablate = spawnSync(process.execPath, [SCRIPT, config, '--out', out, '--so-far', '--ablate', '--results', page], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  assert.equal(ablate.status, 0, ablate.stderr.slice(-3000));
  assert.match(ablate.stdout, /ablated 6 SSL-Quantum runs/);
  for (const path of scoredFiles(out)) {
    const run = JSON.parse(readFileSync(path, 'utf8')) as { arm: string; testAuc: number; quantum?: { aucWithQuantum: number; alpha: number } };
    if (run.arm !== 'ssl-quantum') continue;
    assert.ok(run.quantum && Number.isFinite(run.quantum.alpha), `${path} has no ablation`);
    assert.ok(Math.abs(run.quantum.aucWithQuantum - run.testAuc) < 0.01, `inference-path AUC ${run.quantum.aucWithQuantum} vs the engine's ${run.testAuc}`);
  }

  const results = JSON.parse(readFileSync(join(out, 'learning-curve.json'), 'utf8')) as LearningCurveResults;
  // 2 label counts × 2 seeds × 2 arms, and SSL-Quantum with 2 qubits at 8 labels (4 qubits is the main arm).
  assert.equal(results.planned, 10);
  assert.equal(results.finished, 10);
  assert.deepEqual(results.comparisons.map((c) => [c.labels, c.seeds]), [[8, [0, 1]], [16, [0, 1]]]);
  assert.deepEqual(results.qubits?.points.map((p) => p.arm), ['SSL-Quantum (2 qubits)', 'SSL-Quantum (4 qubits)', 'SSL (no quantum)']);
  assert.ok(results.qubits?.chosenByValidation === 2 || results.qubits?.chosenByValidation === 4);
  assert.deepEqual(results.points.filter((p) => p.labels === 8).map((p) => p.epochScale), [2, 2], 'below the step floor the epochs repeat');

  // Label subsets: stratified, nested, drawn from labelled/train, and a different draw per seed.
  const subsets = JSON.parse(readFileSync(join(out, 'label-subsets.json'), 'utf8')) as Record<string, Record<string, string[]>>;
  for (const seed of ['0', '1']) {
    const small = subsets[seed]!['8']!;
    const large = subsets[seed]!['16']!;
    assert.ok(small.every((file) => large.includes(file)), 'the 8 lie inside the 16');
    for (const set of [small, large]) {
      assert.ok(set.every((file) => file.startsWith('train/')));
      assert.equal(set.filter((file) => file.startsWith('train/positive/')).length, set.length / 2, 'as balanced as labelled/train');
    }
  }
  assert.notDeepEqual(subsets['0']!['16'], subsets['1']!['16']);

  // The oracle recomputes every AUC and paired test from the per-image scores the runs wrote.
  const runs = Object.fromEntries(scoredFiles(out).map((path) => {
    const run = JSON.parse(readFileSync(path, 'utf8')) as { id: string; testAuc: number; predictions: { label: number; score: number; id: string }[] };
    return [run.id, { labels: run.predictions.map((p) => p.label), scores: run.predictions.map((p) => p.score), testAuc: run.testAuc, ids: run.predictions.map((p) => p.id) }];
  }));
  const idOf = (labels: number, seed: number, qubits: number | null) => `n${labels}-seed${seed}-${qubits === null ? 'ssl-classical' : `ssl-quantum-q${qubits}`}`;
  const contrasts = [...results.comparisons.map((c) => ({ c, q: 4, labels: c.labels })), ...results.qubits!.comparisons.map((c) => ({ c, q: Number(/\((\d+) qubits\)/.exec(c.modelA)![1]), labels: 8 }))];
  const oracle = runPython<{ auc: Record<string, number>; contrasts: { difference: number; se: number; p: number; perSeedP: number[] }[] }>(ORACLE, {
    runs,
    contrasts: contrasts.map(({ c, q, labels }) => ({ a: c.seeds.map((s) => idOf(labels, s, q)), b: c.seeds.map((s) => idOf(labels, s, null)) })),
  });
  for (const [id, run] of Object.entries(runs)) assert.ok(Math.abs(run.testAuc - oracle.auc[id]!) < 1e-9, `${id}: test AUC ${run.testAuc} vs sklearn ${oracle.auc[id]}`);
  contrasts.forEach(({ c }, i) => {
    const o = oracle.contrasts[i]!;
    assert.ok(Math.abs(c.meanDifference - o.difference) < 1e-9, `mean difference ${c.meanDifference} vs ${o.difference}`);
    assert.ok(Math.abs(c.deLong.standardError - o.se) < 1e-9, `pooled DeLong SE ${c.deLong.standardError} vs ${o.se}`);
    assert.ok(Math.abs(c.deLong.pValue - o.p) < 1e-6, `pooled DeLong p ${c.deLong.pValue} vs scipy ${o.p}`);
    c.perSeed.forEach((s, j) => assert.ok(Math.abs(s.pValue - o.perSeedP[j]!) < 1e-6, `seed ${s.seed}: DeLong p ${s.pValue} vs scipy ${o.perSeedP[j]}`));
    assert.ok(c.bootstrapDifference.low <= c.meanDifference + 1e-12 && c.meanDifference - 1e-12 <= c.bootstrapDifference.high, 'the paired bootstrap interval holds its estimate');
  });
  for (const point of results.points) {
    const mean = point.seeds.reduce((s, seed) => s + oracle.auc[idOf(point.labels, seed, point.qubits)]!, 0) / point.seeds.length;
    assert.ok(Math.abs(point.meanTestAuc - mean) < 1e-9);
  }

  // The Results page: the block replaced in place, everything around it kept, the figure beside it.
  const written = readFileSync(page, 'utf8');
  assert.match(written, /Written by hand, kept\./);
  assert.match(written, /## After/);
  assert.doesNotMatch(written, /an older curve/);
  assert.equal(written.split(RESULTS_BEGIN).length, 2, 'one block');
  assert.match(written, /\| 8 \| 2 \| 0\.\d{3} ± 0\.\d{3} \(/);
  assert.match(written, /\| 8 \| SSL-Quantum \(2 qubits\) \| 2 \| /, 'the ablation table');
  assert.match(written, /!\[Learning curve\]\(results-learning-curve\/fig-learning-curve\.png\)/);
  assert.ok(statSync(join(dir, 'results-learning-curve', 'fig-learning-curve.png')).size > 5000);
  rmSync(dir, { recursive: true });
});
