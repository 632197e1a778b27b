// Entry of the one native addon: each capability (quantum simulator, libtorch engine) registers its exports here.
// Capabilities keep their cores free of N-API; only the files under binding/ convert values.
#include <napi.h>

#include "binding/registry.h"

namespace {

Napi::Value Version(const Napi::CallbackInfo& info) {
  return Napi::String::New(info.Env(), ANGIO_NATIVE_VERSION);
}

Napi::Object Init(Napi::Env env, Napi::Object exports) {
  exports.Set("version", Napi::Function::New(env, Version, "version"));
  angio::binding::RegisterAll(env, exports);
  return exports;
}

}  // namespace

NODE_API_MODULE(angio_native, Init)
