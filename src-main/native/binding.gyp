{
  "targets": [
    {
      "target_name": "angio_native",
      "sources": [
        "addon.cc",
        "<!@(find quantum engine jpeg binding -name '*.cc' 2>/dev/null | sort)"
      ],
      "include_dirs": [
        "<!(node -p \"require('node-addon-api').include_dir\")",
        ".",
        "<!@(node libtorch-paths.cjs include)"
      ],
      "defines": [
        "NAPI_VERSION=9",
        "NAPI_CPP_EXCEPTIONS",
        "NODE_API_NO_EXTERNAL_BUFFERS_ALLOWED",
        "USE_C10D_GLOO"
      ],
      "cflags!": ["-fno-exceptions", "-fno-rtti"],
      "cflags_cc!": ["-fno-exceptions", "-fno-rtti", "-std=gnu++17", "-std=gnu++20"],
      "cflags_cc": ["-std=c++17", "-fexceptions", "-frtti", "-O3", "-march=x86-64-v2", "-Wno-unused-parameter", "-Wno-deprecated-declarations"],
      "libraries": ["<!@(node libtorch-paths.cjs linker)", "-ltorch", "-ltorch_cpu", "-lc10", "-lgloo", "-lpthread"],
      "ldflags": ["-Wl,-rpath,'$$ORIGIN'"],
      "xcode_settings": { "LD_RUNPATH_SEARCH_PATHS": ["@loader_path"] }
    }
  ]
}
