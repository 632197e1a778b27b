// A run with `processes` > 1 from the app: N worker processes on this machine, one data-parallel rank each, on
// loopback with a fresh token. To the training service it looks like one worker: rank 0's progress and result are
// the run's, the first failure of any rank is the run's failure, and cancel reaches every rank.
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:net';
import type { WorkerLauncher } from '../workers/index.ts';
import type { RunJob } from './run-job.ts';
import type { ToTrainer, WorkerMessage } from './worker.ts';

type Listener = (...args: never[]) => void;

export interface LocalRanks {
  postMessage(message: ToTrainer): void;
  on(event: 'message' | 'error' | 'exit', listener: Listener): void;
  stop(): void;
}

function freeLoopbackPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

export function startLocalRanks(job: RunJob, processes: number, launch: WorkerLauncher, entry: string, env?: Record<string, string>): LocalRanks {
  const listeners: Record<string, Listener[]> = { message: [], error: [], exit: [] };
  const emit = (event: string, ...args: unknown[]) => listeners[event]?.forEach((listener) => (listener as (...a: unknown[]) => void)(...args));
  let ranks: { postMessage(message: ToTrainer): void; kill(): void }[] = [];
  let cancelled = false;
  let stopped = false;
  let failed = false;
  const failOnce = (message: WorkerMessage) => {
    if (failed) return;
    failed = true;
    emit('message', message);
  };
  void freeLoopbackPort().then((port) => {
    if (stopped) return;
    const token = randomBytes(24).toString('hex');
    ranks = Array.from({ length: processes }, (_, rank) => {
      const child = launch<ToTrainer, WorkerMessage>(entry, `angio-training-rank-${rank}`, env);
      child.postMessage({ type: 'start', job: { ...job, distributed: { host: '127.0.0.1', port, worldSize: processes, rank, token } } });
      child.onMessage((message) => {
        if (message.type === 'error') failOnce(message);
        else if (rank === 0) emit('message', message);
      });
      child.onExit((code) => {
        // A rank that ends before rank 0's result has failed the run; the others stop with rank-lost.
        if (!stopped && rank !== 0 && code !== 0) failOnce({ type: 'error', error: { code: 'rank-lost', message: `Training rank ${rank} stopped (exit ${code}): resume the run from its last checkpoint.` } });
        if (rank === 0) emit('exit', code);
      });
      return child;
    });
    if (cancelled) ranks.forEach((child) => child.postMessage({ type: 'cancel' }));
  }, (error: Error) => emit('error', error));
  return {
    postMessage: (message) => {
      if (message.type === 'cancel') cancelled = true;
      ranks.forEach((child) => child.postMessage(message));
    },
    on: (event, listener) => void listeners[event]?.push(listener),
    stop: () => {
      stopped = true;
      ranks.forEach((child) => child.kill());
    },
  };
}
