// Batched statevector simulation of the circuit family: forward with per-wire fusion of single-qubit gates,
// and the adjoint-method backward (one reverse sweep, inverse gates on bra and ket, no stored states). Up to
// kLaneMaxQubits the samples run 4 at a time in the lane kernels (lanes.h); this file's one-sample kernels take
// larger circuits and FinalState.
#include "quantum/circuit.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <string>
#include <vector>

#include "quantum/gates.h"
#include "quantum/lanes.h"
#include "quantum/prepared.h"
#include "quantum/tape.h"
#include "quantum/thread_pool.h"

namespace angio::quantum {

namespace {

constexpr int kMaxThreads = 256;

Block BuildBlock(std::vector<TapeOp> ops, int qubits) {
  const std::size_t n = std::size_t{1} << qubits;
  Block block;
  block.ops = std::move(ops);
  block.fwdFrom.resize(n); block.invFrom.resize(n); block.fwdSign.resize(n); block.invSign.resize(n);
  for (std::size_t i = 0; i < n; ++i) {
    std::size_t to = i;
    double sign = 1.0;
    for (const TapeOp& op : block.ops) Kernel(op.gate).mapBasis(to, sign, op.wires, qubits);
    if (to != i) block.diagonal = false;
    if (sign != 1.0) block.allPositive = false;
    block.invFrom[i] = static_cast<std::uint32_t>(to);
    block.invSign[i] = sign;
    block.fwdFrom[to] = static_cast<std::uint32_t>(i);
    block.fwdSign[to] = sign;
  }
  return block;
}

bool SameOps(const std::vector<TapeOp>& a, const std::vector<TapeOp>& b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (a[i].gate != b[i].gate || a[i].wires[0] != b[i].wires[0] || a[i].wires[1] != b[i].wires[1]) return false;
  }
  return true;
}

/** One worker's buffers, reused across its samples. */
struct Workspace {
  explicit Workspace(int qubits)
      : size(std::size_t{1} << qubits),
        ketRe(size), ketIm(size), braRe(size), braIm(size), spareRe(size), spareIm(size), weight(size),
        inputCos(qubits), inputSin(qubits), pending(qubits), hasPending(qubits) {}
  std::size_t size;
  std::vector<double> ketRe, ketIm, braRe, braIm, spareRe, spareIm, weight;
  std::vector<double> inputCos, inputSin;
  std::vector<Mat2> pending;
  std::vector<char> hasPending;

