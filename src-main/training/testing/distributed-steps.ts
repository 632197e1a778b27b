// A few training steps on the real P-ADSD train split, alone or as one rank of a data-parallel group: what the
// two-rank equivalence test compares. Run as a process (`node distributed-steps.ts job.json`) for a rank, or
// called in the test's own process for the one-process reference. Prints {losses} and writes the weights.
import { readFileSync, writeFileSync } from 'node:fs';
import { sharedDataDir } from '../../app/paths.ts';
import { parseTrainingConfig, type TrainingConfigInput } from '../config.ts';
import { loadEngine, sessionSpecFor, type DistributedSpec, type StageSpec } from '../engine.ts';
import { preprocessingSpec } from '../../preprocessing/index.ts';
import { loadLabeledSplit } from '../dataset.ts';
import { readTrainingClassList } from '../training-classes.ts';
import { padsdSource } from '../training-data.ts';

export interface StepsJob {
  config: TrainingConfigInput;
  freezeBatchNorm: boolean;
  stage: StageSpec;
  /** Global batches of train-split indices; a rank steps on its slice of each. */
  batches: number[][];
  distributed?: DistributedSpec;
  /** Where the weights (every parameter, then every buffer, float32 in session.parameters order) go. */
  weightsPath: string;
}

export async function runSteps(job: StepsJob): Promise<{ losses: number[]; initial: Float32Array; final: Float32Array }> {
  const config = parseTrainingConfig(job.config);
  const preprocessing = preprocessingSpec(config.imageSize);
  const root = padsdSource(sharedDataDir()).labeledRoot;
  const train = loadLabeledSplit(root, 'train', preprocessing, readTrainingClassList(root));
  const spec = sessionSpecFor(config, preprocessing);
  const session = new (loadEngine().TrainingSession)({ ...spec, model: { ...spec.model, dropout: 0 }, freezeBatchNorm: job.freezeBatchNorm });
  session.setImages('train', train.pixels, train.classes ?? train.labels, config.imageSize);
  if (job.distributed) await session.joinGroup(job.distributed);
  const flat = () => {
    const arrays = session.parameters(true).map((p) => p.values);
    const out = new Float32Array(arrays.reduce((n, a) => n + a.length, 0));
    let offset = 0;
    for (const a of arrays) {
      out.set(a, offset);
      offset += a.length;
    }
    return out;
  };
  const initial = flat();
  session.configureStage(job.stage);
  const rank = job.distributed?.rank ?? 0;
  const worldSize = job.distributed?.worldSize ?? 1;
  const losses: number[] = [];
  for (const batch of job.batches) {
    const perRank = batch.length / worldSize;
    losses.push((await session.step(Int32Array.from(batch.slice(rank * perRank, (rank + 1) * perRank)))).loss);
  }
  const final = flat();
  writeFileSync(job.weightsPath, Buffer.from(final.buffer));
  session.close();
  return { losses, initial, final };
}

if (import.meta.main) {
  const job = JSON.parse(readFileSync(process.argv[2] as string, 'utf8')) as StepsJob;
  try {
    const { losses } = await runSteps(job);
    console.log(JSON.stringify({ losses }));
  } catch (error) {
    const e = error as Error & { code?: string };
    console.log(JSON.stringify({ error: { code: e.code ?? 'internal', message: e.message } }));
    process.exitCode = 1;
  }
}
