// What a report says about the study it covers, in one of two identities: the de-identified one the catalog keeps
// (pseudonym, remapped UIDs, shifted dates) or the original one, read back from the vault's copy of each source
// file. The same attribute list feeds the PDF header and the DICOM Patient / General Study modules.
import { readDicom, text, type ParsedDicom } from '../dicom/index.ts';
import { AppError } from '../ipc/index.ts';
import { BlobStore, type Store } from '../store/index.ts';

export type IdentityMode = 'research' | 'pacs';

/** Patient and General Study attributes as they go into a report (empty string = known to be empty). */
export interface StudyIdentity {
  mode: IdentityMode;
  patientName: string;
  patientId: string;
  patientBirthDate: string;
  patientSex: string;
  studyInstanceUid: string;
  studyDate: string;
  studyTime: string;
  studyId: string;
  accessionNumber: string;
  referringPhysicianName: string;
}

/** One referenced source instance, as the chosen identity names it. */
export interface SourceInstance {
  instanceId: number;
  sopClassUid: string;
  sopInstanceUid: string;
  seriesInstanceUid: string;
  modality: string;
  /** (0028,2110) of the source: a derived image inherits lossy compression. */
  lossyCompression: string | null;
  /** "RAO 32°, CRA 2°" from the positioner angles; null when the source does not record them. */
  projection: string | null;
}

export interface StudyRecord {
  studyId: number;
  patientPseudonym: string;
  studyUid: string;
  studyDate: string | null;
}

interface InstanceRow {
  id: number;
  blobSha: string;
  sourceSha: string;
  angio: string | null;
}

export function studyRecord(store: Store, studyId: number): StudyRecord {
  const row = store.db
    .prepare('SELECT s.id AS studyId, p.pseudonym AS patientPseudonym, s.study_uid AS studyUid, s.study_date AS studyDate FROM studies s JOIN patients p ON p.id = s.patient_id WHERE s.id = ?')
    .get(studyId) as StudyRecord | undefined;
  if (!row) throw new AppError('study-not-found', `Study ${studyId} is not in the library; it may have been removed. Refresh the list.`);
  return row;
}

/** C-arm angles as a cardiologist names the view: primary angle + = LAO, − = RAO; secondary + = CRA, − = CAU. */
export function projectionName(primary: number | null | undefined, secondary: number | null | undefined): string | null {
  if (primary === null || primary === undefined || secondary === null || secondary === undefined) return null;
  const side = primary < 0 ? 'RAO' : primary > 0 ? 'LAO' : 'AP';
  const tilt = secondary > 0 ? 'CRA' : secondary < 0 ? 'CAU' : '';
  const first = side === 'AP' ? 'AP 0°' : `${side} ${Math.abs(primary)}°`;
  return tilt ? `${first}, ${tilt} ${Math.abs(secondary)}°` : first;
}

const clean = (value: string | undefined): string => (value ?? '').trim();

function identityFrom(parsed: ParsedDicom, mode: IdentityMode): StudyIdentity {
  const ds = parsed.dataSet;
  return {
    mode,
    patientName: clean(text(ds, 'x00100010')),
    patientId: clean(text(ds, 'x00100020')),
    patientBirthDate: clean(text(ds, 'x00100030')),
    patientSex: clean(text(ds, 'x00100040')),
    studyInstanceUid: clean(text(ds, 'x0020000d')),
    studyDate: clean(text(ds, 'x00080020')),
    studyTime: clean(text(ds, 'x00080030')),
    studyId: clean(text(ds, 'x00200010')),
    accessionNumber: clean(text(ds, 'x00080050')),
    referringPhysicianName: clean(text(ds, 'x00080090')),
  };
}

/** The vault's original files by their SHA-256 (deid's SealedOriginals). */
export interface OriginalFiles {
  has(sha: string): boolean;
  read(sha: string): Uint8Array;
}

/** Reads stored source objects under one identity: the catalog's de-identified copies, or the vault's originals. */
export class StudySource {
  private readonly store: Store;
  private readonly blobs: BlobStore;
  private readonly originals: OriginalFiles | null;
  readonly mode: IdentityMode;
  private readonly cache = new Map<number, ParsedDicom>();

  private constructor(store: Store, blobs: BlobStore, mode: IdentityMode, originals: OriginalFiles | null) {
    this.store = store;
    this.blobs = blobs;
    this.mode = mode;
    this.originals = originals;
  }

  static research(store: Store, blobs: BlobStore): StudySource {
    return new StudySource(store, blobs, 'research', null);
  }

  /** The original identity, from the vault's originals (ingest's vaultOriginals(), which refuses with the reason
   * when the vault is off or its key is missing). */
  static pacs(store: Store, blobs: BlobStore, originals: OriginalFiles): StudySource {
    return new StudySource(store, blobs, 'pacs', originals);
  }

  private instanceRow(instanceId: number): InstanceRow {
    const row = this.store.db
      .prepare('SELECT id, blob_sha256 AS blobSha, source_sha256 AS sourceSha, angio_json AS angio FROM instances WHERE id = ?')
      .get(instanceId) as InstanceRow | undefined;
    if (!row) throw new AppError('instance-not-found', `Instance ${instanceId} is not in the library; it may have been removed. Refresh the list.`);
    return row;
  }

  /** The stored object this identity reads (the de-identified copy, or the vault's original). */
  parsed(instanceId: number): ParsedDicom {
    const cached = this.cache.get(instanceId);
    if (cached) return cached;
    const row = this.instanceRow(instanceId);
    let bytes: Uint8Array;
    if (this.originals) {
      if (!this.originals.has(row.sourceSha)) {
        throw new AppError('original-missing', `The vault holds no original of instance ${instanceId} (it was imported while the vault was off), so PACS mode cannot name its original UIDs. Use research mode.`);
      }
      bytes = this.originals.read(row.sourceSha);
    } else {
      if (!this.blobs.has(row.blobSha)) {
        throw new AppError('report-frame-missing', `The stored copy of instance ${instanceId} is missing from the data folder, so its frames cannot be shown. Import the study again.`, { instanceId });
      }
      bytes = this.blobs.read(row.blobSha);
    }
    const parsed = readDicom(bytes, `instance ${instanceId}`);
    this.cache.set(instanceId, parsed);
    return parsed;
  }

  identity(instanceId: number): StudyIdentity {
    return identityFrom(this.parsed(instanceId), this.mode);
  }

  instance(instanceId: number): SourceInstance {
    const ds = this.parsed(instanceId).dataSet;
    const angio = this.instanceRow(instanceId).angio;
    const facts = angio ? (JSON.parse(angio) as { positionerPrimaryAngle?: number | null; positionerSecondaryAngle?: number | null }) : {};
    return {
      instanceId,
      sopClassUid: clean(text(ds, 'x00080016')),
      sopInstanceUid: clean(text(ds, 'x00080018')),
      seriesInstanceUid: clean(text(ds, 'x0020000e')),
      modality: clean(text(ds, 'x00080060')) || 'OT',
      lossyCompression: text(ds, 'x00282110') ?? null,
      projection: projectionName(facts.positionerPrimaryAngle, facts.positionerSecondaryAngle),
    };
  }
}
