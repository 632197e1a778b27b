// Turns a DICOMDIR's records into the patient → study → series → instance tree the import dialog shows, with each
// referenced file found on the media (or marked missing), and expands a selection of keys back into files.
import { readFileSync } from 'node:fs';
import type { MediaContents, MediaInstance, MediaPatient, MediaSelection, MediaSeries, MediaStudy } from '../../src-preload/channels/network.ts';
import { AppError } from '../ipc/index.ts';
import { readDicomdir, type DirectoryRecord } from './dicomdir.ts';
import { findDicomdir, MediaPathResolver, mediaRootOf } from './media-paths.ts';

const int = (value: string | null): number | null => {
  const n = Number.parseInt(value ?? '', 10);
  return Number.isFinite(n) ? n : null;
};

/** Builds the tree from records in hierarchy order, inventing a parent where a vendor left a level out. */
export function buildTree(records: readonly DirectoryRecord[], resolve: (fileId: string[]) => string | null, warnings: string[]): MediaPatient[] {
  const patients: MediaPatient[] = [];
  let patient: MediaPatient | null = null;
  let study: MediaStudy | null = null;
  let series: MediaSeries | null = null;
  let invented = 0;
  const inventedKey = (level: string, offset: number): string => {
    invented++;
    return `${level}@${offset}`;
  };
  const ensurePatient = (offset: number): MediaPatient => {
    if (!patient) {
      patient = { key: inventedKey('patient', offset), patientId: null, patientName: null, studies: [] };
      patients.push(patient);
      study = null;
      series = null;
    }
    return patient;
  };
  const ensureStudy = (offset: number): MediaStudy => {
    if (!study) {
      const parent = ensurePatient(offset);
      study = { key: inventedKey('study', offset), studyInstanceUid: null, studyDate: null, description: null, accessionNumber: null, series: [] };
      parent.studies.push(study);
      series = null;
    }
    return study;
  };
  const ensureSeries = (offset: number): MediaSeries => {
    if (!series) {
      const parent = ensureStudy(offset);
      series = { key: inventedKey('series', offset), seriesInstanceUid: null, modality: null, seriesNumber: null, description: null, instances: [] };
      parent.series.push(series);
    }
    return series;
  };
  for (const record of records) {
    const v = record.values;
    const key = `r${record.offset}`;
    if (record.type === 'PATIENT') {
      patient = { key, patientId: v.patientId ?? null, patientName: v.patientName ?? null, studies: [] };
      patients.push(patient);
      study = null;
      series = null;
    } else if (record.type === 'STUDY') {
      const parent = ensurePatient(record.offset);
      study = { key, studyInstanceUid: v.studyInstanceUid ?? null, studyDate: v.studyDate ?? null, description: v.studyDescription ?? null, accessionNumber: v.accessionNumber ?? null, series: [] };
      parent.studies.push(study);
      series = null;
    } else if (record.type === 'SERIES') {
      const parent = ensureStudy(record.offset);
      series = { key, seriesInstanceUid: v.seriesInstanceUid ?? null, modality: v.modality ?? null, seriesNumber: int(v.seriesNumber ?? null), description: v.seriesDescription ?? null, instances: [] };
      parent.series.push(series);
    } else if (record.fileId.length > 0) {
      const instance: MediaInstance = {
        key,
        fileId: record.fileId.join('/'),
        path: resolve(record.fileId),
        recordType: record.type,
        sopClassUid: v.sopClassUid ?? null,
        sopInstanceUid: v.sopInstanceUid ?? null,
        transferSyntaxUid: v.transferSyntaxUid ?? null,
        instanceNumber: int(v.instanceNumber ?? null),
      };
      ensureSeries(record.offset).instances.push(instance);
    }
  }
  if (invented > 0) warnings.push(`${invented} missing patient, study or series record(s) were filled in so that every file has a place.`);
  return patients;
}

export function scanMedia(path: string): MediaContents {
  const dicomdirPath = findDicomdir(path);
  if (!dicomdirPath) {
    throw new AppError('media-no-dicomdir', `No DICOMDIR was found at ${path}. Choose the top folder of the CD, DVD or USB stick, or import the folder as plain files.`);
  }
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(dicomdirPath);
  } catch (error) {
    throw new AppError('media-dicomdir-unreadable', `The DICOMDIR at ${dicomdirPath} could not be read: ${(error as Error).message}. Check that the disc is readable.`);
  }
  const contents = readDicomdir(bytes, dicomdirPath);
  const root = mediaRootOf(dicomdirPath);
  const resolver = new MediaPathResolver(root);
  const warnings = [...contents.warnings];
  const patients = buildTree(contents.records, (fileId) => resolver.resolve(fileId), warnings);
  const instances = patients.flatMap((p) => p.studies.flatMap((s) => s.series.flatMap((se) => se.instances)));
  const missingCount = instances.filter((i) => i.path === null).length;
  if (missingCount > 0) warnings.push(`${missingCount} file(s) named in the DICOMDIR are not on the media.`);
  return { root, dicomdirPath, fileSetId: contents.fileSetId, patients, instanceCount: instances.length, missingCount, warnings };
}

/** The instances a selection covers: everything, or everything under each ticked key. */
export function selectInstances(contents: MediaContents, selection: MediaSelection): MediaInstance[] {
  const all = (p: MediaPatient[]): MediaInstance[] => p.flatMap((x) => x.studies.flatMap((s) => s.series.flatMap((se) => se.instances)));
  if ('all' in selection) return all(contents.patients);
  const wanted = new Set(selection.keys);
  const picked = new Map<string, MediaInstance>();
  for (const patient of contents.patients) {
    const patientOn = wanted.has(patient.key);
    for (const study of patient.studies) {
      const studyOn = patientOn || wanted.has(study.key);
      for (const series of study.series) {
        const seriesOn = studyOn || wanted.has(series.key);
        for (const instance of series.instances) if (seriesOn || wanted.has(instance.key)) picked.set(instance.key, instance);
      }
    }
  }
  const known = new Set(all(contents.patients).map((i) => i.key));
  const unknown = selection.keys.filter((key) => !picked.has(key) && !known.has(key) && !contents.patients.some((p) => p.key === key || p.studies.some((s) => s.key === key || s.series.some((se) => se.key === key))));
  if (unknown.length > 0) {
    throw new AppError('media-selection-stale', `${unknown.length} selected record(s) are no longer on the media (it may have been changed). Scan the media again.`, { unknown: unknown.slice(0, 20) });
  }
  return [...picked.values()];
}
