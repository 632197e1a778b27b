// The ingest capability's public service: import jobs, library listings, frame pixels and thumbnails, vault
// settings and re-identification (audited). Built from an AppContext-like set of dependencies.
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { decodePng } from '../png/index.ts';
import { AppError, type EventBus } from '../ipc/index.ts';
import type { JobRunner } from '../jobs/index.ts';
import { type DecodedFrame, decodeFrame, describeImage, type ImageDescription, IsolatedFrameDecoder, type ParsedDicom, readDicom } from '../dicom/index.ts';
import { DEID_OPTIONS_SETTING, type DeidOptions, parseDeidOptions, type PseudonymKey, type SealedOriginals, sourceId, type Vault, type VaultKeyHolder, withIds } from '../deid/index.ts';
import { BlobStore, type Store, writeAudit } from '../store/index.ts';
import { VaultAccess, type VaultStatus } from './vault-access.ts';
import { runFolderImport, type ImportProgress, type ImportResult } from './folder-import.ts';
import { runImportInWorker, type ImportOptions } from './import-in-worker.ts';
import { frameToGrey } from './render.ts';
import { downsample } from './thumbnail.ts';
import { dicomViewerFrame, patchViewerFrame, type ViewerFrame } from './viewer-frame.ts';
import * as library from './library-queries.ts';

export interface IngestDeps {
  store: Store;
  dataDir: string;
  bus?: EventBus;
  jobs?: JobRunner;
  /** How long a codec may spend on one frame of an imported file before the file is rejected (default 20 s). */
  decodeDeadlineMs?: number;
  /** Mark imports left 'running' as interrupted (the app's own service: true; an import worker: false, as other
   * imports may be running beside it). */
  markInterruptedImports?: boolean;
  /** Holds the key that unlocks the vault (Electron: the OS's safeStorage; default: the ANGIO_VAULT_KEY_FILE key file). */
  vaultKeyHolder?: VaultKeyHolder;
}

export const VAULT_SETTING = 'deid.vault';

/** The deepest folder that holds every one of `folders` (/ at worst). */
function commonFolder(folders: readonly string[]): string {
  const split = folders.map((folder) => folder.split(sep));
  const shared = split[0] ?? [];
  let depth = shared.length;
  for (const parts of split) while (depth > 0 && parts.slice(0, depth).join(sep) !== shared.slice(0, depth).join(sep)) depth--;
  return shared.slice(0, depth).join(sep) || sep;
}

export class IngestService {
  readonly blobs: BlobStore;
  private readonly deps: IngestDeps;
  private readonly vaultAccess: VaultAccess;
  private readonly parsedCache = new Map<number, { parsed: ParsedDicom; image: ImageDescription }>();
  /** Codecs meet untrusted files during import: they run in a replaceable thread with a deadline. */
  readonly importDecoder: IsolatedFrameDecoder;

  constructor(deps: IngestDeps) {
    this.deps = deps;
    this.importDecoder = new IsolatedFrameDecoder({ deadlineMs: deps.decodeDeadlineMs });
    this.blobs = new BlobStore(join(deps.dataDir, 'blobs'));
    // A job that was running when the app died is marked so; re-running its folder resumes it.
    if (deps.markInterruptedImports !== false) deps.store.db.prepare("UPDATE import_jobs SET status = 'interrupted' WHERE status = 'running'").run();
    this.vaultAccess = new VaultAccess({ store: deps.store, dataDir: deps.dataDir, holder: deps.vaultKeyHolder, keepsOriginals: () => this.vaultEnabled() });
  }

  private get store(): Store {
    return this.deps.store;
  }

  /** The data key, for an import worker of this process (safeStorage unlocks on the main thread only). */
  vaultDataKeyForWorker(): Uint8Array {
    return this.vaultAccess.keysForImport().dataKey;
  }

  /** Whether originals are kept, whether this host's key opens the vault, and the sentence to show when not. */
  vaultStatus(): VaultStatus {
    return this.vaultAccess.status();
  }

  /** The vault's originals for PACS exports; a typed error when the vault is off or locked. */
  vaultOriginals(): SealedOriginals {
    return this.vaultAccess.originals();
  }

  vaultEnabled(): boolean {
    const row = this.store.db.prepare('SELECT value FROM settings WHERE key = ?').get(VAULT_SETTING) as { value: string } | undefined;
    return row?.value !== 'off';
  }

  setVaultEnabled(enabled: boolean, reader: string | null): void {
    this.store.transaction(() => {
      this.store.db.prepare('INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value').run(VAULT_SETTING, enabled ? 'on' : 'off');
      writeAudit(this.store, { action: enabled ? 'vault.enable' : 'vault.disable', objectType: 'setting', objectId: VAULT_SETTING, reader });
    });
    if (!enabled) this.vaultAccess.forget();
  }

