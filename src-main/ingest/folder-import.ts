// One folder import: walks the folder, sends PNG/JPEG patches and DICOM files to their importers, reports progress,
// stops between files when cancelled, and keeps going past bad files (each logged with its path and reason).
// Resumable: a file already in the catalog (same content hash) is skipped, so re-running after a crash finishes the rest.
// The catalog, the logs and the messages name the folder and its files by pseudonymous ids (deid/source-names.ts);
// the paths themselves go to the vault, and only the live events to the person importing carry them.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, join, relative, resolve, sep } from 'node:path';
import { decodePng, isSound8BitPng } from '../png/index.ts';
import { AppError } from '../ipc/index.ts';
import { DEFAULT_DEID_OPTIONS, type DeidOptions, type PseudonymKey, sourceFileId, sourceId, type Vault } from '../deid/index.ts';
import type { FrameDecodeRunner } from '../dicom/index.ts';
import { type BlobStore, sha256Hex, type Store, writeAudit } from '../store/index.ts';
import { logFile, type Outcome } from './catalog-writes.ts';
import { importDicomBytes, type DatasetFrames } from './dicom-import.ts';
import { factsFromPath, imageSize, parseManifest, patchRowIds, rootFactsPrefix, type ManifestRow, type PatchFacts } from './patch-import.ts';

export interface FolderImportOptions {
  root: string;
  /** manifest.csv inside the folder (default: used when present at the folder's top). */
  manifest?: string;
  datasetFrames: DatasetFrames;
  reader: string | null;
  /** Only these files (relative to root), e.g. the .dcm files the system asked the app to open; default: all. */
  files?: readonly string[];
}

export interface ImportProgress {
  progress(stage: string, done: number, total: number, message?: string): void;
  throwIfCancelled(): void;
  rejected?(entry: { path: string; reason: string; message: string }): void;
}

export interface ImportDeps {
  store: Store;
  blobs: BlobStore;
  vault: Vault | null;
  key: PseudonymKey;
  /** The catalog's de-identification options; recorded with the job's start in the audit log. */
  deidOptions?: DeidOptions;
  decode?: FrameDecodeRunner;
}

export type ImportCounts = Record<Outcome, number> & { total: number };

/** What the import found besides the counts, for its summary: how many patches came with a label, which splits
 * their folders or manifest named, and how many duplicates were copies inside the folder itself. */
export interface ImportFindings {
  /** New patches taken in (the labels and splits below are theirs). */
  patches: number;
  labelled: number;
  splits: string[];
  duplicateInFolder: number;
}

export type ImportResult = ImportCounts & ImportFindings;

const PATCH = /\.(png|jpe?g)$/i;
const SKIP = /(^|\/)(\.|__MACOSX\/)|\/?(DICOMDIR|manifest\.csv|thumbs\.db|desktop\.ini)$/i;
const PATCH_BATCH = 256;
/** 8192 × 8192: far above any angiography patch, far below what would exhaust memory while decoding. */
const MAX_PATCH_PIXELS = 8192 * 8192;

/** Why a PNG patch cannot be decoded, or null when it can (dimensions capped: a patch is not a poster). */
function pngProblem(bytes: Uint8Array, path: string): string | null {
  const size = imageSize(bytes);
  if (size && (size.width === 0 || size.height === 0 || size.width * size.height > MAX_PATCH_PIXELS)) {
    return `${path} declares ${size.width}×${size.height} pixels, which is not a usable patch (at most ${MAX_PATCH_PIXELS} pixels). Re-export the patch.`;
  }
  if (isSound8BitPng(bytes)) return null; // the common case, checked natively without decoding the pixels
  try {
    decodePng(bytes, path);
    return null;
  } catch (error) {
    return `${error instanceof Error ? error.message : String(error)}. The file is damaged; re-export the patch.`;
  }
}

export function listFiles(root: string): string[] {
  return (readdirSync(root, { recursive: true, withFileTypes: true }) as { name: string; parentPath: string; isFile(): boolean }[])
    .filter((d) => d.isFile())
    .map((d) => relative(root, join(d.parentPath, d.name)).split(sep).join('/'))
    .filter((p) => !SKIP.test(p))
    .sort();
}

