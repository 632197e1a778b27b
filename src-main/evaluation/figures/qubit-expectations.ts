// Fig. 6: what each qubit reads out on test images with and without stenosis — one box per qubit and class
// (quartiles, whiskers at min and max), so a reader sees at a glance which qubits separate the classes and which
// sit at the same value for both (a quantum path that carries no class information).
import type { TopLevelSpec } from 'vega-lite';
import { percentile } from '../percentile.ts';
import { FIGURE_CONFIG, MODEL_COLOURS } from './theme.ts';

export interface QubitBox {
  qubit: number;
  label: 'stenosis' | 'no stenosis';
  min: number;
  q1: number;
  median: number;
  q3: number;
  max: number;
}

/** Box statistics (numpy.percentile's interpolation) of ⟨Z_q⟩ per qubit and class; expectations is images × qubits. */
export function qubitBoxes(expectations: readonly (readonly number[])[], labels: ArrayLike<number>): QubitBox[] {
  const qubits = expectations[0]?.length ?? 0;
  const boxes: QubitBox[] = [];
  for (let qubit = 0; qubit < qubits; qubit++) {
    for (const [value, label] of [[1, 'stenosis'], [0, 'no stenosis']] as const) {
      const values = expectations.filter((_, i) => labels[i] === value).map((z) => z[qubit]!).sort((a, b) => a - b);
      if (values.length === 0) continue;
      boxes.push({ qubit, label, min: values[0]!, q1: percentile(values, 0.25), median: percentile(values, 0.5), q3: percentile(values, 0.75), max: values.at(-1)! });
    }
  }
  return boxes;
}

export function qubitExpectationsSpec(boxes: readonly QubitBox[], title: string): TopLevelSpec {
  const qubits = [...new Set(boxes.map((b) => `q${b.qubit}`))];
  const x = { field: 'name', type: 'nominal', sort: qubits, title: 'Qubit', axis: { labelAngle: 0 } } as const;
  const colour = { field: 'label', type: 'nominal', scale: { domain: ['stenosis', 'no stenosis'], range: [MODEL_COLOURS[2]!, MODEL_COLOURS[0]!] }, legend: { title: null, orient: 'bottom' } } as const;
  const y = { type: 'quantitative' as const, scale: { domain: [-1, 1] }, title: '⟨Z⟩' };
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title,
    config: FIGURE_CONFIG,
    data: { values: boxes.map((b) => ({ ...b, name: `q${b.qubit}` })) },
    width: Math.max(240, qubits.length * 56),
    height: 260,
    encoding: { x, xOffset: { field: 'label', type: 'nominal', sort: ['stenosis', 'no stenosis'] }, color: colour },
    layer: [
      { mark: { type: 'rule' }, encoding: { y: { ...y, field: 'min' }, y2: { field: 'max' } } },
      { mark: { type: 'bar', size: 14 }, encoding: { y: { ...y, field: 'q1' }, y2: { field: 'q3' } } },
      { mark: { type: 'tick', color: 'white', size: 14, thickness: 2 }, encoding: { y: { ...y, field: 'median' } } },
    ],
  };
}
