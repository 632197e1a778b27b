// PS3.15 Annex E Basic Application Level Confidentiality Profile, as applied to what the app keeps: the action for
// each attribute the profile lists that angiography and the sample data carry, plus rules by VR for the rest
// (every instance UID remapped, every person name emptied, every date shifted, every private tag removed).
// Options applied: Retain Longitudinal Temporal Information with Modified Dates (dates shifted per patient).

/** X remove · Z empty · U remap UID · P patient pseudonym · S shift date · K keep. */
export type Action = 'X' | 'Z' | 'U' | 'P' | 'S' | 'K';

const t = (group: number, element: number): number => ((group << 16) | element) >>> 0;

export const PROFILE_ACTIONS: ReadonlyMap<number, Action> = new Map<number, Action>([
  // identity of the patient
  [t(0x0010, 0x0010), 'P'], // Patient's Name
  [t(0x0010, 0x0020), 'P'], // Patient ID
  [t(0x0010, 0x0021), 'X'], // Issuer of Patient ID
  [t(0x0010, 0x0030), 'Z'], // Patient's Birth Date
  [t(0x0010, 0x0032), 'X'], // Patient's Birth Time
  [t(0x0010, 0x0040), 'Z'], // Patient's Sex
  [t(0x0010, 0x0050), 'X'], // Patient's Insurance Plan Code Sequence
  [t(0x0010, 0x1000), 'X'], // Other Patient IDs
  [t(0x0010, 0x1001), 'X'], // Other Patient Names
  [t(0x0010, 0x1002), 'X'], // Other Patient IDs Sequence
  [t(0x0010, 0x1005), 'X'], // Patient's Birth Name
  [t(0x0010, 0x1010), 'X'], // Patient's Age
  [t(0x0010, 0x1020), 'X'], // Patient's Size
  [t(0x0010, 0x1030), 'X'], // Patient's Weight
  [t(0x0010, 0x1040), 'X'], // Patient's Address
  [t(0x0010, 0x1060), 'X'], // Patient's Mother's Birth Name
  [t(0x0010, 0x1090), 'X'], // Medical Record Locator
  [t(0x0010, 0x2000), 'X'], // Medical Alerts
  [t(0x0010, 0x2110), 'X'], // Allergies
  [t(0x0010, 0x2154), 'X'], // Patient's Telephone Numbers
  [t(0x0010, 0x2160), 'X'], // Ethnic Group
  [t(0x0010, 0x2180), 'X'], // Occupation
  [t(0x0010, 0x21b0), 'X'], // Additional Patient History
  [t(0x0010, 0x21f0), 'X'], // Patient's Religious Preference
  [t(0x0010, 0x4000), 'X'], // Patient Comments
  [t(0x0038, 0x0010), 'X'], // Admission ID
  [t(0x0038, 0x0300), 'X'], // Current Patient Location
  // the visit, the people and the place
  [t(0x0008, 0x0050), 'Z'], // Accession Number
  [t(0x0008, 0x0080), 'X'], // Institution Name
  [t(0x0008, 0x0081), 'X'], // Institution Address
  [t(0x0008, 0x0090), 'Z'], // Referring Physician's Name
  [t(0x0008, 0x0092), 'X'], // Referring Physician's Address
  [t(0x0008, 0x0094), 'X'], // Referring Physician's Telephone Numbers
  [t(0x0008, 0x0201), 'X'], // Timezone Offset From UTC
  [t(0x0008, 0x1010), 'X'], // Station Name
  [t(0x0008, 0x1030), 'X'], // Study Description
  [t(0x0008, 0x103e), 'X'], // Series Description
  [t(0x0008, 0x1040), 'X'], // Institutional Department Name
  [t(0x0008, 0x1048), 'X'], // Physician(s) of Record
  [t(0x0008, 0x1050), 'X'], // Performing Physician's Name
  [t(0x0008, 0x1060), 'X'], // Name of Physician(s) Reading Study
  [t(0x0008, 0x1070), 'X'], // Operators' Name
  [t(0x0008, 0x1080), 'X'], // Admitting Diagnoses Description
  [t(0x0008, 0x1111), 'X'], // Referenced Performed Procedure Step Sequence
  [t(0x0008, 0x1120), 'X'], // Referenced Patient Sequence
  [t(0x0008, 0x2111), 'X'], // Derivation Description
  [t(0x0018, 0x1000), 'X'], // Device Serial Number
  [t(0x0018, 0x1030), 'X'], // Protocol Name
  [t(0x0018, 0x1200), 'X'], // Date of Last Calibration
  [t(0x0018, 0x1201), 'X'], // Time of Last Calibration
  [t(0x0018, 0x9424), 'X'], // Acquisition Protocol Description
  [t(0x0020, 0x0010), 'Z'], // Study ID
  [t(0x0020, 0x4000), 'X'], // Image Comments
  [t(0x0032, 0x1032), 'X'], // Requesting Physician
  [t(0x0032, 0x1060), 'X'], // Requested Procedure Description
  [t(0x0040, 0x0006), 'X'], // Scheduled Performing Physician's Name
  [t(0x0040, 0x0007), 'X'], // Scheduled Procedure Step Description
  [t(0x0040, 0x0009), 'X'], // Scheduled Procedure Step ID
  [t(0x0040, 0x0241), 'X'], // Performed Station AE Title
  [t(0x0040, 0x0244), 'X'], // Performed Procedure Step Start Date
  [t(0x0040, 0x0245), 'X'], // Performed Procedure Step Start Time
  [t(0x0040, 0x0253), 'X'], // Performed Procedure Step ID
  [t(0x0040, 0x0254), 'X'], // Performed Procedure Step Description
  [t(0x0040, 0x0275), 'X'], // Request Attributes Sequence
  [t(0x0040, 0x1001), 'X'], // Requested Procedure ID
  [t(0x0040, 0x2016), 'Z'], // Placer Order Number
  [t(0x0040, 0x2017), 'Z'], // Filler Order Number
  [t(0x0040, 0xa730), 'X'], // Content Sequence (free text and codes of reports)
  [t(0x0400, 0x0561), 'X'], // Original Attributes Sequence
  [t(0x0018, 0x1020), 'X'], // Software Versions
  // times: the modified-dates option shifts dates; times of day are removed
  [t(0x0008, 0x0013), 'X'], // Instance Creation Time
  [t(0x0008, 0x0030), 'Z'], // Study Time
  [t(0x0008, 0x0031), 'X'], // Series Time
  [t(0x0008, 0x0032), 'X'], // Acquisition Time
  [t(0x0008, 0x0033), 'Z'], // Content Time
  // well-known values that must survive
  [t(0x0008, 0x0016), 'K'], // SOP Class UID
  [t(0x0028, 0x0301), 'K'], // Burned In Annotation
]);

