// The DICOM objects a study export writes, as pure functions: a Secondary Capture of each finding's key frame with
// its saliency overlay and colour bar, and one Comprehensive SR that states every finding (probability, decision,
// threshold, quantum contribution; a scanned frame's lesion candidates with their boxes as SCOORDs on the frame),
// names the model, and references the source frames and the captures.
import { DEFAULT_DEID_OPTIONS, deidentificationMethodElements, IMPLEMENTATION_CLASS_UID, IMPLEMENTATION_VERSION } from '../deid/index.ts';
import { EXPLICIT_LITTLE_ENDIAN, type OutElement, writeDataSet, writePart10 } from '../dicom/index.ts';
import {
  asciiText, codeSequence, decimalString, dicomDate, dicomTime, float32Bytes, sequence, textElement, uint16Element, type Code,
} from './dicom-elements.ts';
import { frameRangeWords, oodSentence } from '../inference/index.ts';
import type { Finding, FindingCandidate, ModelCard } from './finding.ts';
import type { RgbImage } from './key-frame.ts';
import type { SourceInstance, StudyIdentity } from './study-source.ts';

export const COMPREHENSIVE_SR = '1.2.840.10008.5.1.4.1.1.88.33';
export const SECONDARY_CAPTURE = '1.2.840.10008.5.1.4.1.1.7';
export const MANUFACTURER = 'Angio SSL-Quantum (research software)';
export const RESEARCH_STATEMENT = 'Research use only: not a medical device and not a diagnosis. Model output for review by a qualified reader.';

/** Local codes for concepts DICOM has no code for (PS3.16 8.2: "99" designators are private). */
export const LOCAL_SCHEME = '99ANGIO';
const CODES = {
  report: { value: '18748-4', scheme: 'LN', meaning: 'Diagnostic imaging report' },
  comment: { value: '121106', scheme: 'DCM', meaning: 'Comment' },
  algorithmName: { value: '111001', scheme: 'DCM', meaning: 'Algorithm Name' },
  algorithmVersion: { value: '111003', scheme: 'DCM', meaning: 'Algorithm Version' },
  finding: { value: '121071', scheme: 'DCM', meaning: 'Finding' },
  sourceOfMeasurement: { value: '121112', scheme: 'DCM', meaning: 'Source of Measurement' },
  stenosis: { value: 'STEN', scheme: LOCAL_SCHEME, meaning: 'Coronary stenosis suspected by model' },
  noStenosis: { value: 'NOSTEN', scheme: LOCAL_SCHEME, meaning: 'No coronary stenosis suspected by model' },
  probability: { value: 'PSTEN', scheme: LOCAL_SCHEME, meaning: 'Model probability of stenosis' },
  threshold: { value: 'THRESH', scheme: LOCAL_SCHEME, meaning: 'Decision threshold' },
  quantum: { value: 'QCONTRIB', scheme: LOCAL_SCHEME, meaning: 'Quantum layer contribution' },
  projection: { value: 'PROJ', scheme: LOCAL_SCHEME, meaning: 'Projection' },
  saliency: { value: 'SALIENCY', scheme: LOCAL_SCHEME, meaning: 'Saliency overlay' },
  topClass: { value: 'TOPCLASS', scheme: LOCAL_SCHEME, meaning: 'Most probable class (graded model)' },
  classProbabilities: { value: 'PCLASSES', scheme: LOCAL_SCHEME, meaning: 'Model probability of each class' },
  noUnits: { value: '1', scheme: 'UCUM', meaning: 'no units' },
  outOfDistribution: { value: 'OOD', scheme: LOCAL_SCHEME, meaning: 'Out of distribution (unlike the training images)' },
  candidate: { value: 'LESCAND', scheme: LOCAL_SCHEME, meaning: 'Lesion candidate' },
  uncertainty: { value: 'MCDSTD', scheme: LOCAL_SCHEME, meaning: 'MC dropout standard deviation of probability' },
  oodCheck: { value: 'OODCHECK', scheme: LOCAL_SCHEME, meaning: 'Out-of-distribution check' },
  seenOn: { value: 'SEENON', scheme: LOCAL_SCHEME, meaning: 'Frames the lesion is seen on' },
  region: { value: '111030', scheme: 'DCM', meaning: 'Image Region' },
} satisfies Record<string, Code>;

