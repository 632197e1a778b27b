// The gate kernels as one table: each gate kind names its statevector update, its inverse (s → −s) and its
// fused adjoint step (generator overlap + inverse on bra and ket in one pass). Plain C++ over split re/im arrays.
#pragma once

#include <cstddef>
#include <cstdint>

namespace angio::quantum {

/** A statevector of 2^qubits amplitudes, real and imaginary parts in separate arrays (vectorisable loops). */
struct StateView {
  double* re;
  double* im;
  int qubits;
};

/** Row-major complex 2×2 matrix [[a, b], [c, d]], for fusing consecutive single-qubit gates on one wire. */
struct Mat2 {
  double ar, ai, br, bi, cr, ci, dr, di;
};

enum class GateKind : std::uint8_t { RX, RY, RZ, CNOT, CZ };
constexpr int kGateKinds = 5;

/**
 * One gate kind. Rotations R(θ) = exp(−iθG/2) take c = cos(θ/2), s = sin(θ/2); passing −s applies R(θ)†.
 * `adjointStep` returns Im⟨bra|G ket⟩ (= ∂⟨H⟩/∂θ when bra = (U_n…U_{i+1})† H ψ and ket = ψ_i) and then applies
 * U† to both states; fixed gates return 0 and only apply their inverse.
 */
struct GateKernel {
  const char* name;  // PennyLane's operation name
  int wires;         // 1 or 2 (control, target)
  bool parametric;
  Mat2 (*matrix)(double c, double s);  // single-qubit gates only, else null
  void (*apply)(StateView state, const int* wires, double c, double s);
  double (*adjointStep)(StateView ket, StateView bra, const int* wires, double c, double s);
  /** Two-qubit gates that map basis states to ±basis states: U|index⟩ = sign·|index'⟩ (else null). */
  void (*mapBasis)(std::size_t& index, double& sign, const int* wires, int qubits);
};

const GateKernel& Kernel(GateKind kind);

Mat2 Identity2();
/** left · right (apply `right` first). */
Mat2 Multiply(const Mat2& left, const Mat2& right);
void ApplyMatrix(StateView state, int wire, const Mat2& m);

}  // namespace angio::quantum