  /** The de-identification options this catalog applies to every import (PS3.15 E.3; default: options.ts). */
  deidOptions(): DeidOptions {
    const row = this.store.db.prepare('SELECT value FROM settings WHERE key = ?').get(DEID_OPTIONS_SETTING) as { value: string } | undefined;
    return parseDeidOptions(row?.value);
  }

  /** Changes the options for later imports (stored objects keep the codes they were written with); audited. */
  setDeidOptions(options: Partial<Omit<DeidOptions, 'cleanPixelData'>>, reader: string | null): DeidOptions {
    const next = parseDeidOptions(JSON.stringify({ ...this.deidOptions(), ...options }));
    this.store.transaction(() => {
      this.store.db.prepare('INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value').run(DEID_OPTIONS_SETTING, JSON.stringify(next));
      writeAudit(this.store, { action: 'deid.options', objectType: 'setting', objectId: DEID_OPTIONS_SETTING, reader, detail: next });
    });
    return next;
  }

  /** The open vault when originals are kept; a typed `vault-locked` error when its key is missing. */
  private currentVault(): Vault | null {
    return this.vaultAccess.current();
  }

  /** Runs an import in the caller's flow (tests, CLI); importFolder wraps this in a job. */
  runImport(jobId: string, options: ImportOptions, job: ImportProgress): Promise<ImportResult> {
    const key: PseudonymKey = this.vaultAccess.keysForImport().pseudonym;
    return runFolderImport(
      { store: this.store, blobs: this.blobs, vault: this.currentVault(), key, deidOptions: this.deidOptions(), decode: this.importDecoder.decode },
      jobId,
      { root: options.root, manifest: options.manifest, datasetFrames: options.datasetFrames ?? 'key', reader: options.reader ?? null, files: options.files },
      job,
    );
  }

  /** A folder import as a job whose body runs in a worker thread (import-in-worker.ts); restartable after a crash. */
  importFolder(options: ImportOptions): string {
    const { jobs, bus } = this.deps;
    if (!jobs) throw new AppError('jobs-unavailable', 'Import jobs need a job runner; this host has none.');
    const input = { dataDir: this.deps.dataDir, decodeDeadlineMs: this.deps.decodeDeadlineMs, options, vaultDataKey: this.vaultDataKeyForWorker() };
    return jobs.start('import', (ctx) => runImportInWorker(input, ctx, (entry) => bus?.emit('ingest.fileRejected', { jobId: ctx.jobId, ...entry })), { restartable: true });
  }

  /** Some files (absolute paths, e.g. .dcm files the system asked the app to open) as one import job, rooted at
   * the folder that holds them all. */
  importFiles(paths: readonly string[], options: Omit<ImportOptions, 'root' | 'files'> = {}): string {
    const relativeTo = paths.find((path) => !isAbsolute(path));
    if (relativeTo !== undefined) throw new AppError('import-path-relative', `${relativeTo} is not a full path; choose the file again.`);
    const root = commonFolder(paths.map((path) => dirname(resolve(path))));
    return this.importFolder({ ...options, root, files: paths.map((path) => relative(root, resolve(path))) });
  }

  patients = (): library.PatientRow[] => library.listPatients(this.store);
  studies = (patientId: number): library.StudyRow[] => library.listStudies(this.store, patientId);
  series = (studyId: number): library.SeriesRow[] => library.listSeries(this.store, studyId);
  instances = (seriesId: number): library.InstanceRow[] => library.listInstances(this.store, seriesId);
  datasetItems = (filter: { label?: string; split?: string; patchesOnly?: boolean; limit: number; offset: number }) => library.listDatasetItems(this.store, filter);

  /** The job's log; with the vault open and keeping originals, its files named by their paths again (for the person
   * who chose the folder), otherwise by their pseudonymous ids. */
  importLog(jobId: string, outcomes: string[] | null): library.ImportLogRow[] {
    return library.importLog(this.store, jobId, outcomes).map((row) => {
      const path = this.sourcePathOf(row.path);
      return path === null ? row : { ...row, path, message: row.message === null ? null : withIds(row.message, new Map([[row.path, path]])) };
    });
  }

  /** The pseudonymous id that names a folder or disc outside the vault (an audit row); the vault keeps its path. */
  sourceNameFor(path: string): string {
    const root = resolve(path);
    const id = sourceId(this.vaultAccess.keysForImport().pseudonym, root);
    this.currentVault()?.keepSource(id, root, []);
    return id;
  }

  /** The path behind a source or file id (deid/source-names.ts); null when the vault is off, locked or never had it. */
  sourcePathOf(id: string): string | null {
    return this.vaultAccess.sourcePathOf(id);
  }

  instance(instanceId: number): library.InstanceDetail {
    const detail = library.instanceDetail(this.store, instanceId);
    if (!detail) throw new AppError('instance-not-found', `Instance ${instanceId} is not in the library; it may have been removed. Refresh the list.`);
    return detail;
  }

