#!/usr/bin/env bash
# Builds the training engine against a CUDA libtorch and checks it on the GPU against the same engine on the CPU
# (src-main/native/tests/engine_device_check.cc): same starting weights, agreeing losses and predictions, models
# and checkpoints that cross devices, bit-identical resume on the GPU, and SimCLR step throughput on both.
# Usage on a GPU machine with PyTorch installed (its libtorch is used): bash scripts/gpu-check.sh [out-folder]
# LIBTORCH=/path/to/libtorch picks another unpacked libtorch. Without a GPU it checks that cuda is refused.
set -euo pipefail
cd "$(dirname "$0")/../src-main/native"
out="${1:-/tmp/gpu-check}"
mkdir -p "$out/obj"

torch_dir="${LIBTORCH:-$(python3 -c 'import os, torch; print(os.path.dirname(torch.__file__))')}"
includes=(-I. -I"$torch_dir/include" -I"$torch_dir/include/torch/csrc/api/include")
[ -d "$torch_dir/include" ] || includes=(-I. -I/usr/include/torch/csrc/api/include)  # Debian's libtorch-dev
# The CUDA runtime libraries PyTorch's wheels bring (nvidia-*): the linker must see them behind libtorch_cuda.
link_dirs=()
if nvidia_root=$(python3 -c 'import nvidia, os; print(list(nvidia.__path__)[0])' 2>/dev/null); then
  while IFS= read -r dir; do link_dirs+=("-Wl,-rpath-link,$dir" "-Wl,-rpath,$dir"); done < <(find "$nvidia_root" -maxdepth 3 -type d -name lib)
fi
cuda_libs=()
if [ -e "$torch_dir/lib/libtorch_cuda.so" ]; then cuda_libs=(-ltorch_cuda -lc10_cuda); fi

compile() {  # compile <std>: every source in parallel
  ls tests/engine_device_check.cc engine/*.cc quantum/*.cc | xargs -P "$(nproc)" -I{} sh -c \
    'g++ -std='"$1"' -O2 -march=x86-64-v2 -w '"${includes[*]}"' -c {} -o '"$out"'/obj/$(echo {} | tr / _).o'
}
echo "libtorch: $torch_dir ($(ls "$torch_dir/lib" | grep -c '\.so') libraries; cuda: ${cuda_libs[*]:-none})"
compile c++17 || { echo "c++17 failed, trying c++20"; compile c++20; }
# --no-as-needed: nothing references libtorch_cuda by symbol, but loading it is what registers the CUDA backend.
g++ "$out"/obj/*.o -o "$out/engine_device_check" -L"$torch_dir/lib" -Wl,--no-as-needed -ltorch -ltorch_cpu \
  "${cuda_libs[@]}" -lc10 -Wl,--as-needed -Wl,-rpath,"$torch_dir/lib" "${link_dirs[@]}" -lpthread
# cuBLAS needs a fixed workspace to be deterministic (bit-identical resume).
CUBLAS_WORKSPACE_CONFIG=:4096:8 "$out/engine_device_check" "$out" "${THREADS:-$(nproc)}" "${DEVICE:-cuda}"
