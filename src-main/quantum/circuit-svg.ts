// Draws circuit data as a standalone SVG string: one horizontal line per wire (wire 0 on top), encoding gates
// in one colour, trainable rotations in another, CNOT as control dot + ⊕, CZ as two joined dots; a label per layer.
import type { CircuitData, CircuitOp } from './circuit.ts';

const WIRE_GAP = 46;
const COLUMN = 58;
const BOX_W = 44;
const BOX_H = 28;
const LEFT = 64;
const TOP = 40;

/** A drawn element: a gate (or a Rot merged from its three primitive gates) placed in a column. */
interface Placed {
  column: number;
  label: string;
  angle: string;
  ops: CircuitOp[];
}

function angleLabel(ops: CircuitOp[]): string {
  const refs = ops.map((op) => op.angle).filter((a) => a !== undefined);
  if (refs.length === 0) return '';
  const name = refs[0]!.source === 'input' ? 'u' : 'θ';
  const first = refs[0]!.index;
  const last = refs[refs.length - 1]!.index;
  return first === last ? `${name}${first}` : `${name}${first}–${last}`;
}

/** Merges Rot's RZ·RY·RZ back into one box, then places every element in the earliest free column. */
function place(circuit: CircuitData): Placed[] {
  const groups: CircuitOp[][] = [];
  const ops = circuit.ops;
  for (let i = 0; i < ops.length; i++) {
    const op = ops[i]!;
    if (circuit.spec.rotation === 'Rot' && op.role === 'rotation') {
      groups.push(ops.slice(i, i + 3));
      i += 2;
    } else {
      groups.push([op]);
    }
  }
  const nextFree = new Array<number>(circuit.spec.qubits).fill(0);
  return groups.map((group) => {
    const wires = group[0]!.wires;
    const lo = Math.min(...wires);
    const hi = Math.max(...wires);
    let column = 0;
    for (let w = lo; w <= hi; w++) column = Math.max(column, nextFree[w]!);
    for (let w = lo; w <= hi; w++) nextFree[w] = column + 1;
    const label = group.length === 3 ? 'Rot' : group[0]!.gate;
    return { column, label, angle: angleLabel(group), ops: group };
  });
}

const escape = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

export interface CircuitSvgOptions {
  title?: string;
}

export function circuitSvg(circuit: CircuitData, options: CircuitSvgOptions = {}): string {
  const Q = circuit.spec.qubits;
  const placed = place(circuit);
  const columns = placed.reduce((max, p) => Math.max(max, p.column + 1), 0);
  const width = LEFT + columns * COLUMN + 40;
  const height = TOP + Q * WIRE_GAP + 10;
  const x = (column: number) => LEFT + column * COLUMN + COLUMN / 2;
  const y = (wire: number) => TOP + wire * WIRE_GAP + WIRE_GAP / 2;
  const parts: string[] = [];
  parts.push(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="Helvetica, Arial, sans-serif">`,
    `<rect width="${width}" height="${height}" fill="#ffffff"/>`,
  );
  const title = options.title ?? `${Q} qubits · ${circuit.spec.layers} layers · ${circuit.spec.rotation} · ${circuit.spec.entangler}${circuit.spec.reupload ? ' · re-upload' : ''}`;
  parts.push(`<text x="8" y="16" font-size="12" fill="#333">${escape(title)}</text>`);

  // Layer bands: from the first to the last column each layer's elements occupy.
  for (let layer = 0; layer < circuit.spec.layers; layer++) {
    const cols = placed.filter((p) => p.ops[0]!.layer === layer && p.ops[0]!.role !== 'encoding').map((p) => p.column);
    if (cols.length === 0) continue;
    const x0 = x(Math.min(...cols)) - COLUMN / 2 + 2;
    const x1 = x(Math.max(...cols)) + COLUMN / 2 - 2;
    parts.push(
      `<rect x="${x0}" y="${TOP - 6}" width="${x1 - x0}" height="${Q * WIRE_GAP + 6}" fill="${layer % 2 ? '#f4f6fb' : '#eef2f9'}" stroke="#c5cde0" stroke-dasharray="4 3"/>`,
      `<text x="${(x0 + x1) / 2}" y="${TOP - 10}" font-size="11" text-anchor="middle" fill="#556">layer ${layer + 1}</text>`,
    );
  }
  for (let w = 0; w < Q; w++) {
    parts.push(
      `<text x="8" y="${y(w) + 4}" font-size="12" fill="#222">q${w} |0⟩</text>`,
      `<line x1="${LEFT - 4}" y1="${y(w)}" x2="${width - 20}" y2="${y(w)}" stroke="#444" stroke-width="1.2"/>`,
      `<text x="${width - 16}" y="${y(w) + 4}" font-size="11" fill="#222">⟨Z⟩</text>`,
    );
  }
  for (const p of placed) {
    const op = p.ops[0]!;
    const cx = x(p.column);
    if (op.gate === 'CNOT' || op.gate === 'CZ') {
      const [a, b] = op.wires as [number, number];
      parts.push(`<line x1="${cx}" y1="${y(a)}" x2="${cx}" y2="${y(b)}" stroke="#222" stroke-width="1.4"/>`);
      parts.push(`<circle cx="${cx}" cy="${y(a)}" r="4.5" fill="#222"/>`);
      if (op.gate === 'CZ') {
        parts.push(`<circle cx="${cx}" cy="${y(b)}" r="4.5" fill="#222"/>`);
      } else {
        parts.push(
          `<circle cx="${cx}" cy="${y(b)}" r="9" fill="#fff" stroke="#222" stroke-width="1.4"/>`,
          `<line x1="${cx - 9}" y1="${y(b)}" x2="${cx + 9}" y2="${y(b)}" stroke="#222" stroke-width="1.4"/>`,
          `<line x1="${cx}" y1="${y(b) - 9}" x2="${cx}" y2="${y(b) + 9}" stroke="#222" stroke-width="1.4"/>`,
        );
      }
      continue;
    }
    const wy = y(op.wires[0]!);
    const encoding = op.role === 'encoding';
    parts.push(
      `<rect x="${cx - BOX_W / 2}" y="${wy - BOX_H / 2}" width="${BOX_W}" height="${BOX_H}" rx="4" fill="${encoding ? '#fde7c8' : '#d6e4ff'}" stroke="${encoding ? '#c98a2b' : '#3b64b3'}"/>`,
      `<text x="${cx}" y="${wy - 1}" font-size="11" text-anchor="middle" fill="#111">${escape(p.label)}</text>`,
      `<text x="${cx}" y="${wy + 10}" font-size="9" text-anchor="middle" fill="#444">${escape(p.angle)}</text>`,
    );
  }
  parts.push('</svg>');
  return parts.join('\n');
}