  private parsedInstance(instanceId: number): { parsed: ParsedDicom; image: ImageDescription } {
    const cached = this.parsedCache.get(instanceId);
    if (cached) return cached;
    const detail = this.instance(instanceId);
    if (!detail.frames) throw new AppError('instance-not-image', `Instance ${instanceId} has no pixels to show (it is a document or an unsupported object).`);
    const parsed = readDicom(this.blobs.read(detail.blobSha), `instance ${instanceId}`);
    const entry = { parsed, image: describeImage(parsed, `instance ${instanceId}`) };
    this.parsedCache.set(instanceId, entry);
    if (this.parsedCache.size > 8) this.parsedCache.delete(this.parsedCache.keys().next().value as number);
    return entry;
  }

  /** Stored values of one frame plus what a viewer needs to display them. */
  async frame(instanceId: number, frameIndex: number): Promise<{ frame: DecodedFrame; image: ImageDescription }> {
    const { parsed, image } = this.parsedInstance(instanceId);
    if (frameIndex < 0 || frameIndex >= image.numberOfFrames) {
      throw new AppError('frame-out-of-range', `Frame ${frameIndex} does not exist; instance ${instanceId} has ${image.numberOfFrames} frames (0–${image.numberOfFrames - 1}).`);
    }
    return { frame: await decodeFrame(parsed, image, frameIndex, `instance ${instanceId}`), image };
  }

  /** An 8-bit grey thumbnail of an instance's key frame or of a dataset item. */
  async thumbnail(target: { instanceId: number } | { itemId: number }, size: number): Promise<{ width: number; height: number; pixels: Uint8Array }> {
    if ('instanceId' in target) {
      const detail = this.instance(target.instanceId);
      if (!detail.thumbnailSha) throw new AppError('no-thumbnail', `Instance ${target.instanceId} has no pixels, so no thumbnail.`);
      const png = decodePng(this.blobs.read(detail.thumbnailSha), 'thumbnail');
      return downsample({ width: png.width, height: png.height, pixels: png.pixels as Uint8Array }, size);
    }
    const item = this.itemSource(target.itemId);
    if (item.kind === 'dicom-frame' && item.instanceId !== null) {
      const { frame, image } = await this.frame(item.instanceId, item.frameIndex ?? 0);
      return downsample(frameToGrey(frame, image), size);
    }
    const png = this.itemPng(target.itemId, item, 'thumbnails');
    const grey = png.channels === 1 ? png.pixels : Uint8Array.from({ length: png.width * png.height }, (_, i) => png.pixels[3 * i] as number);
    const pixels = png.bitDepth === 16 ? Uint8Array.from(grey as Uint16Array, (v) => v >> 8) : (grey as Uint8Array);
    return downsample({ width: png.width, height: png.height, pixels }, size);
  }

  /** A dataset item's own image as one frame of stored values for the viewer: the PNG patch itself, or the DICOM
   * frame the item was taken from. */
  async itemImage(itemId: number): Promise<ViewerFrame> {
    const item = this.itemSource(itemId);
    if (item.kind === 'dicom-frame' && item.instanceId !== null) {
      const { frame, image } = await this.frame(item.instanceId, item.frameIndex ?? 0);
      return dicomViewerFrame(frame, image, { frames: 1, frameTimeMs: null });
    }
    return patchViewerFrame(this.itemPng(itemId, item, 'a view'));
  }

  private itemSource(itemId: number): { kind: string; sha: string | null; instanceId: number | null; frameIndex: number | null } {
    const item = this.store.db.prepare('SELECT kind, blob_sha256 AS sha, instance_id AS instanceId, frame_index AS frameIndex FROM dataset_items WHERE id = ?').get(itemId) as
      | { kind: string; sha: string | null; instanceId: number | null; frameIndex: number | null }
      | undefined;
    if (!item) throw new AppError('item-not-found', `Dataset item ${itemId} is not in the library. Refresh the list.`);
    return item;
  }

  private itemPng(itemId: number, item: { kind: string; sha: string | null }, what: string) {
    if (item.kind !== 'png' || !item.sha) {
      throw new AppError('item-image-unsupported', `Dataset item ${itemId} is a ${item.kind}; only PNG and DICOM items have ${what} so far. Convert the image to PNG and import it again.`);
    }
    return decodePng(this.blobs.read(item.sha), `item ${itemId}`);
  }

  /** The originals behind a patient's pseudonym, from the vault; every call is audited. */
  reidentify(pseudonym: string, reader: string | null): { kind: string; original: string }[] {
    const vault = this.currentVault(); // throws vault-locked without the key
    if (!vault) throw new AppError('vault-off', 'The vault is turned off, so no originals are kept and nothing can be re-identified. Turn it on in Settings before importing.');
    writeAudit(this.store, { action: 'view.identifying', objectType: 'patient', objectId: pseudonym, reader });
    return vault.lookup(pseudonym);
  }

  close(): void {
    this.vaultAccess.close();
    void this.importDecoder.close();
  }
}