  StateView Ket(int qubits) { return {ketRe.data(), ketIm.data(), qubits}; }
  StateView Bra(int qubits) { return {braRe.data(), braIm.data(), qubits}; }
};

/** state ← block (or its inverse); permutations gather into the spare buffers, which then swap in. */
void ApplyBlock(const Block& block, bool inverse, std::vector<double>& re, std::vector<double>& im,
                Workspace& ws) {
  const std::size_t n = ws.size;
  const double* __restrict sign = inverse ? block.invSign.data() : block.fwdSign.data();
  if (block.diagonal) {
    double* __restrict r = re.data();
    double* __restrict m = im.data();
    for (std::size_t i = 0; i < n; ++i) {
      r[i] *= sign[i];
      m[i] *= sign[i];
    }
    return;
  }
  const std::uint32_t* __restrict from = inverse ? block.invFrom.data() : block.fwdFrom.data();
  const double* __restrict r = re.data();
  const double* __restrict m = im.data();
  double* __restrict outR = ws.spareRe.data();
  double* __restrict outM = ws.spareIm.data();
  for (std::size_t i = 0; i < n; ++i) {
    outR[i] = sign[i] * r[from[i]];
    outM[i] = sign[i] * m[from[i]];
  }
  re.swap(ws.spareRe);
  im.swap(ws.spareIm);
}

struct Angle {
  double c, s;
};

inline Angle AngleOf(const TapeOp& op, const Prepared& p, const Workspace& ws) {
  switch (op.source) {
    case AngleSource::Input: return {ws.inputCos[op.index], ws.inputSin[op.index]};
    case AngleSource::Param: return {p.paramCos[op.index], p.paramSin[op.index]};
    default: return {1.0, 0.0};
  }
}

/** The product state ⊗_q pending[q]|0⟩ (wire 0 most significant), built by repeated doubling. */
void BuildProductState(Workspace& ws, int qubits) {
  double* re = ws.ketRe.data();
  double* im = ws.ketIm.data();
  re[0] = 1.0;
  im[0] = 0.0;
  std::size_t size = 1;
  for (int q = 0; q < qubits; ++q) {
    const Mat2& m = ws.pending[q];  // first column (a, c) is m|0⟩
    for (std::size_t k = size; k-- > 0;) {
      const double r = re[k], i = im[k];
      re[2 * k] = r * m.ar - i * m.ai;
      im[2 * k] = r * m.ai + i * m.ar;
      re[2 * k + 1] = r * m.cr - i * m.ci;
      im[2 * k + 1] = r * m.ci + i * m.cr;
    }
    size *= 2;
    ws.pending[q] = Identity2();
    ws.hasPending[q] = 0;
  }
}

void FlushWire(Workspace& ws, int qubits, int wire) {
  if (!ws.hasPending[wire]) return;
  ApplyMatrix(ws.Ket(qubits), wire, ws.pending[wire]);
  ws.pending[wire] = Identity2();
  ws.hasPending[wire] = 0;
}

/**
 * Leaves the sample's final state in ws.ket. Consecutive single-qubit gates on a wire are multiplied into one
 * 2×2 matrix, applied only when an entangler touches that wire; until the first entangler the state is a
 * product state and is built directly.
 */
void SimulateSample(const Prepared& p, const double* inputRow, Workspace& ws) {
  const int qubits = p.spec.qubits;
  HalfAngles(inputRow, static_cast<std::size_t>(qubits), ws.inputCos.data(), ws.inputSin.data());
  std::fill(ws.pending.begin(), ws.pending.end(), Identity2());
  std::fill(ws.hasPending.begin(), ws.hasPending.end(), 0);
  bool product = true;
  for (const Step& step : p.steps) {
    if (step.op >= 0) {
      const TapeOp& op = p.tape[step.op];
      const Angle angle = AngleOf(op, p, ws);
      ws.pending[op.wires[0]] = Multiply(Kernel(op.gate).matrix(angle.c, angle.s), ws.pending[op.wires[0]]);
      ws.hasPending[op.wires[0]] = 1;
      continue;
    }
    const Block& block = p.blocks[step.block];
    if (product) {
      BuildProductState(ws, qubits);
      product = false;
    } else {
      for (const TapeOp& op : block.ops) {
        FlushWire(ws, qubits, op.wires[0]);
        FlushWire(ws, qubits, op.wires[1]);
      }
    }
    ApplyBlock(block, false, ws.ketRe, ws.ketIm, ws);
  }
  if (product) {
    BuildProductState(ws, qubits);
  } else {
    for (int q = 0; q < qubits; ++q) FlushWire(ws, qubits, q);
  }
}

/** ⟨Z_q⟩ of ws.ket for every wire; uses ws.weight for the probabilities. */
void ExpectationsZ(Workspace& ws, int qubits, double* out) {
  const std::size_t n = ws.size;
  double* prob = ws.weight.data();
  for (std::size_t i = 0; i < n; ++i) prob[i] = ws.ketRe[i] * ws.ketRe[i] + ws.ketIm[i] * ws.ketIm[i];
  for (int q = 0; q < qubits; ++q) {
    const std::size_t stride = std::size_t{1} << (qubits - 1 - q);
    double sum = 0;
    for (std::size_t base = 0; base < n; base += 2 * stride) {
      for (std::size_t i = base; i < base + stride; ++i) sum += prob[i] - prob[i + stride];
    }
    out[q] = sum;
  }
}

/** bra = H ket with H = Σ_q g_q Z_q, diagonal: h(i) = Σ_q g_q (1 − 2·bit_q(i)), built by doubling. */
void ApplyWeightedZ(Workspace& ws, int qubits, const double* g) {
  double* h = ws.weight.data();
  h[0] = 0.0;
  std::size_t size = 1;
  for (int q = 0; q < qubits; ++q) {
    for (std::size_t k = size; k-- > 0;) {
      const double base = h[k];
      h[2 * k] = base + g[q];
      h[2 * k + 1] = base - g[q];
    }
    size *= 2;
  }
  for (std::size_t i = 0; i < ws.size; ++i) {
    ws.braRe[i] = h[i] * ws.ketRe[i];
    ws.braIm[i] = h[i] * ws.ketIm[i];
  }
}

/** Splits [0, batch) into `tasks` contiguous ranges; each task gets its own workspace. */
template <class F>
void ForEachSample(const CircuitSpec& spec, std::size_t batch, int threads, F&& perSample) {
  const int tasks = ResolveThreads(threads, batch);
  ThreadPool::Shared().Run(tasks, [&](int task) {
    const std::size_t begin = batch * task / tasks, end = batch * (task + 1) / tasks;
    Workspace ws(spec.qubits);
    for (std::size_t b = begin; b < end; ++b) perSample(b, ws);
  });
}

/** Splits the batch into groups of kLanes samples and the groups into `tasks` contiguous ranges. */
template <class F>
void ForEachLaneGroup(const CircuitSpec& spec, std::size_t batch, int threads, F&& perGroup) {
  const std::size_t groups = (batch + kLanes - 1) / kLanes;
  const int tasks = std::min(ResolveThreads(threads, batch), static_cast<int>(std::max<std::size_t>(groups, 1)));
  ThreadPool::Shared().Run(tasks, [&](int task) {
    const std::size_t begin = groups * task / tasks, end = groups * (task + 1) / tasks;
    if (begin == end) return;
    LaneWorkspace ws(spec.qubits, ParamCount(spec));
    for (std::size_t g = begin; g < end; ++g) {
      const std::size_t first = g * kLanes;
      perGroup(first, std::min<std::size_t>(kLanes, batch - first), ws);
    }
  });
}

}  // namespace