export interface ExportUids {
  srSeriesUid: string;
  srInstanceUid: string;
  scSeriesUid: string;
}

export interface CaptureOfFinding {
  finding: Finding;
  source: SourceInstance;
  image: RgbImage;
  sopInstanceUid: string;
  /** Research exports: the source series' Burned In Annotation and whether its masks were applied (deid/pixel-masks.ts). */
  pixels?: { burnedIn: 'YES' | 'NO' | 'UNKNOWN'; masked: boolean };
}

export interface DicomObject {
  sopClassUid: string;
  sopInstanceUid: string;
  seriesInstanceUid: string;
  bytes: Uint8Array;
}

function commonModules(identity: StudyIdentity, characterSet: string | null, cleanPixelData = false): OutElement[] {
  const elements: OutElement[] = [
    textElement(0x00100010, 'PN', identity.patientName),
    textElement(0x00100020, 'LO', identity.patientId),
    textElement(0x00100030, 'DA', identity.patientBirthDate),
    textElement(0x00100040, 'CS', identity.patientSex),
    textElement(0x0020000d, 'UI', identity.studyInstanceUid),
    textElement(0x00080020, 'DA', identity.studyDate),
    textElement(0x00080030, 'TM', identity.studyTime),
    textElement(0x00200010, 'SH', identity.studyId),
    textElement(0x00080050, 'SH', identity.accessionNumber),
    textElement(0x00080090, 'PN', identity.referringPhysicianName),
    textElement(0x00080070, 'LO', MANUFACTURER),
  ];
  if (characterSet) elements.push(textElement(0x00080005, 'CS', characterSet));
  if (identity.mode === 'research') {
    elements.push(...deidentificationMethodElements({ ...DEFAULT_DEID_OPTIONS, cleanPixelData }));
  }
  return elements;
}

function part10(sopClassUid: string, sopInstanceUid: string, elements: OutElement[]): Uint8Array {
  const body = writeDataSet(elements, { littleEndian: true, explicitVr: true });
  return writePart10(
    { sopClassUid, sopInstanceUid, transferSyntaxUid: EXPLICIT_LITTLE_ENDIAN, implementationClassUid: IMPLEMENTATION_CLASS_UID, implementationVersionName: IMPLEMENTATION_VERSION },
    body,
  );
}

