// Test driver for the simulator core without N-API: built and run by src-main/quantum/native-core.test.ts.
// Prints one line per check and exits non-zero on the first failure.
#include <cmath>
#include <cstdio>
#include <cstring>
#include <random>
#include <vector>

#include "quantum/circuit.h"
#include "quantum/gates.h"

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
