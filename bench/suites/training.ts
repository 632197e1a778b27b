// Training-speed bench: the engine's SimCLR step (MobileNetV2 + projection head + NT-Xent + AdamW, batch 32 → 64
// views, 2 threads) against PyTorch eager on the identical model and batch (bench/peers/simclr_step.py), at 64²,
// 128² and 256². Each side runs in its own process, alternating, so load on the machine hits both alike; peak RSS
// is per process. PyTorch is measured in its default NCHW layout (plain eager) and in channels_last (the layout the
// engine uses); the engine's targets are ≥ 1× the faster of the two at every size, ≥ 1.5× plain eager at 64², and a
// peak RSS no larger than the smaller of PyTorch's.
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
  const sizes = options.smoke ? [64] : [64, 128, 256];
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
    const rates = (name: string) => results[name]?.map((r) => median(r.imagesPerSecond)) ?? [];
    const peaks = (name: string) => results[name]?.map((r) => r.peakRssBytes) ?? [];
    const note = 'engine images/s ÷ peer images/s per alternated repeat, batch 32 (64 views), 2 threads';
    for (const peer of ['pytorch-eager', 'pytorch-eager-channels-last']) {
      figures.push({
        name: `training.simclr-step.${size}px.speedup-vs-${peer}`,
        unit: 'ratio',
        values: rates('engine').map((ours, r) => ours / (rates(peer)[r] as number)),
        target: peer === 'pytorch-eager' ? (size === 64 ? 1.5 : 1.2) : undefined,
        note,
      });
    }
    // The faster PyTorch configuration by median rate; each repeat's ratio is against that configuration's repeat.
    const fastest = median(rates('pytorch-eager')) >= median(rates('pytorch-eager-channels-last')) ? 'pytorch-eager' : 'pytorch-eager-channels-last';
    figures.push({
      name: `training.simclr-step.${size}px.speedup-vs-pytorch-fastest`,
      unit: 'ratio',
      values: rates('engine').map((ours, r) => ours / (rates(fastest)[r] as number)),
      target: 1,
      note: `${note}; fastest PyTorch here: ${fastest}`,
    });
    figures.push({
      name: `training.simclr-step.${size}px.peak-rss-vs-pytorch`,
      unit: 'ratio',
      values: peaks('engine').map((ours, r) => ours / Math.min(peaks('pytorch-eager')[r] as number, peaks('pytorch-eager-channels-last')[r] as number)),
      target: 1,
      higherIsBetter: false,
      note: 'engine peak RSS ÷ the smaller peak RSS of the two PyTorch configurations, per repeat',
    });
  }
  return figures;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const smoke = process.argv.includes('--smoke');
  console.log(JSON.stringify(await trainingSuite({ repeats: 3, smoke }), null, 1));
}
