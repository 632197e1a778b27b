// Reads a DICOMDIR (PS3.10 8, PS3.3 F) into its records in hierarchy order. Pure: bytes in, records out.
// Tolerant as media in the wild need: offsets that do not resolve fall back to the records' written order.
import dicomParser from 'dicom-parser';
import type { DataSet } from 'dicom-parser';
import { AppError } from '../ipc/index.ts';

export interface DirectoryRecord {
  /** Byte offset of the record's item in the DICOMDIR: a stable key for the record. */
  offset: number;
  type: string;
  /** Referenced File ID components (CS values, '\\'-separated in the file); empty for records without a file. */
  fileId: string[];
  values: Record<string, string | null>;
}

export interface DicomdirContents {
  fileSetId: string | null;
  /** Active records in depth-first hierarchy order: each record follows its parent. */
  records: DirectoryRecord[];
  warnings: string[];
}

const FIELDS: Record<string, string> = {
  patientId: 'x00100020',
  patientName: 'x00100010',
  studyInstanceUid: 'x0020000d',
  studyDate: 'x00080020',
  studyDescription: 'x00081030',
  accessionNumber: 'x00080050',
  seriesInstanceUid: 'x0020000e',
  modality: 'x00080060',
  seriesNumber: 'x00200011',
  seriesDescription: 'x0008103e',
  sopClassUid: 'x00041510',
  sopInstanceUid: 'x00041511',
  transferSyntaxUid: 'x00041512',
  instanceNumber: 'x00200013',
};

function stringOf(ds: DataSet, tag: string): string | null {
  try {
    const value = ds.string(tag);
    return value === undefined ? null : value.replace(/\0/g, '').trim() || null;
  } catch {
    return null;
  }
}

function uint32(ds: DataSet, tag: string): number | null {
  const element = ds.elements[tag];
  if (!element || element.length < 4) return null;
  return ds.uint32(tag) ?? null;
}

export function readDicomdir(bytes: Uint8Array, source: string): DicomdirContents {
  let ds: DataSet;
  try {
    ds = dicomParser.parseDicom(bytes);
  } catch (error) {
    const message = typeof error === 'string' ? error : error instanceof Error ? error.message : String((error as { exception?: unknown }).exception ?? error);
    throw new AppError('media-dicomdir-unreadable', `${source} is not a readable DICOMDIR (${message}). Import the media's folder instead.`);
  }
  const sequence = ds.elements.x00041220;
  if (!sequence?.items) {
    throw new AppError('media-dicomdir-empty', `${source} has no directory records. Import the media's folder instead.`);
  }
  const warnings: string[] = [];
  const byOffset = new Map<number, { record: DirectoryRecord; next: number | null; lower: number | null; active: boolean }>();
  const written: DirectoryRecord[] = [];
  for (const item of sequence.items) {
    const rds = item.dataSet;
    if (!rds) continue;
    const offset = item.dataOffset - 8;
    const type = stringOf(rds, 'x00041430') ?? 'UNKNOWN';
    const fileId = (stringOf(rds, 'x00041500') ?? '').split('\\').map((part) => part.trim()).filter(Boolean);
    const values: Record<string, string | null> = {};
    for (const [name, tag] of Object.entries(FIELDS)) values[name] = stringOf(rds, tag);
    const inUse = rds.elements.x00041410 ? rds.uint16('x00041410') !== 0 : true;
    const record = { offset, type: type.toUpperCase(), fileId, values };
    const next = uint32(rds, 'x00041400');
    const lower = uint32(rds, 'x00041420');
    byOffset.set(offset, { record, next: next || null, lower: lower || null, active: inUse });
    if (inUse) written.push(record);
  }

  // Follow the offsets from the root; a dangling or looping offset means the writer got them wrong.
  const ordered: DirectoryRecord[] = [];
  const visited = new Set<number>();
  let broken = false;
  const walk = (start: number | null): void => {
    for (let offset = start; offset && !broken; ) {
      const entry = byOffset.get(offset);
      if (!entry || visited.has(offset)) {
        broken = true;
        return;
      }
      visited.add(offset);
      if (entry.active) ordered.push(entry.record);
      walk(entry.lower);
      offset = entry.next;
    }
  };
  walk(uint32(ds, 'x00041200'));
  if (broken || ordered.length !== written.length) {
    warnings.push('The DICOMDIR\'s record offsets do not describe its records; they were read in the order written.');
    return { fileSetId: stringOf(ds, 'x00041130'), records: written, warnings };
  }
  return { fileSetId: stringOf(ds, 'x00041130'), records: ordered, warnings };
}
