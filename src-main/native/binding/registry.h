// Each capability's binding adds one Register* function; RegisterAll calls them in a fixed order.
#pragma once
#include <napi.h>

#define ANGIO_NATIVE_VERSION "0.1.0"

namespace angio::binding {

void RegisterAll(Napi::Env env, Napi::Object exports);

}  // namespace angio::binding
