// Imports one DICOM file: read it as dcmtk would, decode every frame (what cannot be decoded is rejected), write
// the de-identified copy and a thumbnail to the blob folder, the original to the vault, then the catalog rows in
// one transaction. Returns what happened, for the import log.
import type { AngioFacts, StoredPixelFacts } from '../../src-preload/channels/ingest.ts';
import { encodePng } from '../png/index.ts';
import { type AngioMetadata, classifyObject, decodeFrame, describeImage, DicomReadError, ecgKeyFrame, type FrameDecodeRunner, type ImageDescription, type ParsedDicom, readAngioMetadata, readDicom, text } from '../dicom/index.ts';
import { deidentify, type DeidOptions, type PseudonymKey, type Vault } from '../deid/index.ts';
import { type BlobStore, type Store, writeAudit } from '../store/index.ts';
import { logFile, upsertPatient, upsertSeries, upsertStudy, type Outcome } from './catalog-writes.ts';
import { keepOverlayInVault } from './overlay-vault.ts';
import { frameToGrey, meanGrey } from './render.ts';
import { downsample } from './thumbnail.ts';

/** X-ray angiography (XA) and radio-fluoroscopy (RF) runs: what a stenosis dataset takes by default. An MR, CT or
 * ultrasound series, or a photograph, in the same folder is browsable but joins the dataset only when asked. */
export function isAngiographyRun(modality: string | null): boolean {
  return modality === 'XA' || modality === 'RF';
}

export type DatasetFrames = 'key' | 'all' | 'none';

export interface DicomImportDeps {
  store: Store;
  blobs: BlobStore;
  vault: Vault | null;
  key: PseudonymKey;
  /** PS3.15 options applied to the stored copy (default: the basic profile with shifted dates). */
  deidOptions?: DeidOptions;
  reader: string | null;
  /** Where codecs run; ingest's service passes an isolated runner (dicom/decode-isolation.ts). */
  decode?: FrameDecodeRunner;
}

export interface FileResult {
  outcome: Outcome;
  reason?: string;
  message?: string;
}

export const THUMBNAIL_SIZE = 128;

interface ImageFacts {
  image: ImageDescription;
  meta: AngioMetadata;
  keyFrame: number;
  keyFrameReason: string;
  thumbnail: Uint8Array;
}

async function examineImage(parsed: ParsedDicom, source: string, decode?: FrameDecodeRunner): Promise<ImageFacts> {
  const image = describeImage(parsed, source);
  const meta = readAngioMetadata(parsed.dataSet);
  // Decode every frame: a file whose frames cannot all be decoded is rejected, as dcmtk would fail on it.
  let darkest = { index: 0, mean: Infinity };
  let keyGrey = null;
  const ecg = ecgKeyFrame(meta, image.numberOfFrames);
  for (let i = 0; i < image.numberOfFrames; i++) {
    const frame = await decodeFrame(parsed, image, i, source, decode);
    const grey = frameToGrey(frame, image);
    const mean = meanGrey(grey.pixels);
    if (ecg === i) keyGrey = grey;
    if (mean < darkest.mean) {
      darkest = { index: i, mean };
      if (ecg === null) keyGrey = grey;
    }
  }
  const keyFrame = ecg ?? (image.numberOfFrames > 1 ? darkest.index : 0);
  const keyFrameReason = ecg !== null ? 'ECG R wave (end-diastole)' : image.numberOfFrames > 1 ? 'maximal vessel contrast (darkest frame)' : 'single frame';
  const small = downsample(keyGrey as NonNullable<typeof keyGrey>, THUMBNAIL_SIZE);
  return { image, meta, keyFrame, keyFrameReason, thumbnail: encodePng(small.width, small.height, 1, small.pixels) };
}

function pixelJson(image: ImageDescription): string {
  const { rescale, windows, voiFunction, highBit, planarConfiguration } = image;
  const facts: StoredPixelFacts = { rescale, windows, voiFunction, highBit, planarConfiguration, hasVoiLut: Boolean(image.voiLut), hasModalityLut: Boolean(image.modalityLut), hasPalette: Boolean(image.palette) };
  return JSON.stringify(facts);
}

