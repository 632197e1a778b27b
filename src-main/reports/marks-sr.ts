// Readers' boxes as a Comprehensive SR: one container per mark with its label, grade and reader, and the region as
// spatial coordinates selected from its source frame (a closed POLYLINE for a box, a CIRCLE for point + radius), so
// a PACS viewer or another workstation can show the marks on the original images.
import type { Box } from '../annotations/index.ts';
import type { OutElement } from '../dicom/index.ts';
import { float32Bytes, sequence, textElement, type Code } from './dicom-elements.ts';
import { contentItem, imageItem, LOCAL_SCHEME, RESEARCH_STATEMENT, srDocument, textItem, type DicomObject } from './dicom-objects.ts';
import type { SourceInstance, StudyIdentity } from './study-source.ts';

const CODES = {
  comment: { value: '121106', scheme: 'DCM', meaning: 'Comment' },
  mark: { value: 'MARK', scheme: LOCAL_SCHEME, meaning: 'Reader mark' },
  label: { value: 'MARKLABEL', scheme: LOCAL_SCHEME, meaning: 'Mark label' },
  grade: { value: 'MARKGRADE', scheme: LOCAL_SCHEME, meaning: 'Stenosis grade (reader)' },
  reader: { value: 'READER', scheme: LOCAL_SCHEME, meaning: 'Reader' },
  region: { value: '111030', scheme: 'DCM', meaning: 'Image Region' },
  sourceImage: { value: '121112', scheme: 'DCM', meaning: 'Source of Measurement' },
} satisfies Record<string, Code>;

export interface MarkOnSource {
  box: Box;
  source: SourceInstance;
}

export interface MarksReportInput {
  identity: StudyIdentity;
  marks: MarkOnSource[];
  characterSet: string | null;
  seriesUid: string;
  instanceUid: string;
  at: Date;
}

/**
 * Graphic data in (column, row) with (0, 0) at the top-left corner of the top-left pixel (PS3.3 C.18.6.1.2): a box
 * covers pixels x … x + width − 1, so its outline runs from x to x + width.
 */
export function markGraphic(box: Pick<Box, 'shape' | 'x' | 'y' | 'width' | 'height'>): { type: 'POLYLINE' | 'CIRCLE'; data: number[] } {
  const { x, y, width, height } = box;
  if (box.shape === 'point') {
    const cx = x + width / 2;
    const cy = y + height / 2;
    return { type: 'CIRCLE', data: [cx, cy, cx + width / 2, cy] };
  }
  return { type: 'POLYLINE', data: [x, y, x + width, y, x + width, y + height, x, y + height, x, y] };
}

function regionItem(mark: MarkOnSource): OutElement[] {
  const graphic = markGraphic(mark.box);
  // An SCOORD is SELECTED FROM exactly one image: the frame the reader drew on.
  const selectedFrom = imageItem(CODES.sourceImage, mark.source.sopClassUid, mark.source.sopInstanceUid, mark.box.frame + 1, 'SELECTED FROM');
  return contentItem('CONTAINS', 'SCOORD', CODES.region, [
    textElement(0x00700023, 'CS', graphic.type),
    { tag: 0x00700022, vr: 'FL', value: float32Bytes(graphic.data) },
    sequence(0x0040a730, [selectedFrom]),
  ]);
}

function markContainer(mark: MarkOnSource): OutElement[] {
  const { box } = mark;
  const children: OutElement[][] = [textItem(CODES.label, box.label)];
  if (box.grade) children.push(textItem(CODES.grade, box.grade));
  if (box.reader) children.push(textItem(CODES.reader, box.reader));
  children.push(regionItem(mark));
  return contentItem('CONTAINS', 'CONTAINER', CODES.mark, [textElement(0x0040a050, 'CS', 'SEPARATE'), sequence(0x0040a730, children)]);
}

export function marksReport(input: MarksReportInput): DicomObject {
  const content: OutElement[][] = [
    textItem(CODES.comment, `Marks drawn by readers in Angio SSL-Quantum on the referenced frames. ${RESEARCH_STATEMENT}`),
    ...input.marks.map(markContainer),
  ];
  const refs = input.marks.map(({ source }) => ({ seriesUid: source.seriesInstanceUid, sopClassUid: source.sopClassUid, sopInstanceUid: source.sopInstanceUid }));
  return srDocument({
    identity: input.identity, characterSet: input.characterSet, at: input.at, seriesUid: input.seriesUid, instanceUid: input.instanceUid,
    seriesNumber: 9002, description: 'Reader marks (boxes)', content, refs,
  });
}
