// Unrolls a CircuitSpec into primitive gates in application order.
#include "quantum/tape.h"

namespace angio::quantum {

namespace {

void AddEncoding(const CircuitSpec& spec, std::vector<TapeOp>& tape) {
  for (int q = 0; q < spec.qubits; ++q) tape.push_back({GateKind::RY, AngleSource::Input, q, {q, 0}});
}

void AddRotation(const CircuitSpec& spec, int layer, std::vector<TapeOp>& tape) {
  const int angles = AnglesPerRotation(spec.rotation);
  for (int q = 0; q < spec.qubits; ++q) {
    const int first = (layer * spec.qubits + q) * angles;
    switch (spec.rotation) {
      case Rotation::RX: tape.push_back({GateKind::RX, AngleSource::Param, first, {q, 0}}); break;
      case Rotation::RY: tape.push_back({GateKind::RY, AngleSource::Param, first, {q, 0}}); break;
      case Rotation::RZ: tape.push_back({GateKind::RZ, AngleSource::Param, first, {q, 0}}); break;
      case Rotation::Rot:
        tape.push_back({GateKind::RZ, AngleSource::Param, first, {q, 0}});
        tape.push_back({GateKind::RY, AngleSource::Param, first + 1, {q, 0}});
        tape.push_back({GateKind::RZ, AngleSource::Param, first + 2, {q, 0}});
        break;
    }
  }
}

void AddEntangler(const CircuitSpec& spec, std::vector<TapeOp>& tape) {
  const GateKind gate = spec.entangler == Entangler::CzRing ? GateKind::CZ : GateKind::CNOT;
  for (int q = 0; q + 1 < spec.qubits; ++q) tape.push_back({gate, AngleSource::None, -1, {q, q + 1}});
  if (spec.entangler != Entangler::CnotChain && spec.qubits > 2) {
    tape.push_back({gate, AngleSource::None, -1, {spec.qubits - 1, 0}});
  }
}

}  // namespace

std::vector<TapeOp> BuildTape(const CircuitSpec& spec) {
  std::vector<TapeOp> tape;
  AddEncoding(spec, tape);
  for (int layer = 0; layer < spec.layers; ++layer) {
    if (spec.reupload && layer > 0) AddEncoding(spec, tape);
    AddRotation(spec, layer, tape);
    AddEntangler(spec, tape);
  }
  return tape;
}

}  // namespace angio::quantum
