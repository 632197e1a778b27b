// The longest text each kind of field may hold: the same limits main's contract enforces (input-limits.test.ts
// reads them from the channel schemas), so a field stops at the limit instead of a refusal after the fact.
export const INPUT_LIMITS = {
  /** A folder or file path (ingest.importFolder's root, reports' folders, model files). */
  path: 4096,
  /** A reader's name where a screen writes under it (ingest, reports, annotations). */
  reader: 200,
  /** A new reader profile's name (dataset.addReader). */
  readerName: 120,
  /** A split's name (dataset.buildSplit). */
  splitName: 80,
  /** A file name for an export (reports' FileName). */
  fileName: 200,
  /** The curation grid's patient filter. */
  patientFilter: 100,
} as const;
