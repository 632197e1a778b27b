// Saved QCA measurements as a Comprehensive SR in the manner of TID 1500: one measurement group per measurement with
// a tracking identifier, the reader and the calibration, each figure as a numeric measurement in UCUM units (mm, or
// pixels when uncalibrated, % for the stenoses), the MLD inferred from its chord, and the contours and centreline as
// SCOORD polylines selected from the frame that was measured.
import type { OutElement } from '../dicom/index.ts';
import type { SavedMeasurement } from '../qca/index.ts';
import { decimalString, float32Bytes, sequence, textElement, type Code } from './dicom-elements.ts';
import { contentItem, imageItem, LOCAL_SCHEME, RESEARCH_STATEMENT, srDocument, textItem, type DicomObject } from './dicom-objects.ts';
import type { SourceInstance, StudyIdentity } from './study-source.ts';

const CODES = {
  comment: { value: '121106', scheme: 'DCM', meaning: 'Comment' },
  group: { value: '125007', scheme: 'DCM', meaning: 'Measurement Group' },
  trackingId: { value: '112039', scheme: 'DCM', meaning: 'Tracking Identifier' },
  sourceImage: { value: '121112', scheme: 'DCM', meaning: 'Source of Measurement' },
  reader: { value: 'READER', scheme: LOCAL_SCHEME, meaning: 'Reader' },
  calibration: { value: 'QCACAL', scheme: LOCAL_SCHEME, meaning: 'QCA calibration' },
  mld: { value: 'QCAMLD', scheme: LOCAL_SCHEME, meaning: 'Minimum lumen diameter' },
  reference: { value: 'QCAREF', scheme: LOCAL_SCHEME, meaning: 'Reference diameter at the MLD' },
  diameterStenosis: { value: 'QCADS', scheme: LOCAL_SCHEME, meaning: 'Percent diameter stenosis' },
  areaStenosis: { value: 'QCAAS', scheme: LOCAL_SCHEME, meaning: 'Percent area stenosis (circular assumption)' },
  lesionLength: { value: 'QCALEN', scheme: LOCAL_SCHEME, meaning: 'Lesion length' },
  mldChord: { value: 'QCAMLDCHORD', scheme: LOCAL_SCHEME, meaning: 'MLD chord' },
  leftContour: { value: 'QCALEFT', scheme: LOCAL_SCHEME, meaning: 'Lumen contour (left edge)' },
  rightContour: { value: 'QCARIGHT', scheme: LOCAL_SCHEME, meaning: 'Lumen contour (right edge)' },
  centreline: { value: 'QCACENTRE', scheme: LOCAL_SCHEME, meaning: 'Vessel centreline' },
} satisfies Record<string, Code>;

const UNITS = {
  mm: { value: 'mm', scheme: 'UCUM', meaning: 'millimeter' },
  px: { value: '{pixels}', scheme: 'UCUM', meaning: 'pixels' },
  percent: { value: '%', scheme: 'UCUM', meaning: 'percent' },
} satisfies Record<string, Code>;

export interface QcaOnSource {
  saved: SavedMeasurement;
  source: SourceInstance;
}

export interface QcaReportInput {
  identity: StudyIdentity;
  measurements: QcaOnSource[];
  characterSet: string | null;
  seriesUid: string;
  instanceUid: string;
  at: Date;
}

/**
 * A polyline selected from the measured frame. Graphic data are (column, row) from the top-left corner of the
 * top-left pixel (PS3.3 C.18.6.1.2), while QCA points are pixel centres: hence the half pixel.
 */
function polyline(item: QcaOnSource, concept: Code, points: readonly { x: number; y: number }[], relationship = 'CONTAINS'): OutElement[] {
  const selectedFrom = imageItem(CODES.sourceImage, item.source.sopClassUid, item.source.sopInstanceUid, item.saved.frame + 1, 'SELECTED FROM');
  return contentItem(relationship, 'SCOORD', concept, [
    textElement(0x00700023, 'CS', 'POLYLINE'),
    { tag: 0x00700022, vr: 'FL', value: float32Bytes(points.flatMap((p) => [p.x + 0.5, p.y + 0.5])) },
    sequence(0x0040a730, [selectedFrom]),
  ]);
}

function numeric(concept: Code, value: number, unit: Code, children: OutElement[][] = []): OutElement[] {
  return contentItem('CONTAINS', 'NUM', concept, [
    sequence(0x0040a300, [[sequence(0x004008ea, [[textElement(0x00080100, 'SH', unit.value), textElement(0x00080102, 'SH', unit.scheme), textElement(0x00080104, 'LO', unit.meaning)]]), textElement(0x0040a30a, 'DS', decimalString(value))]]),
    ...(children.length > 0 ? [sequence(0x0040a730, children)] : []),
  ]);
}

function measurementGroup(item: QcaOnSource): OutElement[] {
  const { saved } = item;
  const m = saved.measurement;
  const length = m.unit === 'mm' ? UNITS.mm : UNITS.px;
  const calibration = m.calibration.mmPerPixel === null ? 'none: figures are in pixels' : `${m.calibration.method}, ${decimalString(m.calibration.mmPerPixel)} mm per pixel (${m.calibration.basis})`;
  const chord = [m.leftContour[m.mldIndex]!, m.rightContour[m.mldIndex]!];
  const children: OutElement[][] = [
    textItem(CODES.trackingId, `QCA measurement ${saved.id}`),
    ...(saved.reader ? [textItem(CODES.reader, saved.reader)] : []),
    textItem(CODES.calibration, calibration),
    numeric(CODES.mld, m.mld, length, [polyline(item, CODES.mldChord, chord, 'INFERRED FROM')]),
    numeric(CODES.reference, m.reference, length),
    numeric(CODES.diameterStenosis, m.diameterStenosisPct, UNITS.percent),
    numeric(CODES.areaStenosis, m.areaStenosisPct, UNITS.percent),
    numeric(CODES.lesionLength, m.lesionLength, length),
    polyline(item, CODES.leftContour, m.leftContour),
    polyline(item, CODES.rightContour, m.rightContour),
    polyline(item, CODES.centreline, m.trace.centreline),
  ];
  return contentItem('CONTAINS', 'CONTAINER', CODES.group, [textElement(0x0040a050, 'CS', 'SEPARATE'), sequence(0x0040a730, children)]);
}

export function qcaReport(input: QcaReportInput): DicomObject {
  const content: OutElement[][] = [
    textItem(CODES.comment, `Quantitative coronary analysis measured by readers in Angio SSL-Quantum on the referenced frames. ${RESEARCH_STATEMENT}`),
    ...input.measurements.map(measurementGroup),
  ];
  const refs = input.measurements.map(({ source }) => ({ seriesUid: source.seriesInstanceUid, sopClassUid: source.sopClassUid, sopInstanceUid: source.sopInstanceUid }));
  return srDocument({
    identity: input.identity, characterSet: input.characterSet, at: input.at, seriesUid: input.seriesUid, instanceUid: input.instanceUid,
    seriesNumber: 9003, description: 'QCA measurements', content, refs,
  });
}
