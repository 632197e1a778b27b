// Everything a capability's services may depend on, built once per host (Electron, harness, CLI, tests).
// Services receive this (or a part of it) instead of importing singletons, so a test builds one on a temp folder.
import type { SystemInfo } from '../../src-preload/contract.ts';
import type { VaultKeyHolder } from '../deid/index.ts';
import { EventBus } from '../ipc/index.ts';
import { JobRunner } from '../jobs/index.ts';
import { openStore, type Store } from '../store/index.ts';
import { OpenRequests } from '../system/index.ts';
import { forkLauncher, type WorkerLauncher } from '../workers/index.ts';

export type LogLevel = 'info' | 'warn' | 'error';

export interface AppContext {
  appRoot: string;
  dataDir: string;
  sharedDataDir: string;
  host: SystemInfo['host'];
  startedAt: Date;
  store: Store;
  bus: EventBus;
  jobs: JobRunner;
  /** Files the operating system asked the app to open, until the renderer takes them. */
  openRequests: OpenRequests;
  /** Holds the vault key: the OS in Electron; absent, the ANGIO_VAULT_KEY_FILE key file (deid/vault-key-holder.ts). */
  vaultKeyHolder?: VaultKeyHolder;
  /** Starts a worker process: Electron's utilityProcess in the app, fork elsewhere (absent: no process can start). */
  launchProcess?: WorkerLauncher;
  log(level: LogLevel, message: string): void;
}

export interface AppContextOptions {
  appRoot: string;
  dataDir: string;
  sharedDataDir: string;
  host: SystemInfo['host'];
  vaultKeyHolder?: VaultKeyHolder;
  /** Defaults to fork outside Electron; inside it, fork cannot start Node (the RunAsNode fuse is off). */
  launchProcess?: WorkerLauncher;
  log?: (level: LogLevel, message: string) => void;
}

export function createAppContext(options: AppContextOptions): AppContext {
  const bus = new EventBus();
  return {
    ...options,
    launchProcess: options.launchProcess ?? (process.versions.electron ? undefined : forkLauncher),
    startedAt: new Date(),
    store: openStore(options.dataDir),
    bus,
    jobs: new JobRunner(bus),
    openRequests: new OpenRequests(bus),
    log: options.log ?? ((level, message) => (level === 'info' ? console.log : console.warn)(`[${level}] ${message}`)),
  };
}

/** Ends running jobs and closes the store; hosts call this on quit. */
export async function closeAppContext(ctx: AppContext): Promise<void> {
  await ctx.jobs.drain();
  ctx.store.close();
}
