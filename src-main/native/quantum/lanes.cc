// The lane kernels (lanes_kernels.inc) compiled twice: portable (the addon's baseline ISA, vectors split in two)
// and AVX2 + FMA, chosen once by what the CPU reports. Both give the same results to rounding (FMA contracts).
#include "quantum/lanes.h"

#include <atomic>
#include <cmath>
#include <cstdint>
#include <vector>

#include "quantum/gates.h"

#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__)
#define ANGIO_LANES_AVX2 1
#else
#define ANGIO_LANES_AVX2 0
#endif

namespace angio::quantum {

// Every function taking or returning V is inlined, so the vector ABI note (-Wpsabi) does not apply.
#pragma GCC diagnostic ignored "-Wpsabi"
namespace lanes_portable {
typedef double V __attribute__((vector_size(kLanes * sizeof(double))));
#include "quantum/lanes_kernels.inc"
}  // namespace lanes_portable

#if ANGIO_LANES_AVX2
#pragma GCC push_options
#pragma GCC target("avx2,fma")
namespace lanes_avx2 {
typedef double V __attribute__((vector_size(kLanes * sizeof(double))));
#include "quantum/lanes_kernels.inc"
}  // namespace lanes_avx2
#pragma GCC pop_options
#endif

namespace {

std::atomic<bool> forcePortable{false};
std::atomic<bool> forceOneSample{false};

bool Avx2() {
#if ANGIO_LANES_AVX2
  static const bool available = __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
  return available && !forcePortable.load(std::memory_order_relaxed);
#else
  return false;
#endif
}

}  // namespace

LaneWorkspace::LaneWorkspace(int qubits, int params)
    : size(std::size_t{1} << qubits),
      ketRe(size), ketIm(size), braRe(size), braIm(size), spareRe(size), spareIm(size), weight(size),
      inputCos(qubits), inputSin(qubits), gradInputs(qubits), gradParams(params) {}

bool UseLanes(const CircuitSpec& spec) {
  return spec.qubits <= kLaneMaxQubits && !forceOneSample.load(std::memory_order_relaxed);
}

std::size_t LaneWorkspaceBytes(const CircuitSpec& spec) {
  return 7 * sizeof(LaneSlot) * (std::size_t{1} << spec.qubits);
}

void ForwardLanes(const Prepared& p, const double* inputs, std::size_t count, double* expectations,
                  LaneWorkspace& ws) {
#if ANGIO_LANES_AVX2
  if (Avx2()) return lanes_avx2::Forward(p, inputs, count, expectations, ws);
#endif
  lanes_portable::Forward(p, inputs, count, expectations, ws);
}

void BackwardLanes(const Prepared& p, const double* inputs, std::size_t count, const double* gradOutput,
                   double* gradInputs, double* gradRows, double* expectations, LaneWorkspace& ws) {
#if ANGIO_LANES_AVX2
  if (Avx2()) return lanes_avx2::Backward(p, inputs, count, gradOutput, gradInputs, gradRows, expectations, ws);
#endif
  lanes_portable::Backward(p, inputs, count, gradOutput, gradInputs, gradRows, expectations, ws);
}

const char* LaneKernels() { return Avx2() ? "avx2" : "portable"; }

void ForcePortableLanes(bool portable) { forcePortable.store(portable, std::memory_order_relaxed); }

void ForceOneSampleKernels(bool oneSample) { forceOneSample.store(oneSample, std::memory_order_relaxed); }

}  // namespace angio::quantum
