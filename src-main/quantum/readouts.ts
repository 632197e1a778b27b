// Readouts over the simulator's outputs (batch × Q row-major ⟨Z_q⟩): one qubit's column, and the outputs with
// one qubit's expectation replaced by a baseline (for per-qubit attribution: how much does qubit q matter).

/** ⟨Z_q⟩ of every sample (length batch). */
export function qubitExpectation(outputs: Float64Array, qubits: number, qubit: number): Float64Array {
  checkQubit(outputs, qubits, qubit);
  const batch = outputs.length / qubits;
  const column = new Float64Array(batch);
  for (let b = 0; b < batch; b++) column[b] = outputs[b * qubits + qubit]!;
  return column;
}

/** A copy of `outputs` with qubit q's expectation set to `baseline` (a number, or one value per sample). */
export function withQubitBaseline(
  outputs: Float64Array,
  qubits: number,
  qubit: number,
  baseline: number | Float64Array,
): Float64Array {
  checkQubit(outputs, qubits, qubit);
  const batch = outputs.length / qubits;
  if (typeof baseline !== 'number' && baseline.length !== batch) {
    throw new RangeError(`baseline has ${baseline.length} values; expected one per sample (${batch})`);
  }
  const replaced = outputs.slice();
  for (let b = 0; b < batch; b++) replaced[b * qubits + qubit] = typeof baseline === 'number' ? baseline : baseline[b]!;
  return replaced;
}

function checkQubit(outputs: Float64Array, qubits: number, qubit: number): void {
  if (!Number.isInteger(qubit) || qubit < 0 || qubit >= qubits) throw new RangeError(`qubit ${qubit} is not in 0..${qubits - 1}`);
  if (outputs.length % qubits !== 0) throw new RangeError(`outputs length ${outputs.length} is not a multiple of ${qubits}`);
}
