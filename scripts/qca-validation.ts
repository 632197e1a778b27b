// `node scripts/qca-validation.ts`: the figures and pictures of docs/qca-validation.md. Measures the phantom set
// against its truth (MLD, reference, % diameter stenosis, catheter calibration), draws the Bland–Altman plot of MLD,
// and measures the real XA cine and XA1 with pictures of the frame (contours) and the diameter curve. Writes docs/qca/.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { projectRoot, sharedDataDir } from '../src-main/app/paths.ts';
import { encodePng } from '../src-main/png/png.ts';
import { calibrateOnCatheter, diameterCurveSvg, isocenterCalibration, measureSegment, measurementPicture, readQcaFrame, suggestEndDiastolicFrame, UNCALIBRATED, type Calibration, type FloatImage, type QcaMeasurement } from '../src-main/qca/index.ts';
import { makePhantom, PHANTOM_COUNT, phantomSpec } from '../src-main/qca/testing/phantom-set.ts';

const out = join(projectRoot(), 'docs', 'qca');
mkdirSync(out, { recursive: true });

function savePicture(name: string, image: FloatImage, m: QcaMeasurement, title: string): void {
  const picture = measurementPicture(image, m, 30, 3);
  writeFileSync(join(out, `${name}.png`), encodePng(picture.width, picture.height, 3, picture.rgb));
  writeFileSync(join(out, `${name}-profile.svg`), diameterCurveSvg(m, title));
}

interface PhantomRow {
  name: string;
  size: number;
  bits: number;
  healthyMm: number;
  stenosisPct: number;
  eccentric: boolean;
  psfSigmaPx: number;
  truthMldMm: number;
  mldMm: number;
  truthReferenceMm: number;
  referenceMm: number;
  truthDsPct: number;
  dsPct: number;
  truthLesionMm: number;
  lesionMm: number;
  truthMmPerPixel: number;
  catheterMmPerPixel: number;
  blurSigmaPx: number;
}

const rows: PhantomRow[] = [];
for (let k = 0; k < PHANTOM_COUNT; k++) {
  const spec = phantomSpec(k);
  const phantom = makePhantom(spec);
  const { image, parsed } = await readQcaFrame(phantom.bytes, 0, spec.name);
  const calibration = isocenterCalibration(parsed.dataSet) as Calibration;
  const { truth } = phantom.scene;
  const m = measureSegment(image, { frame: 0, start: truth.start, end: truth.end, calibration });
  const catheter = calibrateOnCatheter(image, spec.catheterFrench, truth.catheterStart, truth.catheterEnd);
  rows.push({
    name: spec.name, size: spec.size, bits: spec.bitsStored, healthyMm: spec.healthyDiameterMm, stenosisPct: 100 * spec.stenosis, eccentric: spec.eccentricity > 0,
    psfSigmaPx: spec.psfSigmaPx, truthMldMm: truth.mldMm, mldMm: m.mld, truthReferenceMm: truth.referenceMm, referenceMm: m.reference,
    truthDsPct: truth.diameterStenosisPct, dsPct: m.diameterStenosisPct, truthLesionMm: truth.lesionLengthMm * (Math.acos(Math.min(1, (2 * 0.1) / spec.stenosis - 1)) / Math.PI), lesionMm: m.lesionLength, truthMmPerPixel: truth.mmPerPixel, catheterMmPerPixel: catheter.mmPerPixel!, blurSigmaPx: m.trace.blurSigma,
  });
  if (k === 2) savePicture('phantom-02', image, m, `${spec.name}: ${spec.healthyDiameterMm.toFixed(2)} mm vessel, ${(100 * spec.stenosis).toFixed(0)} % eccentric stenosis, PSF σ ${spec.psfSigmaPx.toFixed(2)} px`);
}

const stats = (values: number[]) => {
  const mean = values.reduce((a, b) => a + b, 0) / values.length;
  const sd = Math.sqrt(values.reduce((a, b) => a + (b - mean) ** 2, 0) / (values.length - 1));
  return { mean, sd };
};
const mld = stats(rows.map((r) => r.mldMm - r.truthMldMm));
const reference = stats(rows.map((r) => r.referenceMm - r.truthReferenceMm));
const ds = stats(rows.map((r) => r.dsPct - r.truthDsPct));
const dsMae = rows.reduce((a, r) => a + Math.abs(r.dsPct - r.truthDsPct), 0) / rows.length;
// The phantom's lesion is a cosine narrowing; the part narrowed by ≥ 10 % (QCA's lesion) is L·acos(0.2/S − 1)/π of it.
const lesion = stats(rows.map((r) => r.lesionMm - r.truthLesionMm));
const catheter = stats(rows.map((r) => 100 * (r.catheterMmPerPixel / r.truthMmPerPixel - 1)));
const summary = { n: rows.length, mldBiasMm: mld.mean, mldSdMm: mld.sd, referenceBiasMm: reference.mean, referenceSdMm: reference.sd, dsBiasPts: ds.mean, dsSdPts: ds.sd, dsMaePts: dsMae, lesionBiasMm: lesion.mean, lesionSdMm: lesion.sd, catheterErrorMeanPct: catheter.mean, catheterErrorSdPct: catheter.sd };

