// Saved QCA measurements in a PDF: one page each with the frame around the segment (contours, centreline, MLD), the
// diameter curve with its reference line, and every figure with its unit and the calibration it rests on. Used by
// the study PDF (after the findings) and by the QCA report on its own.
import type { SavedMeasurement } from '../qca/index.ts';
import type { RgbImage } from './key-frame.ts';
import { PdfReport } from './pdf-layout.ts';
import type { StudyIdentity } from './study-source.ts';

export interface QcaPdfItem {
  saved: SavedMeasurement;
  /** The measured frame around the segment with the contours drawn (qca measurementPicture). */
  picture: RgbImage;
  projection: string | null;
}

type Rgb = [number, number, number];

/** The diameter curve as a picture: diameter (solid), reference (dashed), the lesion span shaded, the MLD dot. */
export function diameterCurvePicture(saved: SavedMeasurement, width = 640, height = 220): RgbImage {
  const m = saved.measurement;
  const pixels = new Uint8Array(width * height * 3).fill(255);
  const [left, right, top, bottom] = [40, 10, 10, 24];
  const length = m.profile.at(-1)?.distance || 1;
  const maxD = Math.max(...m.profile.map((p) => p.diameter), ...m.referenceProfile) * 1.15 || 1;
  const sx = (d: number) => left + (d / length) * (width - left - right);
  const sy = (v: number) => height - bottom - (v / maxD) * (height - top - bottom);
  const put = (x: number, y: number, c: Rgb, size = 1) => {
    for (let dy = -size + 1; dy < size; dy++) {
      for (let dx = -size + 1; dx < size; dx++) {
        const px = Math.round(x) + dx;
        const py = Math.round(y) + dy;
        if (px >= 0 && py >= 0 && px < width && py < height) pixels.set(c, (py * width + px) * 3);
      }
    }
  };
  const line = (x0: number, y0: number, x1: number, y1: number, c: Rgb, size = 1, dash = 0) => {
    const steps = Math.ceil(Math.hypot(x1 - x0, y1 - y0) * 2) + 1;
    for (let s = 0; s <= steps; s++) if (!dash || Math.floor(s / (2 * dash)) % 2 === 0) put(x0 + ((x1 - x0) * s) / steps, y0 + ((y1 - y0) * s) / steps, c, size);
  };
  const lesion = [sx(m.profile[m.lesionStartIndex]!.distance), sx(m.profile[m.lesionEndIndex]!.distance)];
  for (let x = Math.floor(lesion[0]!); x <= Math.ceil(lesion[1]!); x++) line(x, top, x, height - bottom, [253, 226, 226]);
  for (const f of [0.25, 0.5, 0.75, 1]) line(left, sy(f * maxD), width - right, sy(f * maxD), [221, 221, 221]);
  line(left, height - bottom, width - right, height - bottom, [0, 0, 0]);
  line(left, top, left, height - bottom, [0, 0, 0]);
  const curve = (values: readonly number[], c: Rgb, dash = 0) => {
    for (let i = 1; i < values.length; i++) line(sx(m.profile[i - 1]!.distance), sy(values[i - 1]!), sx(m.profile[i]!.distance), sy(values[i]!), c, 2, dash);
  };
  curve(m.referenceProfile, [42, 157, 143], 4);
  curve(m.profile.map((p) => p.diameter), [29, 53, 87]);
  put(sx(m.profile[m.mldIndex]!.distance), sy(m.mld), [230, 57, 70], 4);
  return { width, height, pixels };
}

const unitText = (value: number, unit: 'mm' | 'px') => (unit === 'mm' ? `${value.toFixed(2)} mm` : `${value.toFixed(1)} pixels`);

/** The calibration a figure rests on, as printed beside it. */
export function calibrationWords(saved: SavedMeasurement): string {
  const c = saved.measurement.calibration;
  return c.mmPerPixel === null ? 'uncalibrated (pixels)' : `${c.method} calibration, ${c.mmPerPixel.toFixed(4)} mm/px`;
}

