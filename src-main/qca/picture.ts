// What a reader sees of a measurement outside the Viewer (validation pages, later the study PDF): the frame around
// the segment with both lumen contours, the centreline and the MLD marked, and the diameter curve as an SVG chart.
import type { FloatImage } from './image.ts';
import type { QcaMeasurement } from './measurement.ts';

export interface RgbPicture {
  width: number;
  height: number;
  /** 8-bit RGB, row-major. */
  rgb: Uint8Array;
}

const CONTOUR = [255, 208, 0];
const CENTRELINE = [0, 200, 255];
const MLD = [255, 40, 40];

/** The frame cropped around the segment (margin in pixels), windowed to its 1st–99th percentile, scaled up `zoom`×. */
export function measurementPicture(image: FloatImage, m: QcaMeasurement, margin = 40, zoom = 2): RgbPicture {
  const all = [...m.leftContour, ...m.rightContour];
  const x0 = Math.max(0, Math.floor(Math.min(...all.map((p) => p.x)) - margin));
  const y0 = Math.max(0, Math.floor(Math.min(...all.map((p) => p.y)) - margin));
  const x1 = Math.min(image.width, Math.ceil(Math.max(...all.map((p) => p.x)) + margin));
  const y1 = Math.min(image.height, Math.ceil(Math.max(...all.map((p) => p.y)) + margin));
  const values: number[] = [];
  for (let y = y0; y < y1; y++) for (let x = x0; x < x1; x++) values.push(image.data[y * image.width + x]!);
  values.sort((a, b) => a - b);
  const lo = values[Math.floor(values.length * 0.01)] ?? 0;
  const hi = Math.max(lo + 1e-6, values[Math.floor(values.length * 0.99)] ?? 1);
  const width = (x1 - x0) * zoom;
  const height = (y1 - y0) * zoom;
  const rgb = new Uint8Array(width * height * 3);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const v = image.data[(y0 + Math.floor(y / zoom)) * image.width + x0 + Math.floor(x / zoom)]!;
      rgb.fill(Math.max(0, Math.min(255, Math.round((255 * (v - lo)) / (hi - lo)))), (y * width + x) * 3, (y * width + x) * 3 + 3);
    }
  }
  const dot = (px: number, py: number, colour: number[], size = 1) => {
    const cx = Math.round((px - x0 + 0.5) * zoom - 0.5);
    const cy = Math.round((py - y0 + 0.5) * zoom - 0.5);
    for (let dy = -size; dy <= size; dy++) {
      for (let dx = -size; dx <= size; dx++) {
        const x = cx + dx;
        const y = cy + dy;
        if (x >= 0 && y >= 0 && x < width && y < height) rgb.set(colour, (y * width + x) * 3);
      }
    }
  };
  const polyline = (points: { x: number; y: number }[], colour: number[], size: number) => {
    for (let i = 1; i < points.length; i++) {
      const a = points[i - 1]!;
      const b = points[i]!;
      const steps = Math.ceil(Math.hypot(b.x - a.x, b.y - a.y) * zoom * 2) + 1;
      for (let s = 0; s <= steps; s++) dot(a.x + ((b.x - a.x) * s) / steps, a.y + ((b.y - a.y) * s) / steps, colour, size);
    }
  };
  polyline(m.trace.centreline.filter((_, i) => i % 6 < 3), CENTRELINE, 0);
  polyline(m.leftContour, CONTOUR, 0);
  polyline(m.rightContour, CONTOUR, 0);
  const i = m.mldIndex;
  polyline([m.leftContour[i]!, m.rightContour[i]!], MLD, 1);
  return { width, height, rgb };
}

const escape = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;');

/** The diameter along the segment with the fitted reference line, the MLD and the lesion span, as a standalone SVG. */
export function diameterCurveSvg(m: QcaMeasurement, title: string): string {
  const W = 640;
  const H = 300;
  const left = 56;
  const right = 16;
  const top = 36;
  const bottom = 44;
  const length = m.profile[m.profile.length - 1]!.distance || 1;
  const maxD = Math.max(...m.profile.map((p) => p.diameter), ...m.referenceProfile) * 1.15 || 1;
  const x = (d: number) => left + (d / length) * (W - left - right);
  const y = (v: number) => H - bottom - (v / maxD) * (H - top - bottom);
  const path = (values: { d: number; v: number }[]) => values.map((p, i) => `${i ? 'L' : 'M'}${x(p.d).toFixed(1)},${y(p.v).toFixed(1)}`).join('');
  const u = m.unit;
  const cal = m.calibration.mmPerPixel === null ? 'uncalibrated (pixels)' : `${m.calibration.method} calibration, ${m.calibration.mmPerPixel.toFixed(4)} mm/px`;
  const lesion = [m.profile[m.lesionStartIndex]!.distance, m.profile[m.lesionEndIndex]!.distance];
  const ticks = [0, 0.25, 0.5, 0.75, 1].map((f) => f * maxD);
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="sans-serif" font-size="12">
<rect width="${W}" height="${H}" fill="white"/>
<text x="${left}" y="16" font-size="13" font-weight="bold">${escape(title)}</text>
<text x="${left}" y="30">MLD ${m.mld.toFixed(2)} ${u} · reference ${m.reference.toFixed(2)} ${u} · DS ${m.diameterStenosisPct.toFixed(1)} % · AS ${m.areaStenosisPct.toFixed(1)} % (circular) · lesion ${m.lesionLength.toFixed(1)} ${u} · ${escape(cal)}</text>
<rect x="${x(lesion[0]!).toFixed(1)}" y="${top}" width="${Math.max(1, x(lesion[1]!) - x(lesion[0]!)).toFixed(1)}" height="${H - top - bottom}" fill="#fde2e2"/>
${ticks.map((t) => `<line x1="${left}" x2="${W - right}" y1="${y(t).toFixed(1)}" y2="${y(t).toFixed(1)}" stroke="#ddd"/><text x="${left - 6}" y="${(y(t) + 4).toFixed(1)}" text-anchor="end">${t.toFixed(1)}</text>`).join('\n')}
<path d="${path(m.referenceProfile.map((v, i) => ({ d: m.profile[i]!.distance, v })))}" fill="none" stroke="#2a9d8f" stroke-width="1.5" stroke-dasharray="6 4"/>
<path d="${path(m.profile.map((p) => ({ d: p.distance, v: p.diameter })))}" fill="none" stroke="#1d3557" stroke-width="1.8"/>
<circle cx="${x(m.profile[m.mldIndex]!.distance).toFixed(1)}" cy="${y(m.mld).toFixed(1)}" r="4" fill="#e63946"/>
<line x1="${left}" x2="${W - right}" y1="${H - bottom}" y2="${H - bottom}" stroke="black"/>
<line x1="${left}" x2="${left}" y1="${top}" y2="${H - bottom}" stroke="black"/>
<text x="${(W + left) / 2}" y="${H - 12}" text-anchor="middle">distance along the segment (${u})</text>
<text transform="translate(16 ${(H - bottom + top) / 2}) rotate(-90)" text-anchor="middle">diameter (${u})</text>
</svg>
`;
}
