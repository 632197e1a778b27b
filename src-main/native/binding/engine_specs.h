// Reads the training engine's option objects from JavaScript: every field optional (the engine's defaults apply),
// every present field type-checked and range-checked for its C++ type. The engine core checks what the values
// mean (engine/validation.h); this layer makes sure each one can be represented at all.
#pragma once

#include <napi.h>

#include "binding/arguments.h"
#include "engine/session.h"
#include "quantum/circuit.h"

namespace angio::binding {

engine::SessionSpec ReadSessionSpec(const Reader& read, const Napi::Object& object);
engine::StageSpec ReadStageSpec(const Reader& read, const Napi::Object& object);
engine::DistributedSpec ReadDistributedSpec(const Reader& read, const Napi::Object& object);
/** {qubits, layers, rotation: RX|RY|RZ|Rot, entangler: CnotRing|CnotChain|CzRing, reupload}, checked by the simulator. */
quantum::CircuitSpec ReadProbeCircuit(const Reader& read, const Napi::Object& object);

}  // namespace angio::binding
