// N-API exports of the JPEG lossless decoder (jpeg/lossless_decoder.h); registered by registry.cc.
#pragma once
#include <napi.h>

namespace angio::binding {

void RegisterJpeg(Napi::Env env, Napi::Object exports);

}  // namespace angio::binding
