#include "binding/registry.h"

namespace angio::binding {

// Capabilities declare their registration here as they land (quantum, engine).

void RegisterAll(Napi::Env env, Napi::Object exports) {
  (void)env;
  (void)exports;
}

}  // namespace angio::binding
