// The worker side: a job module calls serveWorkerJob(body) once; it waits for `start`, runs the body with a progress
// reporter and an AbortSignal, and answers one result or error. Works in an Electron utility process
// (process.parentPort) and in a Node child process (process.send) alike.
import { toIpcError } from '../ipc/index.ts';
import type { FromWorker, ToWorker } from './worker-protocol.ts';

export interface WorkerJobContext {
  readonly signal: AbortSignal;
  progress(stage: string, done: number, total: number, message?: string): void;
}

interface Channel {
  post(message: FromWorker): void;
  listen(listener: (message: ToWorker) => void): void;
}

function parentChannel(): Channel {
  const parentPort = (process as unknown as { parentPort?: { postMessage(m: unknown): void; on(e: 'message', l: (e: { data: unknown }) => void): void } }).parentPort;
  if (parentPort) {
    return { post: (message) => parentPort.postMessage(message), listen: (listener) => parentPort.on('message', (event) => listener(event.data as ToWorker)) };
  }
  if (process.send) {
    return { post: (message) => void process.send?.(message), listen: (listener) => void process.on('message', (message) => listener(message as ToWorker)) };
  }
  throw new Error('serveWorkerJob must run in a worker process started by the worker host');
}

export function serveWorkerJob<Input, Output>(body: (input: Input, job: WorkerJobContext) => Promise<Output> | Output): void {
  const channel = parentChannel();
  const controller = new AbortController();
  let started = false;
  channel.listen((message) => {
    if (message.type === 'cancel') return controller.abort();
    if (message.type !== 'start' || started) return;
    started = true;
    const job: WorkerJobContext = { signal: controller.signal, progress: (stage, done, total, text) => channel.post({ type: 'progress', stage, done, total, message: text }) };
    Promise.resolve()
      .then(() => body(message.input as Input, job))
      .then(
        (value) => channel.post({ type: 'result', value }),
        (error: unknown) => channel.post({ type: 'error', error: toIpcError(error) }),
      );
  });
}
