// Gate kernels over split re/im statevectors. Wire w is bit (Q−1−w) of the basis index (wire 0 = MSB).
// Single-qubit kernels walk amplitude pairs (i, i + stride); one generic body per gate is instantiated for
// scalars (stride 1) and for two-lane SSE2 vectors over consecutive pairs (stride ≥ 2).
#include "quantum/gates.h"

#include <cstddef>
#include <utility>

namespace angio::quantum {

namespace {

using Index = std::size_t;
typedef double Lanes __attribute__((vector_size(16)));
typedef double UnalignedLanes __attribute__((vector_size(16), aligned(8)));

inline double Load(const double* p, double) { return *p; }
inline Lanes Load(const double* p, Lanes) { return *reinterpret_cast<const UnalignedLanes*>(p); }
inline void Store(double* p, double v) { *p = v; }
inline void Store(double* p, Lanes v) { *reinterpret_cast<UnalignedLanes*>(p) = v; }
inline double Sum(double v) { return v; }
inline double Sum(Lanes v) { return v[0] + v[1]; }

inline Index Stride(const StateView& state, int wire) { return Index{1} << (state.qubits - 1 - wire); }
inline Index Size(const StateView& state) { return Index{1} << state.qubits; }

/** body(r0, i0, r1, i1) updates one amplitude pair of `state` in place (by reference). */
template <class T, class Body>
inline void PairLoop(const StateView& st, Index stride, Index step, Body& body) {
  const Index n = Size(st);
  double* __restrict re = st.re;
  double* __restrict im = st.im;
  for (Index base = 0; base < n; base += 2 * stride) {
    for (Index a = base; a < base + stride; a += step) {
      const Index b = a + stride;
      T r0 = Load(re + a, T{}), i0 = Load(im + a, T{}), r1 = Load(re + b, T{}), i1 = Load(im + b, T{});
      body(r0, i0, r1, i1);
      Store(re + a, r0); Store(im + a, i0); Store(re + b, r1); Store(im + b, i1);
    }
  }
}

template <class Body>
void ForEachPair(const StateView& st, int wire, Body body) {
  const Index stride = Stride(st, wire);
  if (stride == 1) PairLoop<double>(st, stride, 1, body);
  else PairLoop<Lanes>(st, stride, 2, body);
}

/** body(kr0, ki0, kr1, ki1, br0, bi0, br1, bi1) → this pair's overlap term; updates both pairs in place. */
template <class T, class Body>
inline double PairLoop2(const StateView& ket, const StateView& bra, Index stride, Index step, Body& body) {
  const Index n = Size(ket);
  double* __restrict kr = ket.re;
  double* __restrict ki = ket.im;
  double* __restrict br = bra.re;
  double* __restrict bi = bra.im;
  T acc{};
  for (Index base = 0; base < n; base += 2 * stride) {
    for (Index a = base; a < base + stride; a += step) {
      const Index b = a + stride;
      T kr0 = Load(kr + a, T{}), ki0 = Load(ki + a, T{}), kr1 = Load(kr + b, T{}), ki1 = Load(ki + b, T{});
      T br0 = Load(br + a, T{}), bi0 = Load(bi + a, T{}), br1 = Load(br + b, T{}), bi1 = Load(bi + b, T{});
      acc += body(kr0, ki0, kr1, ki1, br0, bi0, br1, bi1);
      Store(kr + a, kr0); Store(ki + a, ki0); Store(kr + b, kr1); Store(ki + b, ki1);
      Store(br + a, br0); Store(bi + a, bi0); Store(br + b, br1); Store(bi + b, bi1);
    }
  }
  return Sum(acc);
}

template <class Body>
double ForEachPair2(const StateView& ket, const StateView& bra, int wire, Body body) {
  const Index stride = Stride(ket, wire);
  if (stride == 1) return PairLoop2<double>(ket, bra, stride, 1, body);
  return PairLoop2<Lanes>(ket, bra, stride, 2, body);
}

// Inverse updates shared by the adjoint steps (forward kernels are the same with s → −s).
template <class T>
inline void UndoRX(T& r0, T& i0, T& r1, T& i1, double c, double s) {
  const T a = r0, b = i0, d = r1, e = i1;  // RX† = [[c, is], [is, c]]
  r0 = c * a - s * e; i0 = c * b + s * d; r1 = c * d - s * b; i1 = c * e + s * a;
}
template <class T>
inline void UndoRY(T& r0, T& i0, T& r1, T& i1, double c, double s) {
  const T a = r0, b = i0, d = r1, e = i1;  // RY† = [[c, s], [−s, c]]
  r0 = c * a + s * d; i0 = c * b + s * e; r1 = c * d - s * a; i1 = c * e - s * b;
}
template <class T>
inline void UndoRZ(T& r0, T& i0, T& r1, T& i1, double c, double s) {
  const T a = r0, b = i0, d = r1, e = i1;  // RZ† = diag(c + is, c − is)
  r0 = c * a - s * b; i0 = c * b + s * a; r1 = c * d + s * e; i1 = c * e - s * d;
}

// ---- RX = exp(−iθX/2) = [[c, −is], [−is, c]], generator X ----
Mat2 MatrixRX(double c, double s) { return {c, 0, 0, -s, 0, -s, c, 0}; }
void ApplyRX(StateView st, const int* w, double c, double s) {
  ForEachPair(st, w[0], [=](auto& r0, auto& i0, auto& r1, auto& i1) { UndoRX(r0, i0, r1, i1, c, -s); });
}
double AdjointRX(StateView ket, StateView bra, const int* w, double c, double s) {
  return ForEachPair2(ket, bra, w[0], [=](auto& kr0, auto& ki0, auto& kr1, auto& ki1, auto& br0, auto& bi0,
                                           auto& br1, auto& bi1) {
    const auto term = (br0 * ki1 - bi0 * kr1) + (br1 * ki0 - bi1 * kr0);  // Im⟨bra|X ket⟩ on this pair
    UndoRX(kr0, ki0, kr1, ki1, c, s);
    UndoRX(br0, bi0, br1, bi1, c, s);
    return term;
  });
}

// ---- RY = exp(−iθY/2) = [[c, −s], [s, c]], generator Y = [[0, −i], [i, 0]] ----
Mat2 MatrixRY(double c, double s) { return {c, 0, -s, 0, s, 0, c, 0}; }
void ApplyRY(StateView st, const int* w, double c, double s) {
  ForEachPair(st, w[0], [=](auto& r0, auto& i0, auto& r1, auto& i1) { UndoRY(r0, i0, r1, i1, c, -s); });
}
double AdjointRY(StateView ket, StateView bra, const int* w, double c, double s) {
  return ForEachPair2(ket, bra, w[0], [=](auto& kr0, auto& ki0, auto& kr1, auto& ki1, auto& br0, auto& bi0,
                                           auto& br1, auto& bi1) {
    const auto term = (br1 * kr0 + bi1 * ki0) - (br0 * kr1 + bi0 * ki1);
    UndoRY(kr0, ki0, kr1, ki1, c, s);
    UndoRY(br0, bi0, br1, bi1, c, s);
    return term;
  });
}

// ---- RZ = exp(−iθZ/2) = diag(c − is, c + is), generator Z ----
Mat2 MatrixRZ(double c, double s) { return {c, -s, 0, 0, 0, 0, c, s}; }
void ApplyRZ(StateView st, const int* w, double c, double s) {
  ForEachPair(st, w[0], [=](auto& r0, auto& i0, auto& r1, auto& i1) { UndoRZ(r0, i0, r1, i1, c, -s); });
}
double AdjointRZ(StateView ket, StateView bra, const int* w, double c, double s) {
  return ForEachPair2(ket, bra, w[0], [=](auto& kr0, auto& ki0, auto& kr1, auto& ki1, auto& br0, auto& bi0,
                                           auto& br1, auto& bi1) {
    const auto term = (br0 * ki0 - bi0 * kr0) - (br1 * ki1 - bi1 * kr1);
    UndoRZ(kr0, ki0, kr1, ki1, c, s);
    UndoRZ(br0, bi0, br1, bi1, c, s);
    return term;
  });
}

/** Calls f(i) for every basis index with both wires' bits set to the given values. */
template <class F>
inline void ForEachWithBits(const StateView& state, int a, int b, bool bitA, bool bitB, F&& f) {
  const Index maskA = Stride(state, a), maskB = Stride(state, b);
  const Index low = maskA < maskB ? maskA : maskB, high = maskA < maskB ? maskB : maskA;
  const Index quarter = Size(state) >> 2;
  const Index set = (bitA ? maskA : 0) | (bitB ? maskB : 0);
  for (Index k = 0; k < quarter; ++k) {
    Index i = ((k & ~(low - 1)) << 1) | (k & (low - 1));  // insert zero bits at `low` then `high`
    i = ((i & ~(high - 1)) << 1) | (i & (high - 1));
    f(i | set);
  }
}

inline Index WireMask(int qubits, int wire) { return Index{1} << (qubits - 1 - wire); }

// ---- CNOT(control, target): flips the target where the control is 1; self-inverse ----
void ApplyCNOT(StateView st, const int* w, double, double) {
  const Index flip = Stride(st, w[1]);
  ForEachWithBits(st, w[0], w[1], true, false, [&](Index i) {
    std::swap(st.re[i], st.re[i | flip]);
    std::swap(st.im[i], st.im[i | flip]);
  });
}
double AdjointCNOT(StateView ket, StateView bra, const int* w, double c, double s) {
  ApplyCNOT(ket, w, c, s);
  ApplyCNOT(bra, w, c, s);
  return 0;
}
void MapCNOT(Index& index, double&, const int* w, int qubits) {
  if (index & WireMask(qubits, w[0])) index ^= WireMask(qubits, w[1]);
}

// ---- CZ(a, b): −1 on |11⟩; self-inverse ----
void ApplyCZ(StateView st, const int* w, double, double) {
  ForEachWithBits(st, w[0], w[1], true, true, [&](Index i) {
    st.re[i] = -st.re[i];
    st.im[i] = -st.im[i];
  });
}
double AdjointCZ(StateView ket, StateView bra, const int* w, double c, double s) {
  ApplyCZ(ket, w, c, s);
  ApplyCZ(bra, w, c, s);
  return 0;
}
void MapCZ(Index& index, double& sign, const int* w, int qubits) {
  const Index both = WireMask(qubits, w[0]) | WireMask(qubits, w[1]);
  if ((index & both) == both) sign = -sign;
}

const GateKernel kKernels[kGateKinds] = {
    {"RX", 1, true, MatrixRX, ApplyRX, AdjointRX, nullptr},
    {"RY", 1, true, MatrixRY, ApplyRY, AdjointRY, nullptr},
    {"RZ", 1, true, MatrixRZ, ApplyRZ, AdjointRZ, nullptr},
    {"CNOT", 2, false, nullptr, ApplyCNOT, AdjointCNOT, MapCNOT},
    {"CZ", 2, false, nullptr, ApplyCZ, AdjointCZ, MapCZ},
};

}  // namespace

const GateKernel& Kernel(GateKind kind) { return kKernels[static_cast<int>(kind)]; }

Mat2 Identity2() { return {1, 0, 0, 0, 0, 0, 1, 0}; }

Mat2 Multiply(const Mat2& l, const Mat2& r) {
  auto mulRe = [](double ar, double ai, double br, double bi) { return ar * br - ai * bi; };
  auto mulIm = [](double ar, double ai, double br, double bi) { return ar * bi + ai * br; };
  return {
      mulRe(l.ar, l.ai, r.ar, r.ai) + mulRe(l.br, l.bi, r.cr, r.ci),
      mulIm(l.ar, l.ai, r.ar, r.ai) + mulIm(l.br, l.bi, r.cr, r.ci),
      mulRe(l.ar, l.ai, r.br, r.bi) + mulRe(l.br, l.bi, r.dr, r.di),
      mulIm(l.ar, l.ai, r.br, r.bi) + mulIm(l.br, l.bi, r.dr, r.di),
      mulRe(l.cr, l.ci, r.ar, r.ai) + mulRe(l.dr, l.di, r.cr, r.ci),
      mulIm(l.cr, l.ci, r.ar, r.ai) + mulIm(l.dr, l.di, r.cr, r.ci),
      mulRe(l.cr, l.ci, r.br, r.bi) + mulRe(l.dr, l.di, r.dr, r.di),
      mulIm(l.cr, l.ci, r.br, r.bi) + mulIm(l.dr, l.di, r.dr, r.di),
  };
}

void ApplyMatrix(StateView st, int wire, const Mat2& m) {
  ForEachPair(st, wire, [&](auto& r0, auto& i0, auto& r1, auto& i1) {
    const auto a = r0, b = i0, d = r1, e = i1;
    r0 = m.ar * a - m.ai * b + m.br * d - m.bi * e;
    i0 = m.ar * b + m.ai * a + m.br * e + m.bi * d;
    r1 = m.cr * a - m.ci * b + m.dr * d - m.di * e;
    i1 = m.cr * b + m.ci * a + m.dr * e + m.di * d;
  });
}

}  // namespace angio::quantum
