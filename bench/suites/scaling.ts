// Data-parallel scaling on this machine: SimCLR (MobileNetV2, 64², global batch 32) as 1 process × 2 threads
// against 2 ranks × 1 thread over Gloo on 127.0.0.1, with each rank's gradient all-reduce time per step. Every
// configuration runs in its own processes (scaling-rank.ts), so thread pools and libtorch state are their own.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { DistributedSpec } from '../../src-main/training/engine.ts';
import type { Figure, Suite } from '../types.ts';

const entry = join(dirname(fileURLToPath(import.meta.url)), 'scaling-rank.ts');

interface RankResult { blockSeconds: number[]; allReduceSecondsPerStep: number; allGatherSecondsPerStep: number; bytesPerStep: number; buckets: number }

function runRank(job: object): Promise<RankResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [entry, JSON.stringify(job)], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (chunk) => (out += chunk));
    child.on('close', (code) => (code === 0 ? resolve(JSON.parse(out.trim().split('\n').at(-1)!) as RankResult) : reject(new Error(`scaling rank exited ${code}: ${out}`))));
  });
}

async function freePort(): Promise<number> {
  return new Promise((done) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => done(port));
    });
  });
}

export const scalingSuite: Suite = async ({ repeats, smoke }) => {
  const size = smoke ? 32 : 64;
  const globalBatch = smoke ? 8 : 32;
  const stepsPerBlock = smoke ? 1 : 5;
  const base = { size, globalBatch, stepsPerBlock, blocks: repeats };
  const alone = await runRank({ ...base, threads: 2 });
  const port = await freePort();
  const token = randomBytes(16).toString('hex');
  const ranks = await Promise.all([0, 1].map((rank) => {
    const distributed: DistributedSpec = { host: '127.0.0.1', port, worldSize: 2, rank, token, timeoutMs: 600_000 };
    return runRank({ ...base, threads: 1, distributed });
  }));
  const rank0 = ranks[0]!;
  const imagesPerBlock = 2 * globalBatch * stepsPerBlock;  // two SimCLR views per image
  const aloneRate = alone.blockSeconds.map((s) => imagesPerBlock / s);
  // The group's rate is set by its slower rank: a step ends when the all-reduce does, on both.
  const groupRate = rank0.blockSeconds.map((s, i) => imagesPerBlock / Math.max(s, ranks[1]!.blockSeconds[i]!));
  const label = `SimCLR MobileNetV2 ${size}², global batch ${globalBatch}`;
  const figures: Figure[] = [
    { name: `${label}: 1 rank × 2 threads`, unit: 'images/s', values: aloneRate },
    { name: `${label}: 2 ranks × 1 thread (Gloo, loopback)`, unit: 'images/s', values: groupRate },
    { name: `${label}: 2 ranks ÷ 1 rank`, unit: 'ratio', values: groupRate.map((r, i) => r / aloneRate[i]!), note: 'both use the same 2 cores' },
    {
      name: `${label}: gradient all-reduce per step (rank 0)`, unit: 'ms', values: [rank0.allReduceSecondsPerStep * 1000], higherIsBetter: false,
      note: `${(rank0.bytesPerStep / 2 ** 20).toFixed(1)} MiB of float32 gradients in ${rank0.buckets} bucket(s); includes waiting for the slower rank`,
    },
    { name: `${label}: NT-Xent embedding all-gather per step (rank 0)`, unit: 'ms', values: [rank0.allGatherSecondsPerStep * 1000], higherIsBetter: false },
  ];
  return figures;
};
