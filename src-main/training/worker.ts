// Entry of one training job, off main's event loop: a worker thread (workerData holds the job) or, for
// reproducible runs, a worker process started with the pinned environment, a Node child process or an Electron
// utility process (the job arrives as a 'start' message).
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

/** Electron's side of a utility process: messages arrive wrapped in an event's `data`. */
type UtilityParentPort = { postMessage(message: unknown): void; on(event: 'message', listener: (event: { data: unknown }) => void): void };

function channel(): Channel {
  const port = parentPort;
  const utilityPort = (process as { parentPort?: UtilityParentPort }).parentPort;
  if (port) return { post: (m, then) => (port.postMessage(m), then?.()), listen: (l) => void port.on('message', l), close: () => port.close() };
  // The host ends a utility process after its last message (it does not exit by itself), so close does nothing.
  if (utilityPort) return { post: (m, then) => (utilityPort.postMessage(m), then?.()), listen: (l) => utilityPort.on('message', (e) => l(e.data as ToTrainer)), close: () => undefined };
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
  throw new Error('training/worker.ts must run as a worker thread, a forked child process or a utility process');
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
