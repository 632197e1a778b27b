// Search and filters over the library tree: which patients, studies and series stay visible. Pure: the tree in,
// the visible ids out, so the Library screen never hides a match nor shows a non-match.

export interface SeriesNode {
  id: number;
  modality: string | null;
  seriesNumber: number | null;
  instances: number;
  frames: number;
}
export interface StudyNode {
  id: number;
  studyDate: string | null;
  modalities: string;
  series: SeriesNode[];
}
export interface PatientNode {
  id: number;
  pseudonym: string;
  /** Original identifiers revealed by an audited action in this session (searchable only once revealed). */
  revealed: string[];
  studies: StudyNode[];
}

export interface LibraryFilter {
  text: string;
  /** '' for any modality. */
  modality: string;
  /** Only series whose instances hold more frames than instances: cine runs. */
  cineOnly: boolean;
}

export interface VisibleTree {
  patients: Set<number>;
  studies: Set<number>;
  series: Set<number>;
}

const isCine = (s: SeriesNode): boolean => s.frames > s.instances;

export function filterLibrary(patients: PatientNode[], filter: LibraryFilter): VisibleTree {
  const text = filter.text.trim().toLowerCase();
  const visible: VisibleTree = { patients: new Set(), studies: new Set(), series: new Set() };
  for (const patient of patients) {
    const patientMatches = !text || [patient.pseudonym, ...patient.revealed].some((v) => v.toLowerCase().includes(text));
    for (const study of patient.studies) {
      const studyText = [study.studyDate ?? '', formatStudyDate(study.studyDate), study.modalities].join(' ').toLowerCase();
      const studyMatches = patientMatches || (text !== '' && studyText.includes(text));
      for (const series of study.series) {
        if (filter.modality && (series.modality ?? '') !== filter.modality) continue;
        if (filter.cineOnly && !isCine(series)) continue;
        const seriesText = `series ${series.seriesNumber ?? ''} ${series.modality ?? ''}`.toLowerCase();
        if (!studyMatches && !(text !== '' && seriesText.includes(text))) continue;
        visible.series.add(series.id);
        visible.studies.add(study.id);
        visible.patients.add(patient.id);
      }
      // A patient or study that matches the text stays visible when no series filter is set, even without series.
      if (studyMatches && !filter.modality && !filter.cineOnly && study.series.length === 0) {
        visible.studies.add(study.id);
        visible.patients.add(patient.id);
      }
    }
    if (patientMatches && !filter.modality && !filter.cineOnly && patient.studies.length === 0) visible.patients.add(patient.id);
  }
  return visible;
}

/** DICOM DA (YYYYMMDD) as YYYY-MM-DD; anything else unchanged. */
export function formatStudyDate(value: string | null): string {
  if (!value) return '';
  const m = /^(\d{4})(\d{2})(\d{2})$/.exec(value);
  return m ? `${m[1]}-${m[2]}-${m[3]}` : value;
}
