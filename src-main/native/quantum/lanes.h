// Sample lanes: kLanes samples of one call simulated side by side, amplitude i of every lane held in one SIMD
// vector (structure of arrays over the batch). Every gate after the encoding has the same matrix in all lanes,
// so each pass over the state is plain vector arithmetic with broadcast coefficients, whatever the wire's stride.
#pragma once

#include <cstddef>
#include <vector>

#include "quantum/prepared.h"

namespace angio::quantum {

constexpr int kLanes = 4;
/** Above this the lane workspace (7·32·2^Q bytes per worker) passes 14 MiB; the one-sample kernels run instead. */
constexpr int kLaneMaxQubits = 16;

/** kLanes doubles, aligned so that a lane vector never straddles a cache line. */
struct alignas(kLanes * sizeof(double)) LaneSlot {
  double lane[kLanes];
};

/** One worker's buffers for a lane group, reused across its groups. */
struct LaneWorkspace {
  LaneWorkspace(int qubits, int params);
  std::size_t size;
  std::vector<LaneSlot> ketRe, ketIm, braRe, braIm, spareRe, spareIm, weight;
  std::vector<LaneSlot> inputCos, inputSin, gradInputs, gradParams;
};

/** Whether Forward/Backward run this circuit in lanes (Q ≤ kLaneMaxQubits, unless tests asked for one sample). */
bool UseLanes(const CircuitSpec& spec);

/** Per-worker bytes of a LaneWorkspace (the 7 state-sized arrays dominate). */
std::size_t LaneWorkspaceBytes(const CircuitSpec& spec);

/**
 * ⟨Z_q⟩ for `count` ≤ kLanes consecutive samples: inputs and expectations point at the group's first row.
 * Lanes past `count` repeat the first sample and are discarded.
 */
void ForwardLanes(const Prepared& p, const double* inputs, std::size_t count, double* expectations, LaneWorkspace& ws);

/**
 * The adjoint sweep for `count` ≤ kLanes consecutive samples: writes their dL/du rows and per-sample dL/dθ rows
 * (count × P, from gradRows), and ⟨Z_q⟩ when expectations is not null.
 */
void BackwardLanes(const Prepared& p, const double* inputs, std::size_t count, const double* gradOutput,
                   double* gradInputs, double* gradRows, double* expectations, LaneWorkspace& ws);

/** Which kernels the lanes run: "avx2" (AVX2 + FMA, chosen when the CPU has them) or "portable". */
const char* LaneKernels();
/** For tests: run the portable kernels even where AVX2 is available (true), or choose by CPU again (false). */
void ForcePortableLanes(bool portable);
/** For tests: run every circuit through the one-sample kernels (true), or lanes up to kLaneMaxQubits (false). */
void ForceOneSampleKernels(bool oneSample);

}  // namespace angio::quantum