function angioJson(meta: AngioMetadata): string {
  const { overlays, ecg, ...rest } = meta;
  const facts: AngioFacts = {
    ...rest,
    overlays: overlays.map((o) => ({ group: o.group, rows: o.rows, columns: o.columns, origin: o.origin, type: o.type, frames: o.frames })),
    ecg: ecg ? { channels: ecg.channels, samples: ecg.samples, samplingFrequency: ecg.samplingFrequency } : null,
  };
  return JSON.stringify(facts);
}

export async function importDicomBytes(
  deps: DicomImportDeps,
  bytes: Uint8Array,
  sourceSha: string,
  relativePath: string,
  jobId: string,
  datasetFrames: DatasetFrames,
): Promise<FileResult> {
  const { store, blobs } = deps;
  const known = store.db.prepare('SELECT 1 FROM instances WHERE source_sha256 = ?').get(sourceSha);
  if (known) {
    logFile(store, jobId, relativePath, sourceSha, 'duplicate', 'same content already imported');
    return { outcome: 'duplicate', reason: 'same content already imported' };
  }
  let parsed: ParsedDicom;
  let facts: ImageFacts | null = null;
  let classification;
  let deid: ReturnType<typeof deidentify>;
  let values: { modality: string | null; seriesNumber: number | null; instanceNumber: number | null };
  // Everything that reads the file's values stays in here: a damaged file is rejected with a reason, never
  // allowed to throw out of the import and stop the rest of the folder.
  try {
    parsed = readDicom(bytes, relativePath);
    classification = classifyObject(parsed.dataSet);
    if (classification.kind === 'image') facts = await examineImage(parsed, relativePath, deps.decode);
    if (!text(parsed.dataSet, 'x00080018')) {
      const message = `${relativePath} has no SOP Instance UID and cannot be catalogued; it is listed as unsupported.`;
      logFile(store, jobId, relativePath, sourceSha, 'unsupported', 'no SOP Instance UID', message);
      return { outcome: 'unsupported', reason: 'no SOP Instance UID', message };
    }
    deid = deidentify(parsed, deps.key, deps.deidOptions);
    const ds = parsed.dataSet;
    values = {
      modality: text(ds, 'x00080060') ?? null,
      seriesNumber: Number.parseInt(text(ds, 'x00200011') ?? '', 10) || null,
      instanceNumber: Number.parseInt(text(ds, 'x00200013') ?? '', 10) || null,
    };
  } catch (error) {
    const reason = error instanceof DicomReadError ? error.reason : 'malformed';
    const message = error instanceof Error ? error.message : `${relativePath} could not be read (malformed data: ${String(error)}). Re-export it from the source system.`;
    logFile(store, jobId, relativePath, sourceSha, 'rejected', reason, message);
    return { outcome: 'rejected', reason, message };
  }
  const sameUid = store.db.prepare('SELECT 1 FROM instances WHERE sop_instance_uid = ?').get(deid.sopInstanceUid);
  if (sameUid) {
    logFile(store, jobId, relativePath, sourceSha, 'duplicate', 'same SOP Instance UID already imported');
    return { outcome: 'duplicate', reason: 'same SOP Instance UID already imported' };
  }
  // Files first (temp + rename), rows last: a crash in between leaves unreferenced blobs, never dangling rows.
  const blobSha = blobs.put(deid.bytes);
  const thumbnailSha = facts ? blobs.put(facts.thumbnail) : null;
  // Overlay planes can carry burned-in text (names, dates): the profile removes Overlay Data (60xx,3000), so the
  // planes are kept only in the vault, sealed, for the Viewer in identified mode; without a vault they are not kept.
  const overlayShas = deps.vault ? (facts?.meta.overlays ?? []).map((o) => ({ o, sha: keepOverlayInVault(deps.vault as Vault, o) })) : [];
  deps.vault?.keep(sourceSha, bytes, deid.pairs);

  const modality = values.modality;
  const kind = classification.kind;
  const outcome: Outcome = kind === 'image' ? 'imported' : kind;
  const landed = store.transaction(() => {
    // Checked again inside the write lock: another import may have catalogued the same file since the check above.
    const raced = store.db.prepare('SELECT 1 FROM instances WHERE source_sha256 = ? OR sop_instance_uid = ?').get(sourceSha, deid.sopInstanceUid);
    if (raced) {
      logFile(store, jobId, relativePath, sourceSha, 'duplicate', 'imported meanwhile by another import');
      return false;
    }
    const patientId = upsertPatient(store, deid.patientPseudonym, deid.noPatientId ? 'no patient id' : '');
    const studyId = upsertStudy(store, patientId, deid.studyUid, deid.studyDate, modality);
    const seriesId = upsertSeries(store, studyId, deid.seriesUid, modality, values.seriesNumber);
    const image = facts?.image;
    const burned = facts?.meta.burnedInAnnotation ?? null;
    const burnedIn = burned ?? 'UNKNOWN';
    const needsReview = kind === 'image' && (burnedIn !== 'NO' || (facts?.meta.overlays.length ?? 0) > 0) ? 1 : 0;
    const result = store.db
      .prepare(
        `INSERT INTO instances (series_id, sop_instance_uid, sop_class_uid, kind, unsupported_reason, source_sha256, blob_sha256, transfer_syntax,
          instance_number, rows, columns, frames, samples_per_pixel, bits_allocated, bits_stored, signed, photometric, pixel_json, angio_json,
          burned_in, needs_review, key_frame, key_frame_reason, thumbnail_sha256, imported_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        seriesId, deid.sopInstanceUid, deid.sopClassUid, kind, classification.reason ?? null, sourceSha, blobSha, deid.transferSyntaxUid,
        values.instanceNumber,
        image?.rows ?? null, image?.columns ?? null, image?.numberOfFrames ?? null, image?.samplesPerPixel ?? null,
        image?.bitsAllocated ?? null, image?.bitsStored ?? null, image ? image.pixelRepresentation : null, image?.photometric ?? null,
        image ? pixelJson(image) : null, facts ? angioJson(facts.meta) : null,
        burnedIn, needsReview, facts?.keyFrame ?? null, facts?.keyFrameReason ?? null, thumbnailSha, new Date().toISOString(),
      );
    const instanceId = Number(result.lastInsertRowid);
    if (image && facts) {
      const insertFrame = store.db.prepare('INSERT INTO frames (instance_id, frame_index, time_ms) VALUES (?, ?, ?)');
      let t = 0;
      for (let i = 0; i < image.numberOfFrames; i++) {
        insertFrame.run(instanceId, i, image.numberOfFrames > 1 ? t : null);
        t += facts.meta.frameTimeVectorMs?.[i + 1] ?? facts.meta.frameTimeMs ?? 0;
      }
      for (const { o, sha } of overlayShas) {
        store.db
          .prepare('INSERT INTO overlay_layers (instance_id, overlay_group, rows, columns, origin_row, origin_column, blob_sha256) VALUES (?, ?, ?, ?, ?, ?, ?)')
          .run(instanceId, o.group, o.rows, o.columns, o.origin[0], o.origin[1], sha);
      }
      const items = datasetFrames === 'all' ? [...Array(image.numberOfFrames).keys()] : datasetFrames === 'key' && isAngiographyRun(modality) ? [facts.keyFrame] : [];
      const insertItem = store.db.prepare(
        `INSERT INTO dataset_items (kind, instance_id, frame_index, width, height, patient_id, study_id, flags, created_at)
         VALUES ('dicom-frame', ?, ?, ?, ?, ?, ?, ?, ?)`,
      );
      for (const frameIndex of items) {
        insertItem.run(instanceId, frameIndex, image.columns, image.rows, patientId, studyId, deid.noPatientId ? 'no patient id' : '', new Date().toISOString());
      }
    }
    if (kind === 'document') {
      store.db.prepare('INSERT INTO documents (study_id, instance_id, title) VALUES (?, ?, ?)').run(studyId, instanceId, 'Structured report');
    }
    logFile(store, jobId, relativePath, sourceSha, outcome, classification.reason);
    writeAudit(store, { action: 'import', objectType: 'instance', objectId: deid.sopInstanceUid, reader: deps.reader, detail: { kind, job: jobId } });
    return true;
  });
  if (!landed) return { outcome: 'duplicate', reason: 'imported meanwhile by another import' };
  return { outcome, reason: classification.reason };
}