/** cos(θ/2), sin(θ/2) for each angle, computed once per call (params) or once per sample (inputs). */
void HalfAngles(const double* angles, std::size_t count, double* cosHalf, double* sinHalf) {
  for (std::size_t i = 0; i < count; ++i) {
    cosHalf[i] = std::cos(0.5 * angles[i]);
    sinHalf[i] = std::sin(0.5 * angles[i]);
  }
}

Prepared Prepare(const CircuitSpec& spec, const double* params) {
  Prepared p{spec, BuildTape(spec), {}, {}, {}, {}};
  for (std::size_t i = 0; i < p.tape.size();) {
    if (Kernel(p.tape[i].gate).wires == 1) {
      p.steps.push_back({static_cast<int>(i), -1});
      ++i;
      continue;
    }
    std::vector<TapeOp> run;
    for (; i < p.tape.size() && Kernel(p.tape[i].gate).wires == 2; ++i) run.push_back(p.tape[i]);
    int found = -1;
    for (std::size_t b = 0; b < p.blocks.size(); ++b) {
      if (SameOps(p.blocks[b].ops, run)) found = static_cast<int>(b);
    }
    if (found < 0) {
      p.blocks.push_back(BuildBlock(std::move(run), spec.qubits));
      found = static_cast<int>(p.blocks.size() - 1);
    }
    p.steps.push_back({-1, found});
  }
  const auto count = static_cast<std::size_t>(ParamCount(spec));
  p.paramCos.resize(count);
  p.paramSin.resize(count);
  HalfAngles(params, count, p.paramCos.data(), p.paramSin.data());
  return p;
}

int AnglesPerRotation(Rotation rotation) { return rotation == Rotation::Rot ? 3 : 1; }

int ParamCount(const CircuitSpec& spec) { return spec.layers * spec.qubits * AnglesPerRotation(spec.rotation); }

int ResolveThreads(int threads, std::size_t batch) {
  int wanted = threads <= 0 ? ThreadPool::HardwareThreads() : std::min(threads, kMaxThreads);
  if (batch < static_cast<std::size_t>(wanted)) wanted = static_cast<int>(batch);
  return std::max(wanted, 1);
}

std::size_t WorkingBytes(const CircuitSpec& spec, std::size_t batch, int threads) {
  const std::size_t amplitudes = std::size_t{1} << spec.qubits;
  const std::size_t perWorker = UseLanes(spec)
                                    ? LaneWorkspaceBytes(spec) + sizeof(LaneSlot) * static_cast<std::size_t>(ParamCount(spec))
                                    : 7 * 8 * amplitudes;
  const std::size_t workers = static_cast<std::size_t>(ResolveThreads(threads, batch)) * perWorker;
  const std::size_t blocks = 2 * 12 * amplitudes;  // one entangler's forward and inverse gather tables
  return workers + blocks + batch * static_cast<std::size_t>(ParamCount(spec)) * sizeof(double);
}

void Validate(const CircuitSpec& spec, std::size_t batch) { Validate(spec, batch, 0, kMaxWorkingBytes); }

void Validate(const CircuitSpec& spec, std::size_t batch, int threads, std::size_t maxWorkingBytes) {
  if (spec.qubits < 1 || spec.qubits > kMaxQubits) {
    throw CircuitError("invalid-circuit-spec", "circuit has " + std::to_string(spec.qubits)
                                                   + " qubits; the simulator supports 1 to "
                                                   + std::to_string(kMaxQubits) + ": choose fewer qubits");
  }
  if (spec.layers < 1 || spec.layers > kMaxLayers) {
    throw CircuitError("invalid-circuit-spec", "circuit has " + std::to_string(spec.layers)
                                                   + " layers; use 1 to " + std::to_string(kMaxLayers));
  }
  const int rotation = static_cast<int>(spec.rotation), entangler = static_cast<int>(spec.entangler);
  if (rotation < 0 || rotation > 3 || entangler < 0 || entangler > 2) {
    throw CircuitError("invalid-circuit-spec", "circuit has an unknown rotation or entangler");
  }
  const std::size_t bytes = WorkingBytes(spec, batch, threads);
  if (bytes > maxWorkingBytes) {
    throw CircuitError("circuit-too-large",
                       "simulating " + std::to_string(batch) + " samples of " + std::to_string(spec.qubits)
                           + " qubits needs " + std::to_string(bytes >> 20) + " MiB, over the "
                           + std::to_string(maxWorkingBytes >> 20)
                           + " MiB cap: use a smaller batch, fewer threads or fewer qubits");
  }
}

