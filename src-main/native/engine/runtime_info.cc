#include "engine/runtime_info.h"

#include <ATen/Version.h>
#include <dlfcn.h>
#include <torch/version.h>

#include <cstdio>
#include <initializer_list>
#include <sstream>

namespace angio::engine {
namespace {

// oneDNN and OpenBLAS are loaded as libtorch's dependencies (not linked by the addon, and absent as separate
// libraries in a pytorch.org LibTorch): look them up among the libraries already loaded, never load them.
void* LoadedSymbol(std::initializer_list<const char*> libraries, const char* symbol) {
  for (const char* library : libraries) {
    void* handle = dlopen(library, RTLD_LAZY | RTLD_NOLOAD);
    if (!handle) continue;
    void* found = dlsym(handle, symbol);
    dlclose(handle);
    if (found) return found;
  }
  return nullptr;
}

// dnnl_cpu_isa_t of oneDNN 2.x (include/oneapi/dnnl/dnnl_types.h).
std::string OneDnnIsaName(int isa) {
  switch (isa) {
    case 0x0: return "all";
    case 0x1: return "sse41";
    case 0x3: return "avx";
    case 0x7: return "avx2";
    case 0xf: return "avx512_mic";
    case 0x1f: return "avx512_mic_4ops";
    case 0x27: return "avx512_core";
    case 0x67: return "avx512_core_vnni";
    case 0xe7: return "avx512_core_bf16";
    case 0x3e7: return "avx512_core_amx";
    default: {
      char hex[16];
      std::snprintf(hex, sizeof hex, "0x%x", isa);
      return hex;
    }
  }
}

std::string AtenCapability() {
  std::istringstream config(at::show_config());
  const std::string key = "CPU capability usage: ";
  for (std::string line; std::getline(config, line);) {
    auto at = line.find(key);
    if (at != std::string::npos) return line.substr(at + key.size());
  }
  return "";
}

struct OneDnnVersion {
  int major, minor, patch;
  const char* hash;
  unsigned cpuRuntime, gpuRuntime;
};

}  // namespace

RuntimeInfo ReadRuntimeInfo() {
  RuntimeInfo info;
  info.libtorch = TORCH_VERSION;
  info.atenCpuCapability = AtenCapability();
  const auto dnnl = {"libdnnl.so.2", "libdnnl.so.3"};
  if (auto version = reinterpret_cast<const OneDnnVersion* (*)()>(LoadedSymbol(dnnl, "dnnl_version"))) {
    const OneDnnVersion* v = version();
    info.onednn = std::to_string(v->major) + "." + std::to_string(v->minor) + "." + std::to_string(v->patch);
  }
  if (auto isa = reinterpret_cast<int (*)()>(LoadedSymbol(dnnl, "dnnl_get_effective_cpu_isa"))) info.onednnIsa = OneDnnIsaName(isa());
  const auto blas = {"libblas.so.3", "libopenblas.so.0"};
  if (auto config = reinterpret_cast<const char* (*)()>(LoadedSymbol(blas, "openblas_get_config"))) info.openblas = config();
  if (auto core = reinterpret_cast<const char* (*)()>(LoadedSymbol(blas, "openblas_get_corename"))) info.openblasCore = core();
  return info;
}

}  // namespace angio::engine