/** One Secondary Capture: the finding's frame with the overlay blended and the colour bar, RGB, referencing its source frame. */
export function secondaryCapture(identity: StudyIdentity, capture: CaptureOfFinding, seriesUid: string, instanceNumber: number, characterSet: string | null, at: Date): DicomObject {
  const { image, source, finding } = capture;
  const pixels = image.pixels.length % 2 === 0 ? image.pixels : Uint8Array.from([...image.pixels, 0]);
  const elements: OutElement[] = [
    ...commonModules(identity, characterSet, capture.pixels?.masked ?? false),
    textElement(0x00080016, 'UI', SECONDARY_CAPTURE),
    textElement(0x00080018, 'UI', capture.sopInstanceUid),
    textElement(0x00080012, 'DA', dicomDate(at)),
    textElement(0x00080013, 'TM', dicomTime(at)),
    textElement(0x00080023, 'DA', dicomDate(at)),
    textElement(0x00080033, 'TM', dicomTime(at)),
    textElement(0x00080008, 'CS', 'DERIVED\\SECONDARY'),
    textElement(0x00080060, 'CS', 'OT'),
    textElement(0x00080064, 'CS', 'WSD'),
    textElement(0x0020000e, 'UI', seriesUid),
    textElement(0x00200011, 'IS', '9001'),
    textElement(0x00200013, 'IS', String(instanceNumber)),
    textElement(0x00200020, 'CS', ''),
    textElement(0x00200060, 'CS', ''),
    textElement(0x0008103e, 'LO', 'Model saliency overlay (research)'),
    textElement(0x00082111, 'ST', asciiText(`Frame ${finding.frameIndex + 1} with the occlusion saliency of model ${finding.modelVersion} blended on it; colour bar at the right. ${RESEARCH_STATEMENT}`)),
    sequence(0x00082112, [[
      textElement(0x00081150, 'UI', source.sopClassUid),
      textElement(0x00081155, 'UI', source.sopInstanceUid),
      textElement(0x00081160, 'IS', String(finding.frameIndex + 1)),
    ]]),
    // Unmasked pixels of a series that says YES, or does not say, may still show burned-in text.
    textElement(0x00280301, 'CS', capture.pixels && !capture.pixels.masked && capture.pixels.burnedIn !== 'NO' ? 'YES' : 'NO'),
    textElement(0x00282110, 'CS', source.lossyCompression === '01' ? '01' : '00'),
    uint16Element(0x00280002, 3),
    textElement(0x00280004, 'CS', 'RGB'),
    uint16Element(0x00280006, 0),
    uint16Element(0x00280010, image.height),
    uint16Element(0x00280011, image.width),
    uint16Element(0x00280100, 8),
    uint16Element(0x00280101, 8),
    uint16Element(0x00280102, 7),
    uint16Element(0x00280103, 0),
    { tag: 0x7fe00010, vr: 'OB', value: pixels },
  ];
  return { sopClassUid: SECONDARY_CAPTURE, sopInstanceUid: capture.sopInstanceUid, seriesInstanceUid: seriesUid, bytes: part10(SECONDARY_CAPTURE, capture.sopInstanceUid, elements) };
}

export function contentItem(relationship: string, valueType: string, concept: Code, value: OutElement[]): OutElement[] {
  return [textElement(0x0040a010, 'CS', relationship), textElement(0x0040a040, 'CS', valueType), codeSequence(0x0040a043, concept), ...value];
}

export const textItem = (concept: Code, value: string): OutElement[] => contentItem('CONTAINS', 'TEXT', concept, [textElement(0x0040a160, 'UT', asciiText(value))]);
const codeValueItem = (concept: Code, value: Code): OutElement[] => contentItem('CONTAINS', 'CODE', concept, [codeSequence(0x0040a168, value)]);
const numItem = (concept: Code, value: number): OutElement[] =>
  contentItem('CONTAINS', 'NUM', concept, [sequence(0x0040a300, [[codeSequence(0x004008ea, CODES.noUnits), textElement(0x0040a30a, 'DS', decimalString(value))]])]);
export const imageItem = (concept: Code, sopClassUid: string, sopInstanceUid: string, frameNumber: number | null, relationship = 'CONTAINS'): OutElement[] =>
  contentItem(relationship, 'IMAGE', concept, [
    sequence(0x00081199, [[
      textElement(0x00081150, 'UI', sopClassUid),
      textElement(0x00081155, 'UI', sopInstanceUid),
      ...(frameNumber === null ? [] : [textElement(0x00081160, 'IS', String(frameNumber))]),
    ]]),
  ]);

/** What a reading is, in the Viewer's terms: out of distribution before any stenosis call. */
const readingCode = (probability: number, threshold: number, outOfDistribution: boolean): Code =>
  outOfDistribution ? CODES.outOfDistribution : probability >= threshold ? CODES.stenosis : CODES.noStenosis;

