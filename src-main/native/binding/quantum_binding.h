// N-API exports of the statevector simulator (quantum/circuit.h); registered by registry.cc.
#pragma once
#include <napi.h>

namespace angio::binding {

void RegisterQuantum(Napi::Env env, Napi::Object exports);

}  // namespace angio::binding
