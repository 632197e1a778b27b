// Worker-thread entry: runs one job off the main thread, streams progress, stops at the next step on 'cancel'.
import { parentPort, workerData } from 'node:worker_threads';
import { executeRun, type RunJob } from './run-job.ts';

export type WorkerMessage =
  | { type: 'progress'; progress: import('./driver.ts').TrainingProgress }
  | { type: 'result'; result: import('./driver.ts').TrainingResult }
  | { type: 'error'; error: { code: string; message: string } };

const port = parentPort;
if (!port) throw new Error('training/worker.ts must run as a worker thread');
const controller = new AbortController();
port.on('message', (message: { type: string }) => {
  if (message.type === 'cancel') controller.abort();
});
const post = (message: WorkerMessage) => port.postMessage(message);

executeRun(workerData as RunJob, controller.signal, (progress) => post({ type: 'progress', progress }))
  .then((result) => post({ type: 'result', result }))
  .catch((error: Error & { code?: string }) => post({ type: 'error', error: { code: error.code ?? 'internal', message: error.message } }))
  .finally(() => port.close());
