// A caching CPU allocator for libtorch tensors while training. A training step allocates the same tensors every
// time; glibc hands the large ones back to the kernel at each free (munmap, or trimming of the worker thread's
// arena), so every step page-faulted and zero-filled its whole working set again: about half of a step's time at
// 128² with 2 threads. Here large blocks come from one reserved address range, best fit with coalescing, and stay
// mapped when freed, so a step reuses pages the previous one faulted in. Resident memory is the range's high-water
// mark: the peak of live tensors plus what fragmentation adds.
#pragma once

#include <cstddef>

namespace angio::engine {

/** Makes the cache libtorch's CPU allocator (process-wide, idempotent). Tensors already allocated keep their own deleter. */
void UseCpuBlockCache();

/** Returns the pages of every free block to the system (the finished session's working set). */
void ReleaseCpuBlockCache();

struct CpuBlockCacheStats {
  std::size_t liveBytes, highWaterBytes;
};
CpuBlockCacheStats CpuBlockCacheCounters();

}  // namespace angio::engine
