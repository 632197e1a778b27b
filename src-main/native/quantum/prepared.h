// The circuit compiled once per call: its tape, the steps (single-qubit ops and entangler blocks) and θ's
// half-angles. Shared by the one-sample kernels (circuit.cc) and the sample-lane kernels (lanes.cc).
#pragma once

#include <cstdint>
#include <vector>

#include "quantum/circuit.h"
#include "quantum/tape.h"

namespace angio::quantum {

/**
 * A run of consecutive two-qubit gates (an entangler) as one signed permutation: U|i⟩ = sign[i]|to[i]⟩.
 * Forward gathers new[j] = fwdSign[j]·old[fwdFrom[j]]; the inverse gathers new[i] = sign[i]·old[to[i]].
 */
struct Block {
  std::vector<TapeOp> ops;
  bool diagonal = true;  // only signs (CZ ring): applied in place
  bool allPositive = true;  // every sign is +1 (CNOT runs): the gather needs no multiply
  std::vector<std::uint32_t> fwdFrom, invFrom;
  std::vector<double> fwdSign, invSign;
};

/** One step of the compiled circuit: a single-qubit tape op, or a whole entangler block. */
struct Step {
  int op = -1;     // index into the tape (single-qubit gate), or −1
  int block = -1;  // index into blocks, or −1
};

/** What every sample of one call shares: the tape, its steps, the entangler blocks and θ's half-angles. */
struct Prepared {
  CircuitSpec spec;
  std::vector<TapeOp> tape;
  std::vector<Step> steps;
  std::vector<Block> blocks;
  std::vector<double> paramCos, paramSin;
};

Prepared Prepare(const CircuitSpec& spec, const double* params);

/** cos(θ/2), sin(θ/2) for each angle. */
void HalfAngles(const double* angles, std::size_t count, double* cosHalf, double* sinHalf);

}  // namespace angio::quantum