/** One lesion candidate: its reading, probability, dropout spread, OOD check, and its box as an SCOORD on the frame. */
function candidateContainer(candidate: FindingCandidate, finding: Finding, source: SourceInstance): OutElement[] {
  const { x, y, width, height } = candidate;
  // Graphic data in (column, row) from the top-left corner of the top-left pixel (PS3.3 C.18.6.1.2).
  const outline = [x, y, x + width, y, x + width, y + height, x, y + height, x, y];
  const selectedFrom = imageItem(CODES.sourceOfMeasurement, source.sopClassUid, source.sopInstanceUid, finding.frameIndex + 1, 'SELECTED FROM');
  const children: OutElement[][] = [
    codeValueItem(CODES.finding, readingCode(candidate.probability, finding.threshold, candidate.outOfDistribution)),
    numItem(CODES.probability, candidate.probability),
    numItem(CODES.uncertainty, candidate.uncertainty),
    textItem(CODES.oodCheck, oodSentence({ outOfDistribution: candidate.outOfDistribution, reasons: candidate.oodReasons })),
    // A cine run: the lesion's frame range (1-based, as the Viewer and the PDF count), its group across the run.
    ...(candidate.firstFrame === undefined || candidate.lastFrame === undefined ? [] : [textItem(CODES.seenOn, frameRangeWords(candidate.firstFrame, candidate.lastFrame))]),
    contentItem('CONTAINS', 'SCOORD', CODES.region, [textElement(0x00700023, 'CS', 'POLYLINE'), { tag: 0x00700022, vr: 'FL', value: float32Bytes(outline) }, sequence(0x0040a730, [selectedFrom])]),
  ];
  return contentItem('CONTAINS', 'CONTAINER', CODES.candidate, [textElement(0x0040a050, 'CS', 'SEPARATE'), sequence(0x0040a730, children)]);
}

function findingContainer(finding: Finding, source: SourceInstance, capture: CaptureOfFinding | undefined): OutElement[] {
  const children: OutElement[][] = [
    codeValueItem(CODES.finding, readingCode(finding.probability, finding.threshold, finding.candidates?.[0]?.outOfDistribution ?? false)),
    numItem(CODES.probability, finding.probability),
    numItem(CODES.threshold, finding.threshold),
  ];
  if (finding.quantumContribution !== null) children.push(numItem(CODES.quantum, finding.quantumContribution));
  // Graded models: the class names are the run's own (a configurable list), so they travel as text, not codes.
  if (finding.classes && finding.classes.length > 0) {
    children.push(textItem(CODES.topClass, finding.classes[0]!.name));
    children.push(textItem(CODES.classProbabilities, finding.classes.map((c) => `${c.name}: ${(100 * c.probability).toFixed(1)} %`).join('; ')));
  }
  if (source.projection) children.push(textItem(CODES.projection, source.projection));
  children.push(imageItem(CODES.sourceOfMeasurement, source.sopClassUid, source.sopInstanceUid, finding.frameIndex + 1));
  if (capture) children.push(imageItem(CODES.saliency, SECONDARY_CAPTURE, capture.sopInstanceUid, null));
  for (const candidate of finding.candidates ?? []) children.push(candidateContainer(candidate, finding, source));
  return contentItem('CONTAINS', 'CONTAINER', CODES.finding, [textElement(0x0040a050, 'CS', 'SEPARATE'), sequence(0x0040a730, children)]);
}

/** Hierarchical references (study → series → SOP) to every object the SR's content cites. */
function evidence(studyUid: string, refs: { seriesUid: string; sopClassUid: string; sopInstanceUid: string }[]): OutElement {
  const bySeries = new Map<string, { sopClassUid: string; sopInstanceUid: string }[]>();
  for (const r of refs) {
    const list = bySeries.get(r.seriesUid) ?? [];
    if (!list.some((x) => x.sopInstanceUid === r.sopInstanceUid)) list.push(r);
    bySeries.set(r.seriesUid, list);
  }
  return sequence(0x0040a375, [[
    textElement(0x0020000d, 'UI', studyUid),
    sequence(0x00081115, [...bySeries].map(([seriesUid, sops]) => [
      textElement(0x0020000e, 'UI', seriesUid),
      sequence(0x00081199, sops.map((s) => [textElement(0x00081150, 'UI', s.sopClassUid), textElement(0x00081155, 'UI', s.sopInstanceUid)])),
    ])),
  ]]);
}

