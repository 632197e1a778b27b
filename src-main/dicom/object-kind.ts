// What a DICOM object is to the app: an image to decode, a document (structured report) to link to its study, or
// a kind the app lists as unsupported (RT plans and doses, anything else without pixels). Keyed by SOP Class UID.
import type { DataSet } from 'dicom-parser';
import { text } from './dataset.ts';

export type ObjectKind = 'image' | 'document' | 'unsupported';

const SR_PREFIX = '1.2.840.10008.5.1.4.1.1.88.';
const UNSUPPORTED: Record<string, string> = {
  '1.2.840.10008.5.1.4.1.1.481.1': 'RT Image',
  '1.2.840.10008.5.1.4.1.1.481.2': 'RT Dose',
  '1.2.840.10008.5.1.4.1.1.481.3': 'RT Structure Set',
  '1.2.840.10008.5.1.4.1.1.481.5': 'RT Plan',
  '1.2.840.10008.5.1.4.1.1.481.8': 'RT Ion Plan',
};

export function classifyObject(ds: DataSet): { kind: ObjectKind; sopClassUid: string | null; reason?: string } {
  const sopClassUid = text(ds, 'x00080016') ?? null;
  if (!sopClassUid) return { kind: 'unsupported', sopClassUid, reason: 'no SOP Class UID' };
  if (sopClassUid.startsWith(SR_PREFIX) || sopClassUid === '1.2.840.10008.5.1.4.1.1.104.1') return { kind: 'document', sopClassUid };
  const rt = UNSUPPORTED[sopClassUid];
  if (rt) return { kind: 'unsupported', sopClassUid, reason: `${rt} objects are not supported` };
  if (!ds.elements.x7fe00010) return { kind: 'unsupported', sopClassUid, reason: 'no pixel data and not a document' };
  return { kind: 'image', sopClassUid };
}
