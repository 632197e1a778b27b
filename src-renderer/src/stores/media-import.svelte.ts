// The media import dialog's state: the chosen folder or DICOMDIR, the folder browser, the scanned contents with the
// user's ticks, and the import job (progress, cancel, and the files that did not import).
import type { MediaContents, MediaInstance } from '../../../src-preload/channels/network.ts';
import type { AngioApi } from '../lib/api.ts';
import { allInstances, selectionRequest, toggleInstances } from '../lib/media-selection.ts';
import type { FolderListing } from './import.svelte.ts';
import { JobWatch } from './job-watch.svelte.ts';

export class MediaImportStore {
  private readonly api: AngioApi;

  open = $state(false);
  path = $state('');
  browser = $state.raw<FolderListing | null>(null);
  browserError = $state<string | null>(null);
  scanning = $state(false);
  scanError = $state<string | null>(null);
  contents = $state.raw<MediaContents | null>(null);
  /** Ticked instance keys; replaced (never mutated) so the tree redraws. */
  selected = $state.raw<ReadonlySet<string>>(new Set());
  expanded = $state<Record<string, boolean>>({});
  readonly job: JobWatch<'media.import'>;
  /** The path the contents were read from: the import uses it even if the field was edited since. */
  private scannedPath = '';

  constructor(api: AngioApi) {
    this.api = api;
    this.job = new JobWatch(api, 'media.import');
  }

  /** Called when an import ends, so the library shows what arrived. */
  set onImported(callback: () => void) {
    this.job.onFinished = () => callback();
  }

  show(): void {
    this.open = true;
  }

  async browse(path?: string): Promise<void> {
    const result = await this.api.invoke['viewer.folders.list'](path ? { path } : {});
    this.browser = result.ok ? result.value : null;
    this.browserError = result.ok ? null : `${result.error.message} Type the path of the disc or its DICOMDIR instead.`;
  }

  choose(path: string): void {
    this.path = path;
    this.browser = null;
  }

  async scan(): Promise<void> {
    const path = this.path.trim();
    if (!path || this.scanning || this.job.running) return;
    this.scanning = true;
    this.browser = null;
    const result = await this.api.invoke['media.scan']({ path });
    this.scanning = false;
    if (!result.ok) {
      this.scanError = result.error.message;
      this.contents = null;
      return;
    }
    this.scanError = null;
    this.scannedPath = path;
    this.contents = result.value;
    this.job.reset();
    this.selected = new Set(allInstances(result.value).map((i) => i.key));
    // Open the patients and studies so the series (what people pick) are in view at once.
    this.expanded = Object.fromEntries(result.value.patients.flatMap((p) => [[p.key, true], ...p.studies.map((s) => [s.key, true])]));
  }

  toggle(instances: readonly MediaInstance[]): void {
    this.selected = toggleInstances(instances, this.selected);
  }

  selectAll(on: boolean): void {
    this.selected = new Set(on && this.contents ? allInstances(this.contents).map((i) => i.key) : []);
  }

  isOpen(key: string): boolean {
    return this.expanded[key] ?? false;
  }

  flip(key: string): void {
    this.expanded[key] = !this.isOpen(key);
  }

  async startImport(): Promise<void> {
    if (!this.contents) return;
    const selection = selectionRequest(this.contents, this.selected);
    if (!selection) return;
    await this.job.start(() => this.api.invoke['media.import']({ path: this.scannedPath, selection }));
  }
}
