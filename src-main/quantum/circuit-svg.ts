// Writes a circuit's drawing (circuit-drawing.ts) as a standalone SVG string on a light page, for files and reports.
import type { CircuitData } from './circuit.ts';
import { circuitDrawing, type DrawingPrimitive, type DrawingRole } from './circuit-drawing.ts';

/** Presentation attributes per role on white paper. */
const LIGHT: Record<DrawingRole, string> = {
  background: 'fill="#ffffff"',
  title: 'fill="#333"',
  'layer-band': 'fill="#eef2f9" stroke="#c5cde0" stroke-dasharray="4 3"',
  'layer-band-alt': 'fill="#f4f6fb" stroke="#c5cde0" stroke-dasharray="4 3"',
  'layer-label': 'fill="#556"',
  wire: 'stroke="#444" stroke-width="1.2"',
  'wire-label': 'fill="#222"',
  'readout-label': 'fill="#222"',
  link: 'stroke="#222" stroke-width="1.4"',
  control: 'fill="#222"',
  target: 'fill="#fff" stroke="#222" stroke-width="1.4"',
  'target-cross': 'stroke="#222" stroke-width="1.4"',
  'gate-encoding': 'rx="4" fill="#fde7c8" stroke="#c98a2b"',
  'gate-rotation': 'rx="4" fill="#d6e4ff" stroke="#3b64b3"',
  'gate-label': 'fill="#111"',
  'angle-label': 'fill="#444"',
};

const escape = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

function element(p: DrawingPrimitive): string {
  const style = LIGHT[p.role];
  switch (p.kind) {
    case 'line':
      return `<line x1="${p.x1}" y1="${p.y1}" x2="${p.x2}" y2="${p.y2}" ${style}/>`;
    case 'rect':
      return `<rect x="${p.x}" y="${p.y}" width="${p.width}" height="${p.height}" ${style}/>`;
    case 'circle':
      return `<circle cx="${p.cx}" cy="${p.cy}" r="${p.r}" ${style}/>`;
    case 'text':
      return `<text x="${p.x}" y="${p.y}" font-size="${p.size}"${p.anchor === 'middle' ? ' text-anchor="middle"' : ''} ${style}>${escape(p.text)}</text>`;
  }
}

export interface CircuitSvgOptions {
  title?: string;
}

export function circuitSvg(circuit: CircuitData, options: CircuitSvgOptions = {}): string {
  const drawing = circuitDrawing(circuit, options.title);
  const { width, height } = drawing;
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="Helvetica, Arial, sans-serif">`,
    ...drawing.primitives.map(element),
    '</svg>',
  ].join('\n');
}
