// The folder import as the Library shows it: choosing a folder (typed path, recent folders, folder browser, or a
// folder dropped from a file manager), starting and cancelling the job, and its progress and rejected files folded
// from the event stream (lib/import-progress.ts).
import { jobResult } from '../../../src-preload/contract.ts';
import type { AngioApi } from '../lib/api.ts';
import { foldImport, idleImport, type ImportEvent, type ImportProgressState } from '../lib/import-progress.ts';

export interface FolderListing {
  path: string;
  parent: string | null;
  folders: { name: string; path: string }[];
  files: number;
}

export class ImportStore {
  private readonly api: AngioApi;
  folder = $state('');
  datasetFrames = $state<'key' | 'all' | 'none'>('key');
  recent = $state<string[]>([]);
  browser = $state<FolderListing | null>(null);
  browserError = $state<string | null>(null);
  job = $state<ImportProgressState>(idleImport);
  /** Called after a job finishes so that the tree shows what arrived. */
  onFinished: (() => void) | null = null;
  private readonly unsubscribe: (() => void)[] = [];

  /** Events that arrive while the start request is still in flight, replayed once the job id is known. */
  private early: { jobId: string; event: ImportEvent }[] = [];

  constructor(api: AngioApi) {
    this.api = api;
    this.unsubscribe.push(
      this.api.on('job.progress', (e) => this.route(e.jobId, { type: 'progress', done: e.done, total: e.total, message: e.message })),
      this.api.on('ingest.fileRejected', (e) => this.route(e.jobId, { type: 'rejected', path: e.path, reason: e.reason, message: e.message })),
      this.api.on('job.finished', (e) => e.kind === 'import' && this.route(e.jobId, { type: 'finished', status: e.status, result: jobResult(e, 'import') ?? undefined, error: e.error })),
    );
  }

  private route(jobId: string, event: ImportEvent): void {
    if (this.job.status === 'starting') this.early.push({ jobId, event });
    else if (jobId === this.job.jobId) this.apply(event);
  }

  dispose(): void {
    for (const off of this.unsubscribe.splice(0)) off();
  }

  get running(): boolean {
    return this.job.status === 'running' || this.job.status === 'starting';
  }

  private apply(event: ImportEvent): void {
    this.job = foldImport(this.job, event);
    if (event.type === 'finished' && this.job.jobId) {
      void this.completeFromLog(this.job.jobId);
      // Only a folder that imported goes into Recent: a failed path offered again leads nowhere.
      const folder = this.folderToRemember;
      this.folderToRemember = null;
      if (event.status === 'succeeded' && folder) void this.remember(folder);
      this.onFinished?.();
      if (this.waitingFiles.length > 0) void this.importFiles([]);
    }
  }

  async loadRecent(): Promise<void> {
    const result = await this.api.invoke['viewer.folders.recent']({});
    if (result.ok) this.recent = result.value.folders;
  }

  async browse(path?: string): Promise<void> {
    const result = await this.api.invoke['viewer.folders.list'](path ? { path } : {});
    if (result.ok) {
      this.browser = result.value;
      this.browserError = null;
    } else {
      this.browserError = result.error.message;
    }
  }

  closeBrowser(): void {
    this.browser = null;
    this.browserError = null;
  }

  /** A folder dragged from a file manager arrives as a file:// URI (text/uri-list); anything else is refused kindly. */
  acceptDrop(uriList: string): boolean {
    const first = uriList.split(/\r?\n/).find((line) => line && !line.startsWith('#'));
    if (!first?.startsWith('file://')) return false;
    this.folder = decodeURIComponent(new URL(first).pathname);
    return true;
  }

  /** The folder of the job under way, added to Recent once it has imported. */
  private folderToRemember: string | null = null;

  async start(): Promise<void> {
    const folder = this.folder.trim();
    if (!folder || this.running) return;
    this.folderToRemember = folder;
    if (!(await this.begin(folder, () => this.api.invoke['ingest.importFolder']({ root: folder, datasetFrames: this.datasetFrames, reader: null })))) this.folderToRemember = null;
  }

  private async remember(folder: string): Promise<void> {
    const remembered = await this.api.invoke['viewer.folders.remember']({ path: folder });
    if (remembered.ok) this.recent = remembered.value.folders;
  }

  /** Files the system asked the app to open wait here while another import runs. */
  private waitingFiles: string[] = [];

  /** Imports files the system asked the app to open (.dcm double-clicked), after any import under way. */
  async importFiles(paths: readonly string[]): Promise<void> {
    this.waitingFiles.push(...paths.filter((path) => !this.waitingFiles.includes(path)));
    if (this.running || this.waitingFiles.length === 0) return;
    const files = this.waitingFiles.splice(0);
    const label = files.length === 1 ? files[0]! : `${files.length} files opened from the system`;
    await this.begin(label, () => this.api.invoke['ingest.importFiles']({ paths: files, datasetFrames: this.datasetFrames, reader: null }));
  }

  /** Runs a failed import again (its worker crashed, say): the new job resumes the folder where the old one stopped. */
  async restart(): Promise<void> {
    const { jobId, folder } = this.job;
    if (!jobId || this.running) return;
    await this.begin(folder ?? '', () => this.api.invoke['jobs.restart']({ jobId }));
  }

  /** Starts a job through `request`, replaying the events that raced ahead of its id. */
  private async begin(folder: string, request: () => Promise<{ ok: true; value: { jobId: string } } | { ok: false; error: { message: string; code?: string } }>): Promise<boolean> {
    this.job = { ...idleImport, status: 'starting', folder };
    const result = await request();
    if (!result.ok) {
      this.early = [];
      this.apply({ type: 'failedToStart', message: result.error.message, code: result.error.code });
      return false;
    }
    this.apply({ type: 'started', jobId: result.value.jobId, folder });
    const early = this.early.splice(0);
    for (const { jobId, event } of early) if (jobId === result.value.jobId) this.apply(event);
    return true;
  }

  async cancel(): Promise<void> {
    if (!this.job.jobId || this.job.status !== 'running') return;
    const result = await this.api.invoke['jobs.cancel']({ jobId: this.job.jobId });
    if (!result.ok) this.job = { ...this.job, error: result.error.message };
  }

  private async completeFromLog(jobId: string): Promise<void> {
    const result = await this.api.invoke['ingest.importLog']({ jobId, outcomes: ['rejected', 'unsupported'] });
    if (!result.ok || jobId !== this.job.jobId) return;
    const entries = result.value.entries.map((e) => ({ path: e.path, reason: e.reason ?? e.outcome, message: e.message ?? (e.outcome === 'unsupported' ? 'Not an image this app can show.' : '') }));
    this.apply({ type: 'log', entries });
  }
}