export interface StructuredReportInput {
  identity: StudyIdentity;
  findings: { finding: Finding; source: SourceInstance }[];
  captures: CaptureOfFinding[];
  card: ModelCard;
  uids: ExportUids;
  characterSet: string | null;
  at: Date;
}

export function structuredReport(input: StructuredReportInput): DicomObject {
  const { identity, findings, captures, card, uids, at } = input;
  const captureOf = new Map(captures.map((c) => [c.finding.id, c]));
  const content: OutElement[][] = [
    textItem(CODES.comment, RESEARCH_STATEMENT),
    textItem(CODES.algorithmName, card.name),
    textItem(CODES.algorithmVersion, card.modelVersion),
    ...findings.map(({ finding, source }) => findingContainer(finding, source, captureOf.get(finding.id))),
  ];
  const refs = [
    ...findings.map(({ source }) => ({ seriesUid: source.seriesInstanceUid, sopClassUid: source.sopClassUid, sopInstanceUid: source.sopInstanceUid })),
    ...captures.map((c) => ({ seriesUid: uids.scSeriesUid, sopClassUid: SECONDARY_CAPTURE, sopInstanceUid: c.sopInstanceUid })),
  ];
  return srDocument({
    identity, characterSet: input.characterSet, at, seriesUid: uids.srSeriesUid, instanceUid: uids.srInstanceUid,
    seriesNumber: 9000, description: 'Model findings (research)', content, refs,
  });
}

export interface SrDocumentInput {
  identity: StudyIdentity;
  characterSet: string | null;
  at: Date;
  seriesUid: string;
  instanceUid: string;
  seriesNumber: number;
  description: string;
  /** The root container's children. */
  content: OutElement[][];
  /** Every object the content cites (current requested procedure evidence). */
  refs: { seriesUid: string; sopClassUid: string; sopInstanceUid: string }[];
}

/** A Comprehensive SR document: patient/study modules, SR document general module, the content tree under one root. */
export function srDocument(input: SrDocumentInput): DicomObject {
  const { identity, at } = input;
  const elements: OutElement[] = [
    ...commonModules(identity, input.characterSet),
    textElement(0x00080016, 'UI', COMPREHENSIVE_SR),
    textElement(0x00080018, 'UI', input.instanceUid),
    textElement(0x00080012, 'DA', dicomDate(at)),
    textElement(0x00080013, 'TM', dicomTime(at)),
    textElement(0x00080060, 'CS', 'SR'),
    textElement(0x0020000e, 'UI', input.seriesUid),
    textElement(0x00200011, 'IS', String(input.seriesNumber)),
    textElement(0x0008103e, 'LO', input.description),
    sequence(0x00081111, []),
    textElement(0x00200013, 'IS', '1'),
    textElement(0x0040a491, 'CS', 'COMPLETE'),
    textElement(0x0040a493, 'CS', 'UNVERIFIED'),
    textElement(0x00080023, 'DA', dicomDate(at)),
    textElement(0x00080033, 'TM', dicomTime(at)),
    sequence(0x0040a372, []),
    evidence(identity.studyInstanceUid, input.refs),
    textElement(0x0040a040, 'CS', 'CONTAINER'),
    codeSequence(0x0040a043, CODES.report),
    textElement(0x0040a050, 'CS', 'SEPARATE'),
    sequence(0x0040a730, input.content),
    sequence(0x00080110, [[
      textElement(0x00080102, 'SH', LOCAL_SCHEME),
      textElement(0x00080115, 'ST', 'Angio SSL-Quantum local codes'),
      textElement(0x00080116, 'ST', 'Angio SSL-Quantum authors'),
    ]]),
  ];
  return { sopClassUid: COMPREHENSIVE_SR, sopInstanceUid: input.instanceUid, seriesInstanceUid: input.seriesUid, bytes: part10(COMPREHENSIVE_SR, input.instanceUid, elements) };
}
