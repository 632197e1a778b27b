// The quantum layer's circuit family and its batched statevector kernels: plain C++, no N-API, no libtorch.
// Used by the N-API binding (binding/quantum_binding.cc) and by the libtorch engine's autograd function.
//
// Units and layout (written once here):
//  - angles in radians, float64;
//  - inputs u: batch × Q, row-major (u[b*Q + q]); outputs ⟨Z_q⟩: batch × Q, row-major;
//  - params θ: layer-major, then qubit, then rotation angle (Rot has 3 angles φ,θ,ω; RX/RY/RZ have 1):
//    θ[(l*Q + q)*A + a] with A = AnglesPerRotation(rotation);
//  - qubit (wire) q corresponds to bit (Q-1-q) of the basis-state index: wire 0 is the most significant bit,
//    as in PennyLane (|q0 q1 … q_{Q-1}⟩).
#pragma once

#include <cstddef>
#include <stdexcept>
#include <string>

namespace angio::quantum {

enum class Rotation { RX, RY, RZ, Rot };
enum class Entangler { CnotRing, CnotChain, CzRing };

struct CircuitSpec {
  int qubits = 8;           // Q, 1..20
  int layers = 3;           // L, >= 1
  Rotation rotation = Rotation::Rot;
  Entangler entangler = Entangler::CnotRing;
  bool reupload = false;    // repeat the RY(u) encoding before every layer
};

constexpr int kMaxQubits = 20;

int AnglesPerRotation(Rotation rotation);
int ParamCount(const CircuitSpec& spec);

/** Throws std::invalid_argument with a readable reason when the spec or sizes are out of range. */
void Validate(const CircuitSpec& spec, std::size_t batch);

/** ⟨Z_q⟩ for every sample; `threads` workers split the batch (0 = hardware concurrency). */
void Forward(const CircuitSpec& spec, const double* inputs, std::size_t batch, const double* params,
             double* expectations, int threads);

/**
 * Adjoint-method gradients for L = Σ_b Σ_q gradOutput[b,q]·⟨Z_q⟩_b: writes dL/du (batch × Q) and dL/dθ
 * summed over the batch in a fixed order, so the result is bit-identical for any thread count.
 * `expectations` may be null; when given, it receives the forward outputs as a by-product.
 */
void Backward(const CircuitSpec& spec, const double* inputs, std::size_t batch, const double* params,
              const double* gradOutput, double* gradInputs, double* gradParams, double* expectations, int threads);

// ---- Typed errors, a memory cap and value checks, so bad sizes are refused here as well as in the binding. ----

/** What went wrong, as a stable code the binding forwards to JavaScript (`error.code`). */
struct CircuitError : std::invalid_argument {
  CircuitError(const char* code, const std::string& message) : std::invalid_argument(message), code(code) {}
  const char* code;  // "invalid-circuit-spec" | "invalid-circuit-input" | "circuit-too-large"
};

constexpr int kMaxLayers = 1000;
/** Default cap on one call's working memory (statevectors held by the workers + per-sample buffers). */
constexpr std::size_t kMaxWorkingBytes = std::size_t{4} << 30;

/** Workers that `threads` asks for (0 = hardware concurrency), never more than the batch. */
int ResolveThreads(int threads, std::size_t batch);

/**
 * Bytes one Forward/Backward call holds at once: each worker keeps 7 arrays of 2^Q amplitudes (ket, bra and a
 * spare, re and im, plus a per-basis-state weight), 4 samples wide up to kLaneMaxQubits (lanes.h, plus a 4-wide
 * gradient slot per parameter) and one sample wide above; the call keeps the entangler's gather tables (2 × 12 B
 * per basis state) and per-sample parameter-gradient rows (batch × P float64). Inputs and outputs are the caller's.
 */
std::size_t WorkingBytes(const CircuitSpec& spec, std::size_t batch, int threads);

/** Validate plus the memory cap; throws CircuitError ("circuit-too-large") when WorkingBytes exceeds the cap. */
void Validate(const CircuitSpec& spec, std::size_t batch, int threads, std::size_t maxWorkingBytes);

/** The final statevector of one sample (2^Q amplitudes, index bits ordered as above), for tests and inspection. */
void FinalState(const CircuitSpec& spec, const double* inputRow, const double* params, double* stateRe,
                double* stateIm);

/** Throws CircuitError ("invalid-circuit-input") naming the first NaN/±Inf in `values` (what = "inputs", …). */
void RequireFinite(const double* values, std::size_t count, const char* what);

}  // namespace angio::quantum
