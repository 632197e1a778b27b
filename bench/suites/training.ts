// Training-speed bench: the engine's SimCLR step (MobileNetV2 + projection head + NT-Xent + AdamW, batch 32 → 64
// views, 2 threads) against PyTorch eager on the identical model and batch (bench/peers/simclr_step.py), at 64²
// and 128². Each side runs in its own process, alternating, so load on the machine hits both alike; peak RSS is
// per process. PyTorch is measured in its default NCHW layout (plain eager) and in channels_last (the layout the
// engine uses), so the report shows how much of the gap is layout.
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DEBIAN_PYTHON } from '../../src-main/testing/python-oracle.ts';
import { median, type Figure, type SuiteOptions } from '../types.ts';

interface StepRun {
  imagesPerSecond: number[];
  peakRssBytes: number;
}

const here = dirname(fileURLToPath(import.meta.url));
const BATCH = 32;
const THREADS = 2;

function run(command: string, args: string[]): StepRun {
  const child = spawnSync(command, args, { encoding: 'utf8', timeout: 1_800_000, env: { ...process.env, OMP_NUM_THREADS: String(THREADS) } });
  if (child.status !== 0) throw new Error(`${command} ${args.join(' ')} failed: ${child.stderr.slice(-2000)}`);
  return JSON.parse(child.stdout.trim().split('\n').at(-1) as string) as StepRun;
}

export async function trainingSuite(options: SuiteOptions): Promise<Figure[]> {
  const sizes = options.smoke ? [64] : [64, 128];
  const steps = options.smoke ? 2 : 4;
  const repeats = Math.max(1, options.smoke ? 1 : options.repeats);
  const figures: Figure[] = [];
  for (const size of sizes) {
    const sides = {
      engine: () => run(process.execPath, [join(here, 'training-step.ts'), String(size), String(BATCH), String(steps), String(THREADS)]),
      'pytorch-eager': () => run(DEBIAN_PYTHON, [join(here, '..', 'peers', 'simclr_step.py'), String(size), String(BATCH), String(steps), String(THREADS), 'nchw']),
      'pytorch-eager-channels-last': () => run(DEBIAN_PYTHON, [join(here, '..', 'peers', 'simclr_step.py'), String(size), String(BATCH), String(steps), String(THREADS), 'nhwc']),
    };
    const results: Record<string, StepRun[]> = { engine: [], 'pytorch-eager': [], 'pytorch-eager-channels-last': [] };
    for (let r = 0; r < repeats; r++) {
      for (const [name, measure] of Object.entries(sides)) {
        const measured = measure();
        results[name]?.push(measured);
        console.error(`training bench ${size}px ${name}: ${median(measured.imagesPerSecond).toFixed(1)} images/s, peak RSS ${(measured.peakRssBytes / 2 ** 20).toFixed(0)} MiB`);
      }
    }
    for (const [name, runs] of Object.entries(results)) {
      // One value per process: the median of its timed steps (robust to a single descheduled step).
      figures.push({ name: `training.simclr-step.${size}px.${name}.images-per-second`, unit: 'images/s', values: runs.map((r) => median(r.imagesPerSecond)) });
      figures.push({ name: `training.simclr-step.${size}px.${name}.peak-rss`, unit: 'MiB', values: runs.map((r) => r.peakRssBytes / 2 ** 20), higherIsBetter: false });
    }
    const ours = median(figures.find((f) => f.name === `training.simclr-step.${size}px.engine.images-per-second`)?.values ?? [0]);
    for (const peer of ['pytorch-eager', 'pytorch-eager-channels-last']) {
      const theirs = median(figures.find((f) => f.name === `training.simclr-step.${size}px.${peer}.images-per-second`)?.values ?? [1]);
      figures.push({
        name: `training.simclr-step.${size}px.speedup-vs-${peer}`,
        unit: 'ratio',
        values: [ours / theirs],
        target: peer === 'pytorch-eager' ? 1.2 : undefined,
        note: 'median engine images/s ÷ median peer images/s, batch 32 (64 views), 2 threads, processes alternated',
      });
    }
  }
  return figures;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const smoke = process.argv.includes('--smoke');
  console.log(JSON.stringify(await trainingSuite({ repeats: 3, smoke }), null, 1));
}
