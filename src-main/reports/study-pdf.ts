// The per-study PDF: a header with the study's identity (de-identified unless the reader explicitly asked and the
// export was audited), a summary of every finding, the model card, then one page per finding with its key frame,
// saliency overlay and colour bar, projection, probability, decision, threshold and quantum contribution; a scanned
// frame also lists its lesion candidates with their boxes, dropout uncertainty and out-of-distribution state.
import type { Finding, ModelCard } from './finding.ts';
import { colourBar, type RgbImage } from './key-frame.ts';
import { PdfReport } from './pdf-layout.ts';
import { frameRangeWords, oodSentence, readingWords, RUN_REACH, uncertaintyWords } from '../inference/index.ts';
import type { SourceInstance, StudyIdentity } from './study-source.ts';
import { qcaPages, qcaSummary, type QcaPdfItem } from './qca-pdf.ts';

export const RESEARCH_FOOTER = 'Research use only, not a diagnosis. Not a medical device; results need review by a qualified reader.';

export interface StudyPdfFinding {
  finding: Finding;
  source: SourceInstance;
  /** The frame with the overlay blended in. */
  picture: RgbImage;
}

export interface StudyPdfInput {
  identity: StudyIdentity;
  /** The catalog's pseudonym, printed in both modes so the report can be matched to the app. */
  pseudonym: string;
  findings: StudyPdfFinding[];
  card: ModelCard;
  at: Date;
  /** What the pictures may show of burned-in text (research exports, deid/pixel-masks.ts); null or absent: nothing. */
  pixelNote?: string | null;
  /** The study's saved QCA measurements, reported after the findings; absent or empty: none. */
  qca?: QcaPdfItem[];
}

const percent = (p: number): string => `${(100 * p).toFixed(1)} %`;
const formatDate = (da: string): string => (/^\d{8}$/.test(da) ? `${da.slice(0, 4)}-${da.slice(4, 6)}-${da.slice(6, 8)}` : da || 'not recorded');

function headerLines(input: StudyPdfInput): string[] {
  const { identity, pseudonym } = input;
  const title = 'Angio SSL-Quantum - stenosis model findings (research report)';
  if (identity.mode === 'pacs') {
    return [
      `${title} - IDENTIFIED (audited export)`,
      `Patient: ${identity.patientName || '(no name)'}   ID: ${identity.patientId || '(none)'}   Birth date: ${formatDate(identity.patientBirthDate)}   Sex: ${identity.patientSex || '-'}`,
      `Study date: ${formatDate(identity.studyDate)}   Accession: ${identity.accessionNumber || '-'}   Study UID: ${identity.studyInstanceUid}   (app pseudonym ${pseudonym})`,
    ];
  }
  return [
    `${title} - de-identified`,
    `Patient: ${pseudonym} (pseudonym)   Study date: ${formatDate(identity.studyDate)} (shifted per patient)`,
    `Study UID (de-identified): ${identity.studyInstanceUid}`,
  ];
}

const bestCandidate = (finding: Finding) => finding.candidates?.[0] ?? null;

function findingWords(finding: Finding): string {
  return readingWords(finding.probability, finding.threshold, bestCandidate(finding)?.outOfDistribution ?? false);
}

/** Rows a scanned frame adds: how it was read, the best candidate's caveats, and every candidate with its box. */
function scanFields(finding: Finding): [string, string][] {
  const best = bestCandidate(finding);
  if (!best) return [];
  return [
    ['Uncertainty', `${uncertaintyWords(best.uncertainty)} (MC dropout, best candidate)`],
    ['Out-of-distribution check', oodSentence({ outOfDistribution: best.outOfDistribution, reasons: best.oodReasons })],
  ];
}

