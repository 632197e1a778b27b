// Running jobs in worker threads, forked processes or Electron utility processes, under one protocol.
// Only what other folders use is exported here.
export { forkLauncher } from './fork-launcher.ts';
export { requireWorkerEntry, workerEntry } from './worker-entry.ts';
export type { WorkerLauncher } from './worker-protocol.ts';
