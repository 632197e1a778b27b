// Child process for the scaling bench: one rank (or the only process) doing SimCLR steps on a fixed random batch
// with MobileNetV2, as training-step.ts does alone. Usage: node scaling-rank.ts JOB_JSON → one JSON line with the
// seconds of each timed block of steps and, for a rank, the gradient all-reduce and embedding all-gather times.
import { loadEngine, type DistributedSpec } from '../../src-main/training/engine.ts';
import { seededRandom } from '../../src-main/training/sampler.ts';

interface Job { size: number; globalBatch: number; threads: number; stepsPerBlock: number; blocks: number; distributed?: DistributedSpec }
const job = JSON.parse(process.argv[2] as string) as Job;
const worldSize = job.distributed?.worldSize ?? 1;
const batch = job.globalBatch / worldSize;
const { size } = job;
const session = new (loadEngine().TrainingSession)({ model: { encoder: 'mobilenet_v2', quantumFusion: false }, imageSize: size, seed: 0, threads: job.threads, deterministic: true });
session.setImages('bench', new Uint8Array(batch * size * size), null, size);
if (job.distributed) await session.joinGroup(job.distributed);
session.configureStage({ kind: 'pretrain', imageSet: 'bench', learningRate: 1e-3, weightDecay: 1e-4, totalSteps: 1000, warmupSteps: 0, temperature: 0.2 });
const random = seededRandom(1 + (job.distributed?.rank ?? 0));
const views = Float32Array.from({ length: 2 * batch * size * size }, () => Math.sqrt(-2 * Math.log(random() + 1e-12)) * Math.cos(2 * Math.PI * random()));
for (let i = 0; i < 2; i++) await session.stepOnViews(views, batch, null);
const before = job.distributed ? session.groupStats() : null;
const blockSeconds: number[] = [];
for (let b = 0; b < job.blocks; b++) {
  const start = performance.now();
  for (let i = 0; i < job.stepsPerBlock; i++) await session.stepOnViews(views, batch, null);
  blockSeconds.push((performance.now() - start) / 1000);
}
const after = job.distributed ? session.groupStats() : null;
const steps = job.blocks * job.stepsPerBlock;
console.log(JSON.stringify({
  blockSeconds,
  allReduceSecondsPerStep: before && after ? (after.allReduceSeconds - before.allReduceSeconds) / steps : 0,
  allGatherSecondsPerStep: before && after ? (after.allGatherSeconds - before.allGatherSeconds) / steps : 0,
  bytesPerStep: after?.bytesPerStep ?? 0,
  buckets: after?.buckets ?? 0,
}));
session.close();