function candidatesTable(report: PdfReport, finding: Finding): void {
  const best = bestCandidate(finding);
  if (!finding.candidates || !best) return;
  report.paragraph(
    `Lesion candidates on frame ${finding.frameIndex + 1}, best first: the frame was scanned with ${best.width} x ${best.height}-pixel windows (${best.windowMm === undefined ? "no physical scale is known for the model's training patches and this frame together, so the window is in pixels" : `the training patches' ${best.windowMm.toFixed(1)} mm at the frame's calibration`}), boxes are in the frame's pixels, and the frame's probability is its best candidate's.` +
      (best.firstFrame === undefined ? '' : ` Seen on: the run's frames where the box overlaps one on each neighbouring frame (up to ${RUN_REACH} either side).`),
    { size: 8 },
  );
  report.table(
    ['#', 'Box (x, y, width x height)', 'Probability', 'Uncertainty', 'Reading', 'Seen on'],
    finding.candidates.map((c, i) => [
      String(i + 1), `${c.x}, ${c.y}, ${c.width} x ${c.height}`, percent(c.probability), uncertaintyWords(c.uncertainty), readingWords(c.probability, finding.threshold, c.outOfDistribution),
      c.firstFrame === undefined || c.lastFrame === undefined ? `frame ${finding.frameIndex + 1}` : frameRangeWords(c.firstFrame, c.lastFrame),
    ]),
    [0.05, 0.22, 0.11, 0.11, 0.37, 0.14],
  );
}

export function quantumText(finding: Finding): string {
  return finding.quantumContribution === null ? 'not applicable (model without quantum layer)' : `${finding.quantumContribution >= 0 ? '+' : ''}${finding.quantumContribution.toFixed(3)} (change in P(stenosis) attributable to the quantum layer)`;
}

function modelCardSection(report: PdfReport, card: ModelCard): void {
  report.heading('Model card', 12);
  report.fields([
    ['Model', card.name],
    ['Model version', card.modelVersion],
    ['Model date', card.createdAt.slice(0, 10)],
    ['Training data', `${card.trainingImages} labelled images`],
  ]);
  if (card.validation.length === 0) {
    report.paragraph(`Validation metrics: none recorded for this model. ${card.validationNote}`, { size: 9, muted: true });
    return;
  }
  report.table(
    ['Validation metric', 'Value', `${Math.round((card.validation[0]?.confidence ?? 0.95) * 100)} % CI`],
    card.validation.map((m) => [m.metric, m.value.toFixed(3), `${m.low.toFixed(3)} - ${m.high.toFixed(3)}`]),
    [0.5, 0.2, 0.3],
    9,
  );
  report.paragraph(card.validationNote, { size: 8, muted: true });
  if (card.classes) gradedCardSection(report, card.classes);
}

const orDash = (v: number | null) => (v === null || !Number.isFinite(v) ? '-' : v.toFixed(3));

/** A graded model's classes and, when the run recorded it, its validation per class (most probable class decides). */
function gradedCardSection(report: PdfReport, classes: NonNullable<ModelCard['classes']>): void {
  report.paragraph(
    `Classes (graded model): ${classes.names.join(', ')}. "Probability of stenosis" is the probability of any grade, 1 - P(${classes.names[0]}); each finding page lists every class.`,
    { size: 9 },
  );
  const v = classes.validation;
  if (!v) return;
  report.table(
    ['Class (validation)', 'Images', 'Precision', 'Recall', 'F1', 'AUC (one vs rest)'],
    v.perClass.map((c) => [c.name, String(c.support), c.precision.toFixed(3), c.recall.toFixed(3), c.f1.toFixed(3), orDash(c.rocAuc)]),
    [0.3, 0.1, 0.14, 0.14, 0.14, 0.18],
  );
  report.paragraph(
    `Most probable class on ${v.images} validation images: accuracy ${v.accuracy.toFixed(3)}, macro AUC ${orDash(v.macroRocAuc)}, quadratic-weighted kappa ${orDash(v.quadraticKappa)}, within one class ${v.withinOneClass.toFixed(3)}. ` +
      `Confusion (rows true, columns predicted, in class order): ${v.confusion.map((row) => row.join(' ')).join(' / ')}.`,
    { size: 8, muted: true },
  );
}

