// What the Library and Viewer screens need beyond ingest's listings: an instance's place in the tree, its overlay
// planes and ECG trace, and "use this frame". Reads the catalog and blob store that ingest wrote; writes only
// dataset items (and their audit rows).
import { join } from 'node:path';
import { keyFileHolder, SealedOriginals, unlockVaultKeys, VAULT_DIR, type VaultKeyHolder } from '../deid/index.ts';
import { readDicom, readEcg } from '../dicom/index.ts';
import { decodePng } from '../png/index.ts';
import { AppError } from '../ipc/index.ts';
import { BlobStore, type Store, writeAudit } from '../store/index.ts';

export interface ViewerDeps {
  store: Store;
  dataDir: string;
  /** Opens the vault, where overlay planes are kept (default: the ANGIO_VAULT_KEY_FILE key file). */
  vaultKeyHolder?: VaultKeyHolder;
}

export interface InstanceContext {
  instanceId: number;
  seriesId: number;
  studyId: number;
  patientId: number;
  pseudonym: string;
  studyDate: string | null;
  modality: string | null;
  seriesNumber: number | null;
  transferSyntax: string;
  rows: number | null;
  columns: number | null;
  frames: number | null;
  keyFrame: number | null;
  overlays: { group: number; rows: number; columns: number; originRow: number; originColumn: number }[];
}

export interface EcgTrace {
  samplingFrequency: number;
  channels: number;
  samples: number[];
  durationSeconds: number;
}

const MAX_ECG_SAMPLES = 20_000;

export class ViewerService {
  private readonly store: Store;
  private readonly blobs: BlobStore;
  private readonly dataDir: string;
  private readonly vaultKeyHolder: VaultKeyHolder | undefined;
  private vaultOriginals: SealedOriginals | undefined;

  constructor(deps: ViewerDeps) {
    this.store = deps.store;
    this.dataDir = deps.dataDir;
    this.vaultKeyHolder = deps.vaultKeyHolder;
    this.blobs = new BlobStore(join(deps.dataDir, 'blobs'));
  }

  /** The vault's sealed originals; a typed `vault-locked` error without the vault key. */
  private originals(): SealedOriginals {
    this.vaultOriginals ??= new SealedOriginals(join(this.dataDir, VAULT_DIR, 'originals'), unlockVaultKeys(this.dataDir, this.vaultKeyHolder ?? keyFileHolder()).dataKey);
    return this.vaultOriginals;
  }

  context(instanceId: number): InstanceContext {
    const row = this.store.db
      .prepare(
        `SELECT i.id AS instanceId, r.id AS seriesId, s.id AS studyId, p.id AS patientId, p.pseudonym, s.study_date AS studyDate,
          r.modality, r.series_number AS seriesNumber, i.transfer_syntax AS transferSyntax, i.rows, i.columns, i.frames, i.key_frame AS keyFrame
         FROM instances i JOIN series r ON i.series_id = r.id JOIN studies s ON r.study_id = s.id JOIN patients p ON s.patient_id = p.id
         WHERE i.id = ?`,
      )
      .get(instanceId) as Omit<InstanceContext, 'overlays'> | undefined;
    if (!row) throw notFound(instanceId);
    const overlays = this.store.db
      .prepare(
        `SELECT overlay_group AS "group", rows, columns, origin_row AS originRow, origin_column AS originColumn
         FROM overlay_layers WHERE instance_id = ? ORDER BY overlay_group`,
      )
      .all(instanceId) as unknown as InstanceContext['overlays'];
    return { ...row, overlays: overlays.map((o) => ({ ...o })) };
  }

