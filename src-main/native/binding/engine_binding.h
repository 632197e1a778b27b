// N-API surface of the libtorch training engine (engine/session.h, engine/probes.h).
#pragma once
#include <napi.h>

namespace angio::binding {

/** Adds `TrainingSession` (class) and `engineProbes` (parity entry points) to the addon's exports. */
void RegisterEngine(Napi::Env env, Napi::Object exports);

}  // namespace angio::binding
