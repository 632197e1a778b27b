// The circuit family unrolled into a list of primitive gates (the "tape"), shared by forward and adjoint passes.
// The TypeScript circuit-as-data (src-main/quantum/circuit.ts) builds the same list in the same order.
#pragma once

#include <cstdint>
#include <vector>

#include "quantum/circuit.h"
#include "quantum/gates.h"

namespace angio::quantum {

enum class AngleSource : std::uint8_t { None, Input, Param };

struct TapeOp {
  GateKind gate;
  AngleSource source;  // where the angle comes from: u[b*Q + index], θ[index], or none (CNOT/CZ)
  int index;
  int wires[2];        // wires[1] only for two-qubit gates (target)
};

/**
 * Encoding RY(u_q) on every wire, then per layer: [encoding again when reupload], the rotation on every wire
 * (Rot(φ,θ,ω) = RZ(φ) then RY(θ) then RZ(ω)), then the entangler: chain CNOT(q,q+1) for q < Q−1; ring adds
 * the closing gate (Q−1 → 0) when Q > 2 (for Q = 2 it would repeat the chain's gate, as in PennyLane).
 */
std::vector<TapeOp> BuildTape(const CircuitSpec& spec);

}  // namespace angio::quantum
