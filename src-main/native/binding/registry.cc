#include "binding/registry.h"
#include "binding/quantum_binding.h"
#include "binding/engine_binding.h"
#include "binding/runtime_binding.h"
#include "binding/jpeg_binding.h"

namespace angio::binding {

// Capabilities declare their registration here as they land (quantum, engine).

void RegisterAll(Napi::Env env, Napi::Object exports) {
  (void)env;
  (void)exports;
  RegisterQuantum(env, exports);
  RegisterEngine(env, exports);
  RegisterRuntime(env, exports);
  RegisterJpeg(env, exports);
}

}  // namespace angio::binding
