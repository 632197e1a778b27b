#include "binding/runtime_binding.h"

#include "engine/runtime_info.h"

namespace angio::binding {
namespace {

Napi::Value RuntimeInfo(const Napi::CallbackInfo& info) {
  const auto runtime = engine::ReadRuntimeInfo();
  auto out = Napi::Object::New(info.Env());
  out.Set("libtorch", runtime.libtorch);
  out.Set("atenCpuCapability", runtime.atenCpuCapability);
  out.Set("onednn", runtime.onednn);
  out.Set("onednnIsa", runtime.onednnIsa);
  out.Set("openblas", runtime.openblas);
  out.Set("openblasCore", runtime.openblasCore);
  return out;
}

}  // namespace

void RegisterRuntime(Napi::Env env, Napi::Object exports) {
  exports.Set("runtimeInfo", Napi::Function::New(env, RuntimeInfo, "runtimeInfo"));
}

}  // namespace angio::binding