export async function qcaPages(report: PdfReport, items: readonly QcaPdfItem[]): Promise<void> {
  for (const [i, item] of items.entries()) {
    const { saved } = item;
    const m = saved.measurement;
    const cal = calibrationWords(saved);
    report.newPage();
    report.heading(`QCA measurement ${i + 1} of ${items.length}: instance ${saved.instanceId}, frame ${saved.frame + 1}`, 13);
    report.below(report.image(await report.embedRgb(item.picture), 300, 260), 10);
    report.below(report.image(await report.embedRgb(diameterCurvePicture(saved)), 480, 165), 6);
    report.paragraph(`Diameter along the segment (${m.unit === 'mm' ? 'mm' : 'pixels'}) from the start point: solid the measured diameter, dashed the reference, shaded the lesion, red the MLD.`, { size: 8, muted: true });
    report.fields([
      ['MLD', `${unitText(m.mld, m.unit)} (${cal})`],
      ['Reference diameter', `${unitText(m.reference, m.unit)} (${m.referenceSource === 'user' ? 'set by the reader' : 'fitted to the healthy segments'}; ${cal})`],
      ['Diameter stenosis', `${m.diameterStenosisPct.toFixed(1)} % (${cal})`],
      ['Area stenosis', `${m.areaStenosisPct.toFixed(1)} % (circular assumption; ${cal})`],
      ['Lesion length', `${unitText(m.lesionLength, m.unit)} (${cal})`],
      ['Calibration', `${m.calibration.method}: ${m.calibration.basis}`],
      ['Projection', item.projection ?? 'not recorded in the source'],
      ['Reader', saved.reader ?? 'not named'],
      ['Measured', `${saved.createdAt.replace('T', ' ').slice(0, 16)} UTC`],
    ]);
  }
}

export interface QcaPdfInput {
  identity: StudyIdentity;
  pseudonym: string;
  items: QcaPdfItem[];
  at: Date;
  footer: string;
}

/** The QCA report on its own: which study, a summary table, then one page per measurement. */
export async function qcaPdf(input: QcaPdfInput): Promise<{ bytes: Uint8Array; pages: number }> {
  const { identity } = input;
  const header = identity.mode === 'pacs'
    ? [`Angio SSL-Quantum - QCA measurements - IDENTIFIED (audited export)`, `Patient: ${identity.patientName || '(no name)'}   ID: ${identity.patientId || '(none)'}   Study UID: ${identity.studyInstanceUid}   (app pseudonym ${input.pseudonym})`]
    : [`Angio SSL-Quantum - QCA measurements - de-identified`, `Patient: ${input.pseudonym} (pseudonym)   Study UID (de-identified): ${identity.studyInstanceUid}`];
  const report = await PdfReport.create('QCA measurements (research report)', header, input.footer, input.at);
  report.heading('Quantitative coronary analysis');
  report.paragraph('Research use, not a diagnosis. Diameters measured by readers between two points on the frames below; each figure is printed with the calibration it rests on.', { size: 10 });
  qcaSummary(report, input.items);
  await qcaPages(report, input.items);
  const pages = report.doc.getPageCount();
  return { bytes: await report.finish(), pages };
}

export function qcaSummary(report: PdfReport, items: readonly QcaPdfItem[]): void {
  report.table(
    ['#', 'Instance / frame', 'MLD', 'Reference', 'DS', 'AS (circular)', 'Calibration'],
    items.map(({ saved }, i) => {
      const m = saved.measurement;
      return [String(i + 1), `${saved.instanceId} / ${saved.frame + 1}`, unitText(m.mld, m.unit), unitText(m.reference, m.unit), `${m.diameterStenosisPct.toFixed(1)} %`, `${m.areaStenosisPct.toFixed(1)} %`, calibrationWords(saved)];
    }),
    [0.05, 0.14, 0.13, 0.13, 0.1, 0.12, 0.33],
  );
}
