// Lays circuit data out as plain drawing primitives (lines, boxes, dots, text) with a role each: one horizontal
// line per wire (wire 0 on top), encoding gates and trainable rotations as labelled boxes, CNOT as control dot + ⊕,
// CZ as two joined dots, a band per layer. The layout is data so that every drawer shares it: circuit-svg.ts writes
// a standalone SVG for files, the Viewer draws the same primitives as DOM elements (no markup strings cross IPC).
import type { CircuitData, CircuitOp } from './circuit.ts';

const WIRE_GAP = 46;
const COLUMN = 58;
const BOX_W = 44;
const BOX_H = 28;
const LEFT = 64;
const TOP = 40;

/** What a primitive stands for: drawers choose colours by role (light for files, dark in the app). */
export type DrawingRole =
  | 'background'
  | 'title'
  | 'layer-band'
  | 'layer-band-alt'
  | 'layer-label'
  | 'wire'
  | 'wire-label'
  | 'readout-label'
  | 'link'
  | 'control'
  | 'target'
  | 'target-cross'
  | 'gate-encoding'
  | 'gate-rotation'
  | 'gate-label'
  | 'angle-label';

export type DrawingPrimitive =
  | { kind: 'line'; role: DrawingRole; x1: number; y1: number; x2: number; y2: number; wire?: number }
  | { kind: 'rect'; role: DrawingRole; x: number; y: number; width: number; height: number }
  | { kind: 'circle'; role: DrawingRole; cx: number; cy: number; r: number }
  | { kind: 'text'; role: DrawingRole; x: number; y: number; text: string; size: number; anchor: 'start' | 'middle' };

export interface CircuitDrawing {
  width: number;
  height: number;
  qubits: number;
  title: string;
  primitives: DrawingPrimitive[];
}

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

export function circuitTitle(circuit: CircuitData): string {
  const s = circuit.spec;
  return `${s.qubits} qubits · ${s.layers} layers · ${s.rotation} · ${s.entangler}${s.reupload ? ' · re-upload' : ''}`;
}

export function circuitDrawing(circuit: CircuitData, title = circuitTitle(circuit)): CircuitDrawing {
  const Q = circuit.spec.qubits;
  const placed = place(circuit);
  const columns = placed.reduce((max, p) => Math.max(max, p.column + 1), 0);
  const width = LEFT + columns * COLUMN + 40;
  const height = TOP + Q * WIRE_GAP + 10;
  const x = (column: number) => LEFT + column * COLUMN + COLUMN / 2;
  const y = (wire: number) => TOP + wire * WIRE_GAP + WIRE_GAP / 2;
  const text = (role: DrawingRole, tx: number, ty: number, value: string, size: number, anchor: 'start' | 'middle' = 'start'): DrawingPrimitive => ({ kind: 'text', role, x: tx, y: ty, text: value, size, anchor });
  const line = (role: DrawingRole, x1: number, y1: number, x2: number, y2: number): DrawingPrimitive => ({ kind: 'line', role, x1, y1, x2, y2 });
  const out: DrawingPrimitive[] = [{ kind: 'rect', role: 'background', x: 0, y: 0, width, height }, text('title', 8, 16, title, 12)];

  // Layer bands: from the first to the last column each layer's elements occupy.
  for (let layer = 0; layer < circuit.spec.layers; layer++) {
    const cols = placed.filter((p) => p.ops[0]!.layer === layer && p.ops[0]!.role !== 'encoding').map((p) => p.column);
    if (cols.length === 0) continue;
    const x0 = x(Math.min(...cols)) - COLUMN / 2 + 2;
    const x1 = x(Math.max(...cols)) + COLUMN / 2 - 2;
    out.push(
      { kind: 'rect', role: layer % 2 ? 'layer-band-alt' : 'layer-band', x: x0, y: TOP - 6, width: x1 - x0, height: Q * WIRE_GAP + 6 },
      text('layer-label', (x0 + x1) / 2, TOP - 10, `layer ${layer + 1}`, 11, 'middle'),
    );
  }
  for (let w = 0; w < Q; w++) {
    out.push(
      text('wire-label', 8, y(w) + 4, `q${w} |0⟩`, 12),
      { kind: 'line', role: 'wire', x1: LEFT - 4, y1: y(w), x2: width - 20, y2: y(w), wire: w },
      text('readout-label', width - 16, y(w) + 4, '⟨Z⟩', 11),
    );
  }
  for (const p of placed) {
    const op = p.ops[0]!;
    const cx = x(p.column);
    if (op.gate === 'CNOT' || op.gate === 'CZ') {
      const [a, b] = op.wires as [number, number];
      out.push(line('link', cx, y(a), cx, y(b)), { kind: 'circle', role: 'control', cx, cy: y(a), r: 4.5 });
      if (op.gate === 'CZ') out.push({ kind: 'circle', role: 'control', cx, cy: y(b), r: 4.5 });
      else out.push({ kind: 'circle', role: 'target', cx, cy: y(b), r: 9 }, line('target-cross', cx - 9, y(b), cx + 9, y(b)), line('target-cross', cx, y(b) - 9, cx, y(b) + 9));
      continue;
    }
    const wy = y(op.wires[0]!);
    out.push(
      { kind: 'rect', role: op.role === 'encoding' ? 'gate-encoding' : 'gate-rotation', x: cx - BOX_W / 2, y: wy - BOX_H / 2, width: BOX_W, height: BOX_H },
      text('gate-label', cx, wy - 1, p.label, 11, 'middle'),
      text('angle-label', cx, wy + 10, p.angle, 9, 'middle'),
    );
  }
  return { width, height, qubits: Q, title, primitives: out };
}
