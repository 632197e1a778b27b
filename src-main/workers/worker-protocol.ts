// Messages between the app and a job's worker process (structured-clone values, one job per process):
// app → worker: start, then maybe cancel; worker → app: progress…, then exactly one result or error.
import type { IpcError } from '../../src-preload/contract-base.ts';

export type ToWorker = { type: 'start'; input: unknown } | { type: 'cancel' };

export type FromWorker =
  | { type: 'progress'; stage: string; done: number; total: number; message?: string }
  | { type: 'result'; value: unknown }
  | { type: 'error'; error: IpcError };

/**
 * A started worker process, whatever launched it (Node's child_process.fork or Electron's utilityProcess). The
 * messages default to the worker-job protocol above; a worker with a protocol of its own (training) names it.
 */
export interface WorkerProcess<In = ToWorker, Out = FromWorker> {
  readonly pid: number | undefined;
  postMessage(message: In): void;
  onMessage(listener: (message: Out) => void): void;
  /** `code` null with a `signal` (POSIX) or a non-zero code (Windows, utility processes) means it died. */
  onExit(listener: (code: number | null, signal: string | null) => void): void;
  kill(): void;
}

/**
 * Starts `entry` (a module that calls serveWorkerJob) as its own process; `name` shows in task managers. `env` is
 * added to the inherited environment: what must be set before the process loads a library (the kernel pins).
 */
export type WorkerLauncher = <In = ToWorker, Out = FromWorker>(entry: string, name: string, env?: Record<string, string>) => WorkerProcess<In, Out>;
