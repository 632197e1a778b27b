// Where binding.gyp finds libtorch: ANGIO_LIBTORCH_DIR (an unpacked pytorch.org LibTorch, for installers) or
// Debian's libtorch-dev (/usr). Usage: node libtorch-paths.cjs include|linker → space-separated words for gyp.
'use strict';
const { existsSync } = require('node:fs');
const { join } = require('node:path');

const dir = process.env.ANGIO_LIBTORCH_DIR;
// Debian's headers are under /usr/include already (a system directory): only the C++ API folder is added.
const include = dir ? join(dir, 'include') : '/usr/include';
const words = {
  include: [...(dir ? [include] : []), join(include, 'torch', 'csrc', 'api', 'include')],
  // A CUDA LibTorch: nothing references libtorch_cuda by symbol, but loading it is what registers the CUDA backend,
  // so it is linked with --no-as-needed (training device "cuda", engine/session.h).
  linker: dir
    ? [`-L${join(dir, 'lib')}`, ...(existsSync(join(dir, 'lib', 'libtorch_cuda.so')) ? ['-Wl,--no-as-needed', '-ltorch_cuda', '-lc10_cuda', '-Wl,--as-needed'] : [])]
    : [],
}[process.argv[2]];
if (!words) throw new Error('usage: node libtorch-paths.cjs include|linker');
console.log(words.join(' '));
