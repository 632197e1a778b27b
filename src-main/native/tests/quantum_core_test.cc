// Test driver for the simulator core without N-API: built and run by src-main/quantum/native-core.test.ts.
// Prints one line per check and exits non-zero on the first failure.
#include <cmath>
#include <cstdio>
#include <cstring>
#include <random>
#include <vector>

#include "quantum/circuit.h"
#include "quantum/gates.h"
#include "quantum/lanes.h"

using namespace angio::quantum;

static int failures = 0;
static void Check(bool ok, const char* what, double value) {
  std::printf("%s %s (%.3g)\n", ok ? "ok  " : "FAIL", what, value);
  if (!ok) ++failures;
}

int main() {
  std::mt19937_64 rng(42);
  std::uniform_real_distribution<double> angle(-3.0, 3.0);

  {  // ⟨Z⟩ after RY(a) = cos a
    CircuitSpec spec{1, 1, Rotation::RZ, Entangler::CnotRing, false};
    double u = 0.7, theta = 1.3, z = 0;
    Forward(spec, &u, 1, &theta, &z, 1);
    Check(std::fabs(z - std::cos(u)) < 1e-15, "RY(a) gives cos a", z - std::cos(u));
  }
  {  // every gate's adjoint step undoes its apply (U†U = 1) on a random state
    const int qubits = 4;
    std::vector<double> re(16), im(16), re0, im0;
    for (int i = 0; i < 16; ++i) { re[i] = angle(rng); im[i] = angle(rng); }
    re0 = re; im0 = im;
    std::vector<double> bre(16, 0.0), bim(16, 0.0);
    StateView ket{re.data(), im.data(), qubits}, bra{bre.data(), bim.data(), qubits};
    const int wires[2] = {3, 1};
    double worst = 0;
    for (int kind = 0; kind < kGateKinds; ++kind) {
      const GateKernel& k = Kernel(static_cast<GateKind>(kind));
      k.apply(ket, wires, std::cos(0.4), std::sin(0.4));
      k.adjointStep(ket, bra, wires, std::cos(0.4), std::sin(0.4));
      for (int i = 0; i < 16; ++i) worst = std::fmax(worst, std::fabs(re[i] - re0[i]) + std::fabs(im[i] - im0[i]));
    }
    Check(worst < 1e-14, "each gate's adjoint step inverts its apply", worst);
  }
  {  // adjoint gradient vs central differences, and bit-identical reduction over thread counts
    CircuitSpec spec{5, 3, Rotation::Rot, Entangler::CnotRing, true};
    const std::size_t batch = 9, q = 5, p = ParamCount(spec);
    std::vector<double> u(batch * q), theta(p), g(batch * q), out(batch * q);
    for (auto& x : u) x = angle(rng);
    for (auto& x : theta) x = angle(rng);
    for (auto& x : g) x = angle(rng) / 3;
    std::vector<double> gu(batch * q), gp(p);
    Backward(spec, u.data(), batch, theta.data(), g.data(), gu.data(), gp.data(), nullptr, 1);
    auto loss = [&](const std::vector<double>& th) {
      Forward(spec, u.data(), batch, th.data(), out.data(), 1);
      double sum = 0;
      for (std::size_t i = 0; i < out.size(); ++i) sum += g[i] * out[i];
      return sum;
    };
    double worst = 0;
    for (std::size_t i = 0; i < p; ++i) {
      auto plus = theta, minus = theta;
      plus[i] += 1e-5;
      minus[i] -= 1e-5;
      worst = std::fmax(worst, std::fabs((loss(plus) - loss(minus)) / 2e-5 - gp[i]));
    }
    Check(worst < 1e-6, "dL/dθ equals central differences", worst);
    bool identical = true;
    for (int threads : {2, 3, 4, 0}) {
      std::vector<double> gu2(batch * q), gp2(p);
      Backward(spec, u.data(), batch, theta.data(), g.data(), gu2.data(), gp2.data(), nullptr, threads);
      identical = identical && std::memcmp(gp.data(), gp2.data(), p * sizeof(double)) == 0
                  && std::memcmp(gu.data(), gu2.data(), gu.size() * sizeof(double)) == 0;
    }
    Check(identical, "gradients bit-identical for 1, 2, 3, 4, all threads", 0);
  }
  {  // the sample-lane kernels: against the one-sample final state, and portable against the CPU's choice
    double worstState = 0, worstIsa = 0, worstOneSample = 0;
    for (int qubits : {1, 3, 6, 9, 14}) {
      for (Entangler entangler : {Entangler::CnotRing, Entangler::CnotChain, Entangler::CzRing}) {
        CircuitSpec spec{qubits, 3, Rotation::Rot, entangler, qubits % 2 == 1};
        const std::size_t batch = 7, q = qubits, p = ParamCount(spec), n = std::size_t{1} << qubits;
        std::vector<double> u(batch * q), theta(p), g(batch * q), out(batch * q), re(n), im(n);
        for (auto& x : u) x = angle(rng);
        for (auto& x : theta) x = angle(rng);
        for (auto& x : g) x = angle(rng);
        Forward(spec, u.data(), batch, theta.data(), out.data(), 2);
        for (std::size_t b = 0; b < batch; ++b) {
          FinalState(spec, u.data() + b * q, theta.data(), re.data(), im.data());
          for (int wire = 0; wire < qubits; ++wire) {
            double z = 0;
            for (std::size_t i = 0; i < n; ++i) {
              z += ((i >> (qubits - 1 - wire)) & 1 ? -1.0 : 1.0) * (re[i] * re[i] + im[i] * im[i]);
            }
            worstState = std::fmax(worstState, std::fabs(z - out[b * q + wire]));
          }
        }
        std::vector<double> gu(batch * q), gp(p), gu2(batch * q), gp2(p), out2(batch * q);
        Backward(spec, u.data(), batch, theta.data(), g.data(), gu.data(), gp.data(), nullptr, 1);
        auto compare = [&](double& worst) {
          Forward(spec, u.data(), batch, theta.data(), out2.data(), 2);
          Backward(spec, u.data(), batch, theta.data(), g.data(), gu2.data(), gp2.data(), nullptr, 1);
          for (std::size_t i = 0; i < out.size(); ++i) worst = std::fmax(worst, std::fabs(out[i] - out2[i]));
          for (std::size_t i = 0; i < gu.size(); ++i) worst = std::fmax(worst, std::fabs(gu[i] - gu2[i]));
          for (std::size_t i = 0; i < p; ++i) worst = std::fmax(worst, std::fabs(gp[i] - gp2[i]));
        };
        ForcePortableLanes(true);
        compare(worstIsa);
        ForcePortableLanes(false);
        ForceOneSampleKernels(true);  // the kernels every circuit above kLaneMaxQubits runs
        compare(worstOneSample);
        ForceOneSampleKernels(false);
      }
    }
    {  // one qubit has no entangler: every layer's rotations form one run on the wire (here 3·40 + 1 gates)
      CircuitSpec spec{1, 40, Rotation::Rot, Entangler::CnotRing, false};
      std::vector<double> u(3), theta(ParamCount(spec)), g(3, 1.0), gu(3), gp(theta.size()), out(3), re(2), im(2);
      for (auto& x : u) x = angle(rng);
      for (auto& x : theta) x = angle(rng);
      Backward(spec, u.data(), 3, theta.data(), g.data(), gu.data(), gp.data(), out.data(), 1);
      for (std::size_t b = 0; b < 3; ++b) {
        FinalState(spec, &u[b], theta.data(), re.data(), im.data());
        worstState = std::fmax(worstState, std::fabs(re[0] * re[0] + im[0] * im[0] - re[1] * re[1] - im[1] * im[1] - out[b]));
      }
    }
    Check(worstState < 1e-12, "lane forward equals ⟨Z⟩ of the one-sample final state", worstState);
    Check(worstIsa < 1e-12, "portable lane kernels agree with the CPU's choice", worstIsa);
    Check(worstOneSample < 1e-12, "lane kernels agree with the one-sample kernels (forward and gradients)", worstOneSample);
    std::printf("lane kernels: %s\n", LaneKernels());
  }
  {  // typed errors
    CircuitSpec spec{21, 1, Rotation::RY, Entangler::CnotRing, false};
    const char* code = "";
    try { Validate(spec, 1); } catch (const CircuitError& e) { code = e.code; }
    Check(std::strcmp(code, "invalid-circuit-spec") == 0, "21 qubits is an invalid-circuit-spec", 0);
    double bad[2] = {0.0, NAN};
    code = "";
    try { RequireFinite(bad, 2, "inputs"); } catch (const CircuitError& e) { code = e.code; }
    Check(std::strcmp(code, "invalid-circuit-input") == 0, "NaN input is an invalid-circuit-input", 0);
  }
  std::printf("%d failed\n", failures);
  return failures == 0 ? 0 : 1;
}
