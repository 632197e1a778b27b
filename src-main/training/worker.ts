// Entry of one training job, off main's event loop: a worker thread (workerData holds the job) or, for
// reproducible runs, a child process forked with the pinned environment (the job arrives as a 'start' message).
// Streams progress and stops at the next step on 'cancel'.
import { parentPort, workerData } from 'node:worker_threads';
import { executeRun, type RunJob, type RunOutcome } from './run-job.ts';

export type WorkerMessage =
  | { type: 'progress'; progress: import('./driver.ts').TrainingProgress }
  | { type: 'result'; result: RunOutcome }
  | { type: 'error'; error: { code: string; message: string } };

export type ToTrainer = { type: 'start'; job: RunJob } | { type: 'cancel' };

interface Channel {
  post(message: WorkerMessage, then?: () => void): void;
  listen(listener: (message: ToTrainer) => void): void;
  close(): void;
}

function channel(): Channel {
  const port = parentPort;
  if (port) return { post: (m, then) => (port.postMessage(m), then?.()), listen: (l) => void port.on('message', l), close: () => port.close() };
  if (process.send) {
    return {
      post: (m, then) => void process.send?.(m, undefined, {}, () => then?.()),
      listen: (l) => {
        process.on('message', (m) => l(m as ToTrainer));
        // The app went away: stop at the next step with a checkpoint instead of training on as an orphan.
        process.on('disconnect', () => l({ type: 'cancel' }));
      },
      close: () => void (process.connected && process.disconnect()),
    };
  }
  throw new Error('training/worker.ts must run as a worker thread or a forked child process');
}

const parent = channel();
const controller = new AbortController();
let started = false;
function run(job: RunJob): void {
  started = true;
  const finish = (message: WorkerMessage) => parent.post(message, () => parent.close());
  executeRun(job, controller.signal, (progress) => parent.post({ type: 'progress', progress }))
    .then((result) => finish({ type: 'result', result }))
    .catch((error: Error & { code?: string }) => finish({ type: 'error', error: { code: error.code ?? 'internal', message: error.message } }));
}
parent.listen((message) => {
  if (message.type === 'cancel') controller.abort();
  else if (message.type === 'start' && !started) run(message.job);
});
if (parentPort) run(workerData as RunJob);
