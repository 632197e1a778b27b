// What the CPU kernels of this process are: libtorch's version and the kernel set ATen dispatches to, oneDNN's
// version and the instruction set it settled on, OpenBLAS's build and core. Run records name them, because the
// same seed gives different weights under different kernels (reproducible runs pin them; training/cpu-kernels.ts).
#pragma once
#include <string>

namespace angio::engine {

struct RuntimeInfo {
  std::string libtorch;           // TORCH_VERSION of the headers the addon was built against
  std::string atenCpuCapability;  // "AVX2", "AVX512", "NO AVX" (at::show_config)
  std::string onednn;             // "2.6.3", empty when libdnnl is not a shared library of this process
  std::string onednnIsa;          // dnnl_get_effective_cpu_isa as oneDNN names it ("avx2", "avx512_core", …)
  std::string openblas;           // openblas_get_config(), empty without a shared OpenBLAS
  std::string openblasCore;       // openblas_get_corename()
};

// Asking oneDNN for its ISA fixes it for the life of the process: call only after the environment is final.
RuntimeInfo ReadRuntimeInfo();

}  // namespace angio::engine
