// N-API export of engine/runtime_info.h: runtimeInfo() → plain object of strings; registered by registry.cc.
#pragma once
#include <napi.h>

namespace angio::binding {

void RegisterRuntime(Napi::Env env, Napi::Object exports);

}  // namespace angio::binding