async function findingPage(report: PdfReport, item: StudyPdfFinding, index: number, total: number): Promise<void> {
  const { finding, source, picture } = item;
  report.newPage();
  report.heading(`Finding ${index + 1} of ${total}: ${findingWords(finding)}`, 13);
  const image = await report.embedRgb(picture);
  // A scanned frame leaves room for its candidates on the same page.
  const side = finding.candidates ? 230 : 380;
  const box = report.image(image, side, side);
  const scale = finding.saliency?.scale;
  if (scale) {
    const bar = await report.embedRgb(colourBar(scale, 12, 256));
    const barBox = { x: box.x + box.width + 14, y: box.y + box.height * 0.1, width: 14, height: box.height * 0.8 };
    report.doc.getPages().at(-1)?.drawImage(bar, barBox);
    const labelX = barBox.x + barBox.width + 4;
    report.text(`+${scale.limit.toFixed(3)}`, labelX, barBox.y + barBox.height - 6);
    report.text('0', labelX, barBox.y + barBox.height / 2 - 3);
    report.text(`-${scale.limit.toFixed(3)}`, labelX, barBox.y);
    report.text('Saliency', barBox.x - 2, barBox.y + barBox.height + 6, 8, true);
    report.text(scale.unit.slice(0, 40), barBox.x - 2, barBox.y - 12, 7);
  }
  report.below(box, 14);
  report.fields([
    ['Instance / frame', `instance ${finding.instanceId}, frame ${finding.frameIndex + 1} (1-based), the frame the model read`],
    ['Projection', source.projection ?? 'not recorded in the source'],
    ['Probability of stenosis', `${percent(finding.probability)}${finding.candidates ? ' (best lesion candidate)' : ''}`],
    ...scanFields(finding),
    ['Decision', `${findingWords(finding)} (probability ${finding.probability >= finding.threshold ? '>=' : '<'} threshold)`],
    ...(finding.classes ? [['Classes (graded model)', finding.classes.map((c) => `${c.name} ${percent(c.probability)}`).join('; ')] as [string, string]] : []),
    ['Threshold', `${percent(finding.threshold)} (chosen on validation data)`],
    ['Quantum contribution', quantumText(finding)],
    ['Saliency overlay', scale ? `occlusion saliency${finding.candidates ? ' of the best candidate' : ''}, red = evidence for stenosis, blue = against; full colour at |change| = ${scale.limit.toFixed(3)}` : 'none computed for this finding'],
    ['Source SOP Instance UID', source.sopInstanceUid],
    ['Model version', finding.modelVersion],
  ]);
  candidatesTable(report, finding);
}

export async function studyPdf(input: StudyPdfInput): Promise<{ bytes: Uint8Array; pages: number }> {
  const report = await PdfReport.create('Stenosis model findings (research report)', headerLines(input), RESEARCH_FOOTER, input.at);
  report.heading('Study summary');
  report.paragraph('Research use, not a diagnosis. This report lists what a research model computed on the frames below; it is not a medical device, and every finding needs review by a qualified reader.', { bold: true, size: 10 });
  if (input.pixelNote) report.paragraph(input.pixelNote, { size: 9 });
  report.fields([
    ['Findings', String(input.findings.length)],
    ['Report made', input.at.toISOString().replace('T', ' ').slice(0, 16) + ' UTC'],
    ['Identity in this report', input.identity.mode === 'pacs' ? 'original identifiers (identified export, recorded in the audit log)' : 'de-identified (pseudonym, shifted dates, remapped UIDs)'],
  ]);
  report.table(
    ['#', 'Instance / frame', 'Projection', 'Probability', 'Decision', 'Threshold', 'Quantum contr.'],
    input.findings.map(({ finding, source }, i) => [
      String(i + 1), `${finding.instanceId} / ${finding.frameIndex + 1}`, source.projection ?? '-', percent(finding.probability), findingWords(finding),
      percent(finding.threshold), finding.quantumContribution === null ? 'n/a' : finding.quantumContribution.toFixed(3),
    ]),
    [0.05, 0.16, 0.2, 0.14, 0.16, 0.13, 0.16],
  );
  modelCardSection(report, input.card);
  for (const [i, item] of input.findings.entries()) await findingPage(report, item, i, input.findings.length);
  if (input.qca && input.qca.length > 0) {
    report.newPage();
    report.heading('QCA measurements (readers)');
    qcaSummary(report, input.qca);
    await qcaPages(report, input.qca);
  }
  const pages = report.doc.getPageCount();
  return { bytes: await report.finish(), pages };
}
