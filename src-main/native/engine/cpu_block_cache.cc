#include "engine/cpu_block_cache.h"

#include <sys/mman.h>

#include <map>
#include <mutex>
#include <set>
#include <unordered_map>
#include <utility>

#include <c10/core/CPUAllocator.h>
#include <c10/core/impl/alloc_cpu.h>

namespace angio::engine {
namespace {

// Below this glibc's bins recycle blocks without system calls, so small tensors stay with it.
constexpr std::size_t kSmallest = 64 * 1024;
constexpr std::size_t kPage = 4096;
// Address space only: pages are made writable (and count as committed) as the high-water mark grows.
constexpr std::size_t kReserved = std::size_t{1} << 40;
constexpr std::size_t kCommitStep = std::size_t{64} << 20;

class CpuBlockCache final : public c10::Allocator {
 public:
  c10::DataPtr allocate(std::size_t bytes) const override {
    void* data = bytes >= kSmallest ? Self().Take((bytes + kPage - 1) / kPage * kPage) : nullptr;
    if (data == nullptr) data = c10::alloc_cpu(bytes);
    return {data, data, &Give, c10::Device(c10::DeviceType::CPU)};
  }

  // oneDNN's scratch buffers come through raw_allocate / raw_deallocate, which need a deleter taking the data pointer.
  c10::DeleterFnPtr raw_deleter() const override { return &Give; }

  static CpuBlockCache& Self() {
    static auto* cache = new CpuBlockCache();  // never destroyed: tensors may outlive static destruction
    return *cache;
  }

  void Release() {
    std::lock_guard<std::mutex> lock(mutex_);
    for (const auto& [offset, size] : byOffset_) madvise(base_ + offset, size, MADV_DONTNEED);
  }

  CpuBlockCacheStats Stats() {
    std::lock_guard<std::mutex> lock(mutex_);
    return {live_, top_};
  }

 private:
  CpuBlockCache() {
    void* range = mmap(nullptr, kReserved, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    base_ = range == MAP_FAILED ? nullptr : static_cast<char*>(range);  // no range: every block from glibc
  }

  void* Take(std::size_t size) {
    std::lock_guard<std::mutex> lock(mutex_);
    if (base_ == nullptr) return nullptr;
    std::size_t offset;
    if (auto fit = bySize_.lower_bound({size, 0}); fit != bySize_.end()) {
      offset = fit->second;
      const std::size_t had = fit->first;
      Unlink(offset, had);
      if (had > size) Link(offset + size, had - size);
    } else {
      // Grow at the top, starting inside the free block that ends there if there is one.
      offset = top_;
      if (auto last = byOffset_.rbegin(); last != byOffset_.rend() && last->first + last->second == top_) {
        offset = last->first;
        Unlink(last->first, last->second);
      }
      const std::size_t end = offset + size;
      if (end > kReserved) return nullptr;
      if (end > committed_) {
        const std::size_t target = std::min(kReserved, (end + kCommitStep - 1) / kCommitStep * kCommitStep);
        if (mprotect(base_ + committed_, target - committed_, PROT_READ | PROT_WRITE) != 0) {
          if (offset < top_) Link(offset, top_ - offset);
          return nullptr;
        }
        committed_ = target;
      }
      top_ = end;
    }
    sizes_[offset] = size;
    live_ += size;
    return base_ + offset;
  }

  static void Give(void* data) {
    auto& self = Self();
    auto* bytes = static_cast<char*>(data);
    if (self.base_ == nullptr || bytes < self.base_ || bytes >= self.base_ + kReserved) {
      c10::free_cpu(data);
      return;
    }
    std::lock_guard<std::mutex> lock(self.mutex_);
    auto offset = static_cast<std::size_t>(bytes - self.base_);
    auto found = self.sizes_.find(offset);
    std::size_t size = found->second;
    self.sizes_.erase(found);
    self.live_ -= size;
    // Coalesce with the free neighbours on both sides.
    if (auto next = self.byOffset_.find(offset + size); next != self.byOffset_.end()) {
      size += next->second;
      self.Unlink(next->first, next->second);
    }
    if (auto after = self.byOffset_.lower_bound(offset); after != self.byOffset_.begin()) {
      auto before = std::prev(after);
      if (before->first + before->second == offset) {
        offset = before->first;
        size += before->second;
        self.Unlink(before->first, before->second);
      }
    }
    self.Link(offset, size);
  }

  void Link(std::size_t offset, std::size_t size) {
    byOffset_.emplace(offset, size);
    bySize_.emplace(size, offset);
  }
  void Unlink(std::size_t offset, std::size_t size) {
    byOffset_.erase(offset);
    bySize_.erase({size, offset});
  }

  std::mutex mutex_;
  char* base_ = nullptr;
  std::size_t top_ = 0, committed_ = 0, live_ = 0;
  std::map<std::size_t, std::size_t> byOffset_;           // free blocks: offset → size
  std::set<std::pair<std::size_t, std::size_t>> bySize_;  // free blocks: (size, offset), for best fit
  std::unordered_map<std::size_t, std::size_t> sizes_;    // live blocks: offset → size
};

}  // namespace

void UseCpuBlockCache() {
  static std::once_flag once;
  // Priority above c10's default CPU allocator (0), so a later default registration cannot displace it.
  std::call_once(once, [] { c10::SetCPUAllocator(&CpuBlockCache::Self(), /*priority=*/1); });
}

void ReleaseCpuBlockCache() { CpuBlockCache::Self().Release(); }

CpuBlockCacheStats CpuBlockCacheCounters() { return CpuBlockCache::Self().Stats(); }

}  // namespace angio::engine
