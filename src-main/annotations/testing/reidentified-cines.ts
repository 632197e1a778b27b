// Several patients' cine runs for tests that need patient-level splits: the shared 96-frame cine re-identified by
// pydicom (new patient, study, series and SOP UIDs; pixels untouched), because the shared data holds one cine run.
import { join } from 'node:path';
import { sharedDataDir } from '../../app/paths.ts';
import { runPython } from '../../testing/python-oracle.ts';

export const SHARED_CINE = join(sharedDataDir(), 'dicom', 'xa', 'XA_cine_96f_jpeg_baseline.dcm');

const REIDENTIFY = `
import json, sys, pydicom
from pydicom.uid import generate_uid
job = json.load(sys.stdin)
for patient in job["patients"]:
    ds = pydicom.dcmread(job["source"])
    ds.PatientID = patient
    ds.PatientName = "Flow^" + patient
    for key in ("StudyInstanceUID", "SeriesInstanceUID", "SOPInstanceUID"):
        setattr(ds, key, generate_uid(entropy_srcs=[patient, key]))
    ds.file_meta.MediaStorageSOPInstanceUID = ds.SOPInstanceUID
    ds.save_as(job["folder"] + "/" + patient + ".dcm")
print(json.dumps({"written": len(job["patients"])}))
`;

/** Writes <folder>/<patient>.dcm for each patient id. */
export function writeReidentifiedCines(folder: string, patients: readonly string[]): void {
  runPython(REIDENTIFY, { source: SHARED_CINE, folder, patients });
}
