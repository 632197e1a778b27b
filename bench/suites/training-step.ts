// Child process for the training bench: times the engine's SimCLR step (MobileNetV2 + projection head + NT-Xent +
// AdamW) on a fixed random batch, as bench/peers/simclr_step.py does for PyTorch, in its own process so its peak
// RSS is its own. Usage: node training-step.ts SIZE BATCH STEPS THREADS → one JSON line.
import { loadEngine } from '../../src-main/training/engine.ts';
import { seededRandom } from '../../src-main/training/sampler.ts';

const [size, batch, steps, threads] = process.argv.slice(2, 6).map(Number) as [number, number, number, number];
const engine = loadEngine();
const session = new engine.TrainingSession({ model: { encoder: 'mobilenet_v2', quantumFusion: false }, imageSize: size, seed: 0, threads, deterministic: true });
session.setImages('bench', new Uint8Array(batch * size * size), null, size);
session.configureStage({ kind: 'pretrain', imageSet: 'bench', learningRate: 1e-3, weightDecay: 1e-4, totalSteps: 1000, warmupSteps: 0, temperature: 0.2 });
const random = seededRandom(1);
const views = Float32Array.from({ length: 2 * batch * size * size }, () => Math.sqrt(-2 * Math.log(random() + 1e-12)) * Math.cos(2 * Math.PI * random()));
for (let i = 0; i < 2; i++) await session.stepOnViews(views, batch, null); // warm-up, as the peer does
const imagesPerSecond: number[] = [];
for (let i = 0; i < steps; i++) {
  const start = performance.now();
  await session.stepOnViews(views, batch, null);
  imagesPerSecond.push((2 * batch) / ((performance.now() - start) / 1000));
}
console.log(JSON.stringify({ imagesPerSecond, peakRssBytes: process.resourceUsage().maxRSS * 1024 }));