  /** One overlay plane as bytes 0/255, from the PNG ingest sealed into the vault for it (identified mode only:
   * the de-identified library holds no overlay bits, as PS3.15 removes Overlay Data). */
  overlay(instanceId: number, group: number): { width: number; height: number; originRow: number; originColumn: number; pixels: Uint8Array } {
    const row = this.store.db
      .prepare('SELECT rows, columns, origin_row AS originRow, origin_column AS originColumn, blob_sha256 AS sha FROM overlay_layers WHERE instance_id = ? AND overlay_group = ?')
      .get(instanceId, group) as { rows: number; columns: number; originRow: number; originColumn: number; sha: string } | undefined;
    if (!row) {
      throw new AppError('overlay-not-found', `Instance ${instanceId} has no overlay plane ${group.toString(16)}; the list of planes may be out of date. Reopen the image.`);
    }
    if (!this.originals().has(row.sha)) {
      throw new AppError('overlay-not-kept', `Overlay plane ${group.toString(16)} of instance ${instanceId} is not in this vault (it may have been replaced after its key was lost). Import the study again to see it.`);
    }
    const png = decodePng(this.originals().read(row.sha), `overlay ${group.toString(16)} of instance ${instanceId}`);
    const pixels = png.channels === 1 && png.bitDepth === 8 ? (png.pixels as Uint8Array) : Uint8Array.from({ length: png.width * png.height }, (_, i) => (png.pixels[i * png.channels] ? 255 : 0));
    return { width: png.width, height: png.height, originRow: row.originRow, originColumn: row.originColumn, pixels };
  }

  /** The first ECG channel recorded with a run (5400,0100), or null when the file carries none. */
  ecg(instanceId: number): EcgTrace | null {
    const row = this.store.db.prepare('SELECT blob_sha256 AS sha, angio_json AS angio FROM instances WHERE id = ?').get(instanceId) as
      | { sha: string; angio: string | null }
      | undefined;
    if (!row) throw notFound(instanceId);
    const facts = row.angio ? (JSON.parse(row.angio) as { ecg?: unknown }) : null;
    if (!facts?.ecg) return null;
    const waveform = readEcg(readDicom(this.blobs.read(row.sha), `instance ${instanceId}`).dataSet);
    if (!waveform) return null;
    const samples = Math.floor(waveform.data.length / waveform.channels);
    const step = Math.max(1, Math.ceil(samples / MAX_ECG_SAMPLES));
    const first: number[] = [];
    for (let i = 0; i < samples; i += step) first.push(waveform.data[i * waveform.channels] as number);
    return { samplingFrequency: waveform.samplingFrequency / step, channels: waveform.channels, samples: first, durationSeconds: samples / waveform.samplingFrequency };
  }

  /** Adds one frame of an image as a dataset item with its patient and study; a second call finds the same item. */
  useFrame(instanceId: number, frame: number, reader: string | null): { itemId: number; created: boolean; pseudonym: string } {
    const context = this.context(instanceId);
    if (context.frames === null) {
      throw new AppError('instance-not-image', `Instance ${instanceId} has no pixels, so none of its frames can join the dataset.`);
    }
    if (frame >= context.frames) {
      throw new AppError('frame-out-of-range', `Frame ${frame + 1} does not exist; this run has ${context.frames} frames.`);
    }
    return this.store.transaction(() => {
      const existing = this.store.db.prepare('SELECT id FROM dataset_items WHERE instance_id = ? AND frame_index = ?').get(instanceId, frame) as { id: number } | undefined;
      if (existing) return { itemId: existing.id, created: false, pseudonym: context.pseudonym };
      const flags = (this.store.db.prepare('SELECT flags FROM patients WHERE id = ?').get(context.patientId) as { flags: string }).flags;
      const result = this.store.db
        .prepare(
          `INSERT INTO dataset_items (kind, instance_id, frame_index, width, height, patient_id, study_id, flags, created_at)
           VALUES ('dicom-frame', ?, ?, ?, ?, ?, ?, ?, ?)`,
        )
        .run(instanceId, frame, context.columns, context.rows, context.patientId, context.studyId, flags, new Date().toISOString());
      const itemId = Number(result.lastInsertRowid);
      writeAudit(this.store, { action: 'dataset.addFrame', objectType: 'dataset_item', objectId: String(itemId), reader, detail: { instanceId, frame } });
      return { itemId, created: true, pseudonym: context.pseudonym };
    });
  }
}

function notFound(instanceId: number): AppError {
  return new AppError('instance-not-found', `Instance ${instanceId} is not in the library; it may have been removed. Refresh the library and open it again.`);
}