/** Bland–Altman: difference (measured − truth) against the mean of the two, with the bias and 95 % limits. */
function blandAltmanSvg(): string {
  const W = 560;
  const H = 360;
  const m = { left: 64, right: 20, top: 40, bottom: 48 };
  const points = rows.map((r) => ({ x: (r.mldMm + r.truthMldMm) / 2, y: r.mldMm - r.truthMldMm, big: r.size === 1024 }));
  const xMax = Math.ceil(Math.max(...points.map((p) => p.x)) + 0.2);
  const yLim = Math.max(0.3, ...points.map((p) => Math.abs(p.y) * 1.2));
  const x = (v: number) => m.left + (v / xMax) * (W - m.left - m.right);
  const y = (v: number) => m.top + ((yLim - v) / (2 * yLim)) * (H - m.top - m.bottom);
  const line = (v: number, colour: string, label: string, dash = '') => `<line x1="${m.left}" x2="${W - m.right}" y1="${y(v).toFixed(1)}" y2="${y(v).toFixed(1)}" stroke="${colour}" ${dash ? `stroke-dasharray="${dash}"` : ''}/><text x="${W - m.right - 4}" y="${(y(v) - 4).toFixed(1)}" text-anchor="end" fill="${colour}">${label}</text>`;
  const ticksY = [-yLim, -yLim / 2, 0, yLim / 2, yLim];
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="sans-serif" font-size="12">
<rect width="${W}" height="${H}" fill="white"/>
<text x="${m.left}" y="18" font-size="13" font-weight="bold">MLD on ${rows.length} phantoms: Bland–Altman (measured − truth)</text>
<text x="${m.left}" y="32">bias ${mld.mean.toFixed(3)} mm, SD ${mld.sd.toFixed(3)} mm; ● 512², ■ 1024²</text>
${ticksY.map((t) => `<line x1="${m.left}" x2="${W - m.right}" y1="${y(t).toFixed(1)}" y2="${y(t).toFixed(1)}" stroke="#eee"/><text x="${m.left - 6}" y="${(y(t) + 4).toFixed(1)}" text-anchor="end">${t.toFixed(2)}</text>`).join('\n')}
${Array.from({ length: xMax + 1 }, (_, i) => `<text x="${x(i).toFixed(1)}" y="${H - m.bottom + 16}" text-anchor="middle">${i}</text>`).join('')}
${line(0, '#999', '')}
${line(mld.mean, '#1d3557', `bias ${mld.mean.toFixed(3)}`)}
${line(mld.mean + 1.96 * mld.sd, '#e63946', `+1.96 SD ${(mld.mean + 1.96 * mld.sd).toFixed(3)}`, '6 4')}
${line(mld.mean - 1.96 * mld.sd, '#e63946', `−1.96 SD ${(mld.mean - 1.96 * mld.sd).toFixed(3)}`, '6 4')}
${points.map((p) => (p.big ? `<rect x="${(x(p.x) - 3.5).toFixed(1)}" y="${(y(p.y) - 3.5).toFixed(1)}" width="7" height="7" fill="#2a9d8f"/>` : `<circle cx="${x(p.x).toFixed(1)}" cy="${y(p.y).toFixed(1)}" r="4" fill="#457b9d"/>`)).join('\n')}
<line x1="${m.left}" x2="${m.left}" y1="${m.top}" y2="${H - m.bottom}" stroke="black"/>
<text x="${(W + m.left) / 2}" y="${H - 10}" text-anchor="middle">mean of measured and true MLD (mm)</text>
<text transform="translate(16 ${(H - m.bottom + m.top) / 2}) rotate(-90)" text-anchor="middle">measured − true MLD (mm)</text>
</svg>
`;
}
writeFileSync(join(out, 'bland-altman-mld.svg'), blandAltmanSvg());

// Real runs: no calibration tags in either file, so pixels (and, for the cine, a 6 F catheter calibration).
const xa = join(sharedDataDir(), 'dicom', 'xa');
const cineBytes = readFileSync(join(xa, 'XA_cine_96f_jpeg_baseline.dcm'));
const cineFirst = await readQcaFrame(cineBytes, 0, 'XA cine');
const suggestion = await suggestEndDiastolicFrame(cineFirst.parsed, cineFirst.frames, async (i) => (await readQcaFrame(cineBytes, i, 'XA cine')).image);
const cine = await readQcaFrame(cineBytes, suggestion.frame, 'XA cine');
const cineCatheter = calibrateOnCatheter(cine.image, 6, { x: 247, y: 40 }, { x: 238, y: 100 });
const cineVessel = measureSegment(cine.image, { frame: suggestion.frame, start: { x: 440, y: 60 }, end: { x: 412, y: 200 }, calibration: cineCatheter });
savePicture('xa-cine', cine.image, cineVessel, `XA cine frame ${suggestion.frame} (suggested end-diastole, ${suggestion.basis}), 6 F catheter calibration`);
const xa1 = await readQcaFrame(readFileSync(join(xa, 'XA1_UNC.dcm')), 0, 'XA1');
const xa1Vessel = measureSegment(xa1.image, { frame: 0, start: { x: 562, y: 458 }, end: { x: 640, y: 452 }, calibration: UNCALIBRATED });
savePicture('xa1', xa1.image, xa1Vessel, 'XA1 frame 0 (1024², no calibration tags: pixels)');

const real = (m: QcaMeasurement) => ({ frame: m.frame, unit: m.unit, calibration: { method: m.calibration.method, mmPerPixel: m.calibration.mmPerPixel, basis: m.calibration.basis }, mld: m.mld, reference: m.reference, diameterStenosisPct: m.diameterStenosisPct, areaStenosisPct: m.areaStenosisPct, lesionLength: m.lesionLength, profiles: m.profile.length, blurSigmaPx: m.trace.blurSigma });
const report = { summary, phantoms: rows, real: { cine: { suggestion, ...real(cineVessel) }, xa1: real(xa1Vessel) } };
writeFileSync(join(out, 'validation.json'), `${JSON.stringify(report, null, 2)}\n`);
console.log(JSON.stringify({ summary, real: report.real }, null, 2));