/** Tags whose VR is UI/PN/DA/DT, for implicit-VR sources where the file does not say. */
export const IMPLICIT_VRS: ReadonlyMap<number, string> = new Map<number, string>([
  [t(0x0008, 0x0012), 'DA'], [t(0x0008, 0x0014), 'UI'], [t(0x0008, 0x0018), 'UI'], [t(0x0008, 0x0020), 'DA'],
  [t(0x0008, 0x0021), 'DA'], [t(0x0008, 0x0022), 'DA'], [t(0x0008, 0x0023), 'DA'], [t(0x0008, 0x002a), 'DT'],
  [t(0x0008, 0x1155), 'UI'], [t(0x0008, 0x3010), 'UI'], [t(0x0018, 0x1002), 'UI'], [t(0x0020, 0x000d), 'UI'],
  [t(0x0020, 0x000e), 'UI'], [t(0x0020, 0x0052), 'UI'], [t(0x0020, 0x0200), 'UI'], [t(0x0020, 0x9161), 'UI'],
  [t(0x0020, 0x9164), 'UI'], [t(0x0040, 0xa124), 'UI'], [t(0x0088, 0x0140), 'UI'], [t(0x3006, 0x0024), 'UI'],
  [t(0x0008, 0x0016), 'UI'], [t(0x0008, 0x1150), 'UI'], [t(0x0008, 0x0090), 'PN'], [t(0x0010, 0x0010), 'PN'],
  [t(0x0008, 0x1050), 'PN'], [t(0x0008, 0x1070), 'PN'], [t(0x0008, 0x1060), 'PN'], [t(0x0008, 0x1048), 'PN'],
  [t(0x0010, 0x0030), 'DA'], [t(0x300a, 0x0006), 'DA'], [t(0x3006, 0x0008), 'DA'], [t(0x0040, 0x0244), 'DA'],
]);

/** Standard UIDs (SOP classes, transfer syntaxes, coding schemes) are not identifying and are kept. */
export const isWellKnownUid = (uid: string): boolean => uid.startsWith('1.2.840.10008.');

/** The action for a tag, by table first, then by kind: private tags, curves and overlays go, by VR otherwise. */
export function actionFor(tag: number, vr: string | undefined): Action | 'uid-or-keep' | 'date' | 'empty' {
  const group = tag >>> 16;
  if (group % 2 === 1) return 'X'; // private data elements and private creators
  if (group >= 0x5000 && group <= 0x50ff) return 'X'; // curves
  if (group >= 0x6000 && group <= 0x60ff && ((tag & 0xffff) === 0x3000 || (tag & 0xffff) === 0x4000)) return 'X'; // overlay data/comments (kept as layers, see ingest)
  const listed = PROFILE_ACTIONS.get(tag);
  if (listed) return listed;
  const effective = vr ?? IMPLICIT_VRS.get(tag);
  if (effective === 'UI') return 'uid-or-keep';
  if (effective === 'PN') return 'empty';
  if (effective === 'DA' || effective === 'DT') return 'date';
  return 'K';
}

export const DEIDENTIFICATION_METHOD = 'PS3.15 E.1 Basic Profile; Retain Longitudinal Temporal Information Modified Dates Option';
