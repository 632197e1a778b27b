// Messages between the app and a job's worker process (structured-clone values, one job per process):
// app → worker: start, then maybe cancel; worker → app: progress…, then exactly one result or error.
import type { IpcError } from '../../src-preload/contract-base.ts';

export type ToWorker = { type: 'start'; input: unknown } | { type: 'cancel' };

export type FromWorker =
  | { type: 'progress'; stage: string; done: number; total: number; message?: string }
  | { type: 'result'; value: unknown }
  | { type: 'error'; error: IpcError };

/** A started worker process, whatever launched it (Node's child_process.fork or Electron's utilityProcess). */
export interface WorkerProcess {
  readonly pid: number | undefined;
  postMessage(message: ToWorker): void;
  onMessage(listener: (message: FromWorker) => void): void;
  /** `code` null with a `signal` (POSIX) or a non-zero code (Windows, utility processes) means it died. */
  onExit(listener: (code: number | null, signal: string | null) => void): void;
  kill(): void;
}

/** Starts `entry` (a module that calls serveWorkerJob) as its own process; `name` shows in task managers. */
export type WorkerLauncher = (entry: string, name: string) => WorkerProcess;
