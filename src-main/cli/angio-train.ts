// `angio train <job.json>`: one training run without a window, alone, as one rank of a data-parallel run on
// several machines (--world-size/--rank/--rendezvous), or as N local ranks this command starts (--local-ranks).
// The job file is what the app's training worker runs: { runDir, config, source } (training/run-job.ts).
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { AppError } from '../ipc/index.ts';
import type { DistributedSpec, RunJob } from '../training/index.ts';
import { commandArgs, printResult, UsageError } from './angio-output.ts';

export const TOKEN_VARIABLE = 'ANGIO_RENDEZVOUS_TOKEN';

const OPTIONS = {
  'world-size': { type: 'string' },
  rank: { type: 'string' },
  rendezvous: { type: 'string' },
  bind: { type: 'string' },
  token: { type: 'string' },
  'allow-public': { type: 'boolean', default: false },
  'local-ranks': { type: 'string' },
  timeout: { type: 'string' },
  resume: { type: 'boolean', default: false },
} as const;

function count(value: string | undefined, name: string, min: number): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value) || Number(value) < min) throw new UsageError('invalid-arguments', `--${name} ${value} is not a whole number ≥ ${min}.`);
  return Number(value);
}

/** host:port, with IPv6 hosts in brackets ([::1]:29500). */
export function parseRendezvous(text: string): { host: string; port: number } {
  const match = /^(?:\[([^\]]+)\]|([^:\s]+)):(\d{1,5})$/.exec(text);
  const port = Number(match?.[3]);
  if (!match || port < 1 || port > 65535) throw new UsageError('invalid-rendezvous', `--rendezvous ${text} is not host:port (e.g. 10.0.0.5:29500).`);
  return { host: (match[1] ?? match[2]) as string, port };
}

function readJob(path: string, resume: boolean): RunJob {
  if (!existsSync(path)) throw new AppError('job-file-missing', `No job file at ${path}: give { "runDir", "config", "source" } as JSON.`);
  let job: RunJob;
  try {
    job = JSON.parse(readFileSync(path, 'utf8')) as RunJob;
  } catch (error) {
    throw new AppError('job-file-invalid', `${path} is not JSON: ${(error as Error).message}`);
  }
  if (typeof job.runDir !== 'string' || typeof job.config !== 'object' || typeof job.source !== 'object') {
    throw new AppError('job-file-invalid', `${path} needs "runDir" (a folder), "config" (the training settings) and "source" (the dataset folders).`);
  }
  return { ...job, runDir: resolve(dirname(path), job.runDir), resume: resume || job.resume === true };
}

async function freeLoopbackPort(): Promise<number> {
  return new Promise((done, fail) => {
    const server = createServer();
    server.on('error', fail);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => done(port));
    });
  });
}

/** Starts ranks 0..n−1 of this job on 127.0.0.1 with a fresh token; fails (and stops the others) when one fails. */
async function runLocalRanks(jobPath: string, ranks: number, args: { resume: boolean; json: boolean; timeout?: number }): Promise<void> {
  const port = await freeLoopbackPort();
  const token = randomBytes(24).toString('hex');
  const entry = resolve(dirname(fileURLToPath(import.meta.url)), 'angio.ts');
  const children = Array.from({ length: ranks }, (_, rank) =>
    spawn(process.execPath, [entry, 'train', jobPath, '--world-size', String(ranks), '--rank', String(rank), '--rendezvous', `127.0.0.1:${port}`,
      ...(args.resume ? ['--resume'] : []), ...(args.json ? ['--json'] : []), ...(args.timeout ? ['--timeout', String(args.timeout)] : [])],
    // The token travels in the environment, not the command line that `ps` shows.
    { stdio: ['ignore', rank === 0 ? 'inherit' : 'ignore', 'inherit'], env: { ...process.env, [TOKEN_VARIABLE]: token } }));
  const stopAll = () => children.forEach((child) => child.exitCode === null && child.kill('SIGTERM'));
  process.on('SIGINT', stopAll);
  process.on('SIGTERM', stopAll);
  const codes = await Promise.all(children.map((child) => new Promise<number>((done) => child.on('close', (code) => {
    if (code !== 0) stopAll();
    done(code ?? 1);
  }))));
  const failed = codes.find((code) => code !== 0);
  if (failed !== undefined) process.exitCode = failed;
}

export async function trainCommand(args: string[]): Promise<void> {
  const { values, positionals } = commandArgs('train', args, OPTIONS);
  if (positionals.length !== 1) throw new UsageError('job-missing', 'Name one job file. Run `angio train --help` for usage.');
  const jobPath = resolve(positionals[0]!);
  const localRanks = count(values['local-ranks'], 'local-ranks', 1);
  const worldSize = count(values['world-size'], 'world-size', 1);
  const timeout = count(values.timeout, 'timeout', 1);
  if (localRanks !== undefined) {
    if (worldSize !== undefined || values.rank !== undefined || values.rendezvous !== undefined) {
      throw new UsageError('invalid-arguments', '--local-ranks starts every rank itself: leave out --world-size, --rank and --rendezvous.');
    }
    readJob(jobPath, values.resume);
    await runLocalRanks(jobPath, localRanks, { resume: values.resume, json: values.json, timeout });
    return;
  }
  const job = readJob(jobPath, values.resume);
  if (worldSize !== undefined && worldSize > 1) {
    if (values.rank === undefined || values.rendezvous === undefined) {
      throw new UsageError('invalid-arguments', '--world-size needs --rank R (0 on the machine that hosts the rendezvous) and --rendezvous host:port.');
    }
    const token = values.token ?? process.env[TOKEN_VARIABLE];
    if (!token) throw new UsageError('token-missing', `Give every rank the same secret token: --token or the ${TOKEN_VARIABLE} environment variable (at least 16 characters).`);
    const distributed: DistributedSpec = {
      ...parseRendezvous(values.rendezvous),
      worldSize,
      rank: count(values.rank, 'rank', 0) as number,
      token,
      allowPublic: values['allow-public'],
      ...(values.bind ? { bindAddress: values.bind } : {}),
      ...(timeout ? { timeoutMs: timeout * 1000 } : {}),
    };
    job.distributed = distributed;
  }
  const { executeRun } = await import('../training/index.ts');
  const controller = new AbortController();
  process.on('SIGTERM', () => controller.abort());
  process.on('SIGINT', () => controller.abort());
  const rank = job.distributed?.rank ?? 0;
  const outcome = await executeRun(job, controller.signal, (p) => {
    if (p.kind === 'epoch' && !values.json) process.stderr.write(`rank ${rank}: ${p.stage} epoch ${p.epoch}/${p.epochs}\n`);
  });
  const document = { status: outcome.status, rank, worldSize: job.distributed?.worldSize ?? 1, history: outcome.history, metrics: outcome.metrics ?? null, files: outcome.files };
  const auc = outcome.metrics ? `, validation AUC ${outcome.metrics.valAuc.toFixed(3)}, test AUC ${outcome.metrics.testAuc.toFixed(3)}` : '';
  printResult(values.json, document, [`rank ${rank} of ${document.worldSize}: ${outcome.status}${auc}`, ...Object.entries(outcome.files).map(([name, path]) => `${name}: ${path}`)]);
}