/** The chosen files, each a regular file inside root (a path that leaves it is refused, as in a manifest). */
function chosenFiles(root: string, files: readonly string[]): string[] {
  const inside = root.endsWith(sep) ? root : root + sep; // the root may be / (files from several folders)
  return [...new Set(files)].map((file) => {
    const full = resolve(root, file);
    if (!full.startsWith(inside)) throw new AppError('import-path-outside', `${file} lies outside ${root}; choose files inside the folder.`);
    if (!existsSync(full) || !statSync(full).isFile()) throw new AppError('import-file-missing', `${full} does not exist or is not a file. Choose the file again.`);
    return relative(root, full).split(sep).join('/');
  }).sort();
}

export async function runFolderImport(deps: ImportDeps, jobId: string, options: FolderImportOptions, job: ImportProgress): Promise<ImportResult> {
  const root = resolve(options.root);
  if (!existsSync(root) || !statSync(root).isDirectory()) {
    throw new AppError('import-folder-missing', `The folder ${root} does not exist or is not a folder. Choose a folder that holds DICOM files or PNG/JPEG patches.`);
  }
  const { store } = deps;
  const manifestPath = options.manifest ? resolve(root, options.manifest) : join(root, 'manifest.csv');
  let manifest: Map<string, ManifestRow> | null = null;
  if (existsSync(manifestPath)) {
    if (!manifestPath.startsWith(root + sep)) throw new AppError('manifest-path-outside', `The manifest ${manifestPath} lies outside ${root}.`);
    manifest = new Map(parseManifest(readFileSync(manifestPath, 'utf8'), basename(manifestPath)).map((row) => [row.path, row]));
  }
  const files = options.files ? chosenFiles(root, options.files) : listFiles(root);
  const counts: ImportCounts = { total: files.length, imported: 0, duplicate: 0, rejected: 0, unsupported: 0, document: 0 };
  const findings: ImportFindings = { patches: 0, labelled: 0, splits: [], duplicateInFolder: 0 };
  const splitsFound = new Set<string>();
  const rootPrefix = rootFactsPrefix(root.split(sep).filter(Boolean));
  const source = sourceId(deps.key, root);
  /** The names the catalog and the messages use for the folder's files; the vault keeps their paths. */
  const fileIds = new Map(files.map((path) => [path, sourceFileId(deps.key, source, path)]));
  deps.vault?.keepSource(source, root, [...fileIds].map(([path, id]) => [id, path] as const));
  const idOf = (path: string): string => fileIds.get(path) as string;
  store.db.prepare('INSERT INTO import_jobs (id, root_name, kind, started_at) VALUES (?, ?, ?, ?)').run(jobId, source, manifest ? 'manifest' : 'folder', new Date().toISOString());
  writeAudit(store, { action: 'import.start', objectType: 'folder', objectId: source, reader: options.reader, detail: { job: jobId, files: files.length, deid: deps.deidOptions ?? DEFAULT_DEID_OPTIONS } });

  const labelCache = new Map<string, number>();
  const knownPatch = store.db.prepare('SELECT 1 FROM dataset_items WHERE source_sha256 = ?');
  const insertPatch = store.db.prepare(
    `INSERT INTO dataset_items (kind, blob_sha256, source_sha256, width, height, patient_id, study_id, label_id, source_split, source_name, flags, created_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  /** Patches waiting for their batch's commit; each file is being written meanwhile (`stored`). */
  let pending: { path: string; sha: string; facts: PatchFacts; size: NonNullable<ReturnType<typeof imageSize>>; stored: Promise<string> }[] = [];
  const reject = (path: string, sha: string | null, reason: string, message: string): void => {
    logFile(store, jobId, idOf(path), sha, 'rejected', reason, message);
    counts.rejected++;
    job.rejected?.({ path, reason, message });
  };
  const flushPatches = async (): Promise<void> => {
    if (pending.length === 0) return;
    const batch = pending;
    pending = [];
    // Files before rows: every file of the batch is whole before a row names it.
    const written = await Promise.allSettled(batch.map((p) => p.stored));
    const failed = written.find((outcome) => outcome.status === 'rejected');
    if (failed) throw failed.reason;
    store.transaction(() => {
      const at = new Date().toISOString();
      for (const p of batch) {
        // Checked again inside the write lock: another import (a second window, the CLI) may have just added it.
        if (knownPatch.get(p.sha)) {
          logFile(store, jobId, idOf(p.path), p.sha, 'duplicate', 'same content already imported');
          counts.duplicate++;
          continue;
        }
        const ids = patchRowIds(store, deps.key, p.facts, labelCache);
        // The patch's file name can carry the patient's name: the item is named by its file id (the vault has the path).
        insertPatch.run(p.size.format, p.sha, p.sha, p.size.width, p.size.height, ids.patientId, ids.studyId, ids.labelId, p.facts.split, idOf(p.path), ids.flags, at);
        logFile(store, jobId, idOf(p.path), p.sha, 'imported');
        counts.imported++;
      }
    });
  };

  /** Patches of this folder seen so far: a second copy inside the folder is told apart from one already imported. */
  const seenInFolder = new Set<string>();
  let lastReport = 0;
  for (let i = 0; i < files.length; i++) {
    // Patches import synchronously: yield now and then so progress events go out and a cancel gets through.
    if (i % 64 === 0) await new Promise((resolve) => setImmediate(resolve));
    job.throwIfCancelled();
    const path = files[i] as string;
    const shown = idOf(path);
    const now = Date.now();
    // Also once a batch, so that a fast import still reports progress between its commits.
    if (now - lastReport > 200 || i % PATCH_BATCH === 0 || i === files.length - 1) {
      job.progress('import', i, files.length, shown);
      lastReport = now;
    }
    let bytes: Uint8Array;
    try {
      bytes = readFileSync(join(root, path));
    } catch (error) {
      // The system's message names the file by its path: only its code is kept.
      reject(path, null, 'unreadable', `${shown} could not be read (${(error as NodeJS.ErrnoException).code ?? 'read error'}). Check the file's permissions.`);
      continue;
    }
    const sha = sha256Hex(bytes);
    if (PATCH.test(path)) {
      const inFolder = seenInFolder.has(sha);
      if (inFolder || knownPatch.get(sha)) {
        seenInFolder.add(sha);
        logFile(store, jobId, shown, sha, 'duplicate', inFolder ? 'same content as another file in this folder' : 'same content already imported');
        counts.duplicate++;
        if (inFolder) findings.duplicateInFolder++;
        continue;
      }
      const size = imageSize(bytes);
      if (!size) {
        reject(path, sha, 'not-an-image', `${shown} is named like an image but is not a PNG or JPEG file. Re-export the patch.`);
        continue;
      }
      // A PNG whose header reads but whose pixels do not would pass here and fail later in training or review:
      // decode it now (patches are small) so a damaged file is rejected with its path.
      const unreadable = size.format === 'png' ? pngProblem(bytes, shown) : null;
      if (unreadable) {
        reject(path, sha, 'undecodable', unreadable);
        continue;
      }
      const fromPath = factsFromPath(rootPrefix + path);
      const row = manifest?.get(path);
      const facts: PatchFacts = row
        ? { split: row.split ?? fromPath.split, label: row.label ?? fromPath.label, patientId: row.patientId, studyId: row.studyId }
        : fromPath;
      seenInFolder.add(sha);
      findings.patches++;
      if (facts.label) findings.labelled++;
      if (facts.split) splitsFound.add(facts.split);
      // Written on the thread pool while the next patches are read and checked; awaited before the batch's commit.
      const stored = deps.blobs.putAsync(bytes, sha);
      stored.catch(() => {}); // a failure is thrown by the flush; one after a cancel has nothing left to stop
      pending.push({ path, sha, facts, size, stored });
      if (pending.length >= PATCH_BATCH) await flushPatches();
      continue;
    }
    await flushPatches();
    const result = await importDicomBytes({ ...deps, reader: options.reader }, bytes, sha, shown, jobId, options.datasetFrames);
    counts[result.outcome]++;
    if (result.outcome === 'rejected') job.rejected?.({ path, reason: result.reason ?? 'rejected', message: result.message ?? '' });
  }
  await flushPatches();
  job.progress('import', files.length, files.length);
  store.db.prepare("UPDATE import_jobs SET finished_at = ?, status = 'succeeded', counts_json = ? WHERE id = ?").run(new Date().toISOString(), JSON.stringify(counts), jobId);
  writeAudit(store, { action: 'import.finish', objectType: 'folder', objectId: source, reader: options.reader, detail: { job: jobId, counts } });
  findings.splits = [...splitsFound].sort();
  return { ...counts, ...findings };
}
