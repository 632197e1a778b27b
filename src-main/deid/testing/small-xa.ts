// A small XA image written by pydicom for de-identification tests: a named patient with characteristics, a study
// description that names the patient, a study date and time, and optionally a reference to another instance.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { runPython } from '../../testing/python-oracle.ts';
import { greyPixelsPython } from './grey-pixels-python.ts';

const WRITE_XA = String.raw`
import json, sys
import pydicom
from pydicom.dataset import Dataset, FileMetaDataset
from pydicom.uid import ExplicitVRLittleEndian
args = json.loads(sys.stdin.read())
ds = Dataset()
ds.SOPClassUID = '1.2.840.10008.5.1.4.1.1.12.1'
ds.SOPInstanceUID = args['uid'] + '.1'
ds.StudyInstanceUID = args['uid'] + '.2'
ds.SeriesInstanceUID = args['uid'] + '.3'
ds.Modality = 'XA'
ds.PatientName = 'Doe^Johnathan'
ds.PatientID = 'MRN4455667'
ds.PatientSex = 'M'
ds.PatientAge = '061Y'
ds.PatientWeight = '82'
ds.StudyDescription = 'Coronary angio Johnathan Doe MRN4455667'
ds.StudyDate = '20240611'
ds.StudyTime = '101500'
${greyPixelsPython(8)}
if args.get('references'):
    item = Dataset()
    item.ReferencedSOPClassUID = ds.SOPClassUID
    item.ReferencedSOPInstanceUID = args['references']
    ds.SourceImageSequence = [item]
    ds.ReferencedImageSequence = [item]
meta = FileMetaDataset()
meta.MediaStorageSOPClassUID = ds.SOPClassUID
meta.MediaStorageSOPInstanceUID = ds.SOPInstanceUID
meta.TransferSyntaxUID = ExplicitVRLittleEndian
ds.file_meta = meta
ds.is_little_endian = True
ds.is_implicit_VR = False
ds.save_as(args['path'], write_like_original=False)
print(json.dumps({'ok': True}))
`;

/** Writes folder/a.dcm: UIDs are uid.1 (instance), uid.2 (study), uid.3 (series); `references` goes into its Source
 * and Referenced Image Sequences. */
export function writeXa(folder: string, uid: string, references?: string): void {
  mkdirSync(folder, { recursive: true });
  runPython(WRITE_XA, { path: join(folder, 'a.dcm'), uid, references: references ?? null });
}