void RequireFinite(const double* values, std::size_t count, const char* what) {
  for (std::size_t i = 0; i < count; ++i) {
    if (!std::isfinite(values[i])) {
      throw CircuitError("invalid-circuit-input", std::string(what) + "[" + std::to_string(i) + "] is "
                                                      + std::to_string(values[i])
                                                      + "; angles must be finite radians");
    }
  }
}

void Forward(const CircuitSpec& spec, const double* inputs, std::size_t batch, const double* params,
             double* expectations, int threads) {
  Validate(spec, batch);
  const Prepared prepared = Prepare(spec, params);
  const auto q = static_cast<std::size_t>(spec.qubits);
  if (UseLanes(spec)) {
    ForEachLaneGroup(spec, batch, threads, [&](std::size_t first, std::size_t count, LaneWorkspace& ws) {
      ForwardLanes(prepared, inputs + first * q, count, expectations + first * q, ws);
    });
    return;
  }
  ForEachSample(spec, batch, threads, [&](std::size_t b, Workspace& ws) {
    SimulateSample(prepared, inputs + b * q, ws);
    ExpectationsZ(ws, spec.qubits, expectations + b * q);
  });
}

void FinalState(const CircuitSpec& spec, const double* inputRow, const double* params, double* stateRe,
                double* stateIm) {
  Validate(spec, 1);
  const Prepared prepared = Prepare(spec, params);
  Workspace ws(spec.qubits);
  SimulateSample(prepared, inputRow, ws);
  std::copy(ws.ketRe.begin(), ws.ketRe.end(), stateRe);
  std::copy(ws.ketIm.begin(), ws.ketIm.end(), stateIm);
}

void Backward(const CircuitSpec& spec, const double* inputs, std::size_t batch, const double* params,
              const double* gradOutput, double* gradInputs, double* gradParams, double* expectations,
              int threads) {
  Validate(spec, batch);
  const Prepared prepared = Prepare(spec, params);
  const auto q = static_cast<std::size_t>(spec.qubits);
  const auto p = static_cast<std::size_t>(ParamCount(spec));
  // One gradient row per sample, reduced below in sample order: identical bits for any thread count.
  std::vector<double> rows(batch * p, 0.0);
  if (UseLanes(spec)) {
    ForEachLaneGroup(spec, batch, threads, [&](std::size_t first, std::size_t count, LaneWorkspace& ws) {
      BackwardLanes(prepared, inputs + first * q, count, gradOutput + first * q, gradInputs + first * q,
                    rows.data() + first * p, expectations == nullptr ? nullptr : expectations + first * q, ws);
    });
  } else {
    ForEachSample(spec, batch, threads, [&](std::size_t b, Workspace& ws) {
      SimulateSample(prepared, inputs + b * q, ws);
      if (expectations != nullptr) ExpectationsZ(ws, spec.qubits, expectations + b * q);
      ApplyWeightedZ(ws, spec.qubits, gradOutput + b * q);
      double* gradIn = gradInputs + b * q;
      std::fill(gradIn, gradIn + q, 0.0);
      double* row = rows.data() + b * p;
      // One reverse sweep: each gate's generator overlap Im⟨bra|G ket⟩, then its inverse on bra and ket.
      for (auto step = prepared.steps.rbegin(); step != prepared.steps.rend(); ++step) {
        if (step->block >= 0) {
          ApplyBlock(prepared.blocks[step->block], true, ws.ketRe, ws.ketIm, ws);
          ApplyBlock(prepared.blocks[step->block], true, ws.braRe, ws.braIm, ws);
          continue;
        }
        const TapeOp& op = prepared.tape[step->op];
        const Angle angle = AngleOf(op, prepared, ws);
        const double overlap =
            Kernel(op.gate).adjointStep(ws.Ket(spec.qubits), ws.Bra(spec.qubits), op.wires, angle.c, angle.s);
        if (op.source == AngleSource::Input) gradIn[op.index] += overlap;
        else if (op.source == AngleSource::Param) row[op.index] += overlap;
      }
    });
  }
  std::fill(gradParams, gradParams + p, 0.0);
  for (std::size_t b = 0; b < batch; ++b) {
    const double* row = rows.data() + b * p;
    for (std::size_t j = 0; j < p; ++j) gradParams[j] += row[j];
  }
}

}  // namespace angio::quantum
