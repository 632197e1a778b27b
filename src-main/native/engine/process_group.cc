#include "engine/process_group.h"

#include <algorithm>
#include <chrono>
#include <thread>

#include <torch/csrc/distributed/c10d/PrefixStore.hpp>
#include <torch/csrc/distributed/c10d/ProcessGroupGloo.hpp>

#include "engine/engine_error.h"
#include "engine/rendezvous_guard.h"
#include "engine/rendezvous_store.h"

namespace angio::engine {
namespace {

using Clock = std::chrono::steady_clock;

std::vector<std::uint8_t> Bytes(const std::string& text) { return {text.begin(), text.end()}; }

void ValidateSpec(const DistributedSpec& s) {
  if (s.worldSize < 1 || s.worldSize > 1024) throw EngineError("invalid-config", "The world size must be 1–1024 ranks.");
  if (s.rank < 0 || s.rank >= s.worldSize) {
    throw EngineError("invalid-config", "Rank " + std::to_string(s.rank) + " is outside 0.." + std::to_string(s.worldSize - 1) + ".");
  }
  if (s.port < 1 || s.port > 65535) throw EngineError("invalid-config", "The rendezvous port must be 1–65535.");
  if (s.token.size() < 16) {
    throw EngineError("invalid-config", "The rendezvous token must have at least 16 characters: every rank is given the same one.");
  }
  if (s.timeoutMs < 100 || s.timeoutMs > 3600000) throw EngineError("invalid-config", "The distributed timeout must be 0.1 s to 1 h.");
  if (s.bucketBytes < 1024) throw EngineError("invalid-config", "Gradient buckets must hold at least 1 KiB.");
}

double Seconds(Clock::time_point since) { return std::chrono::duration<double>(Clock::now() - since).count(); }

}  // namespace

struct ProcessGroup::Impl {
  DistributedSpec spec;
  c10::intrusive_ptr<c10d::Store> store;
  c10::intrusive_ptr<c10d::ProcessGroupGloo> group;
  DistributedStats stats;
  bool broken = false;

  /** Runs a collective; a peer's failure becomes rank-lost, and the group refuses further work. */
  template <typename F>
  void Collective(const char* what, F&& body) {
    if (broken) throw EngineError("rank-lost", "The training group lost a rank earlier: restart every rank from the last checkpoint.");
    try {
      body();
    } catch (const std::exception& error) {
      broken = true;
      throw EngineError("rank-lost", std::string("Rank ") + std::to_string(spec.rank) + " could not complete the " + what +
                                         ": another rank stopped or the network failed (" + error.what() +
                                         "). Restart every rank; training resumes from the last checkpoint.");
    }
  }
};

ProcessGroup::ProcessGroup(const DistributedSpec& spec) : impl_(std::make_unique<Impl>()) {
  ValidateSpec(spec);
  const auto bind = spec.bindAddress.empty() ? spec.host : spec.bindAddress;
  RequireAllowedAddress(spec.host, spec.allowPublic, "rendezvous");
  RequireAllowedAddress(bind, spec.allowPublic, "bind");
  if (spec.rank > 0 && spec.bindAddress.empty() && ScopeOf(spec.host) != AddressScope::Loopback) {
    throw EngineError("invalid-config", "Rank " + std::to_string(spec.rank) +
                                            " needs its own address to bind (bindAddress, --bind): the rendezvous "
                                            "address is rank 0's machine.");
  }
  impl_->spec = spec;
  impl_->stats.rank = spec.rank;
  impl_->stats.worldSize = spec.worldSize;
  const auto timeout = std::chrono::milliseconds(spec.timeoutMs);
  RendezvousStore* rendezvous = nullptr;
  try {
    // Our store, not c10d's TCPStore: it listens on exactly spec.host and serves only connections that prove the
    // token, so nobody else can read Gloo's addresses or write keys into the rendezvous.
    auto store = c10::make_intrusive<RendezvousStore>(spec.host, spec.port, spec.rank == 0, spec.token, timeout);
    rendezvous = store.get();
    impl_->store = store;
  } catch (const EngineError&) {
    throw;
  } catch (const std::exception& error) {
    throw EngineError("rendezvous-failed", "Could not " + std::string(spec.rank == 0 ? "open" : "reach") + " the rendezvous at " +
                                               spec.host + ":" + std::to_string(spec.port) + ": " + error.what());
  }
  auto& store = *impl_->store;
  try {
    // Every rank is admitted by the store itself; rank 0 waits until all have joined, and gives up at once
    // when a connection proved another token (a rank started with the wrong one).
    if (spec.rank > 0) store.set("angio/joined/" + std::to_string(spec.rank), Bytes("1"));
    std::vector<std::string> joined;
    for (int r = 1; r < spec.worldSize; ++r) joined.push_back("angio/joined/" + std::to_string(r));
    const auto deadline = Clock::now() + timeout;
    while (spec.rank == 0 && !store.check(joined)) {
      if (rendezvous->RefusedProofs() > 0) {
        throw EngineError("rendezvous-token-mismatch", "A rank proved another token, so the training group was refused: "
                                                       "start every rank with the same token.");
      }
      if (Clock::now() >= deadline) throw std::runtime_error("not every rank joined");
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
  } catch (const EngineError&) {
    throw;
  } catch (const std::exception& error) {
    throw EngineError("rendezvous-failed", "The rendezvous at " + spec.host + ":" + std::to_string(spec.port) +
                                               " did not complete within " + std::to_string(spec.timeoutMs) +
                                               " ms (are all " + std::to_string(spec.worldSize) + " ranks started?): " + error.what());
  }
  try {
    auto options = c10d::ProcessGroupGloo::Options::create(timeout);
    options->devices.push_back(c10d::ProcessGroupGloo::createDeviceForHostname(bind));
    options->threads = 1;
    auto prefixed = c10::make_intrusive<c10d::PrefixStore>("angio/gloo", impl_->store);
    impl_->group = c10::make_intrusive<c10d::ProcessGroupGloo>(prefixed, spec.rank, spec.worldSize, options);
  } catch (const std::exception& error) {
    throw EngineError("rendezvous-failed", std::string("The Gloo process group did not form: ") + error.what());
  }
}

ProcessGroup::~ProcessGroup() = default;

int ProcessGroup::Rank() const { return impl_->spec.rank; }
int ProcessGroup::WorldSize() const { return impl_->spec.worldSize; }

void ProcessGroup::Broadcast(const std::vector<torch::Tensor>& tensors) {
  if (tensors.empty()) return;
  torch::NoGradGuard noGrad;
  // One message for all: float32 weights and int64 counters (< 2^53) are exact in float64.
  std::vector<torch::Tensor> pieces;
  for (const auto& t : tensors) pieces.push_back(t.detach().to(torch::kCPU, torch::kFloat64).contiguous().view({-1}));
  std::vector<at::Tensor> buffer{torch::cat(pieces)};
  c10d::BroadcastOptions options;
  options.rootRank = 0;
  impl_->Collective("parameter broadcast", [&] { impl_->group->broadcast(buffer, options)->wait(); });
  std::int64_t offset = 0;
  for (const auto& t : tensors) {
    const auto n = t.numel();
    t.detach().copy_(buffer[0].slice(0, offset, offset + n).view(t.sizes()));
    offset += n;
  }
}

void ProcessGroup::AverageGradients(const std::vector<torch::Tensor>& parameters) {
  torch::NoGradGuard noGrad;
  const auto started = Clock::now();
  // Buckets in parameter order: each is one flat float tensor, all sent before any is awaited so Gloo overlaps them.
  std::vector<std::vector<std::size_t>> buckets;
  std::int64_t bytes = 0, inBucket = 0;
  for (std::size_t i = 0; i < parameters.size(); ++i) {
    const auto size = parameters[i].numel() * static_cast<std::int64_t>(sizeof(float));
    if (buckets.empty() || inBucket + size > impl_->spec.bucketBytes) {
      buckets.emplace_back();
      inBucket = 0;
    }
    buckets.back().push_back(i);
    inBucket += size;
    bytes += size;
  }
  std::vector<std::vector<at::Tensor>> flats(buckets.size());
  std::vector<c10::intrusive_ptr<c10d::Work>> works;
  for (std::size_t b = 0; b < buckets.size(); ++b) {
    std::vector<torch::Tensor> pieces;
    for (auto i : buckets[b]) {
      const auto& p = parameters[i];
      const auto& g = p.grad();
      pieces.push_back(g.defined() ? g.to(torch::kCPU, torch::kFloat32).contiguous().view({-1})
                                   : torch::zeros({p.numel()}, torch::kFloat32));
    }
    flats[b].push_back(torch::cat(pieces));
  }
  impl_->Collective("gradient all-reduce", [&] {
    for (auto& flat : flats) works.push_back(impl_->group->allreduce(flat));
    for (auto& work : works) work->wait();
  });
  const double scale = 1.0 / impl_->spec.worldSize;
  for (std::size_t b = 0; b < buckets.size(); ++b) {
    std::int64_t offset = 0;
    for (auto i : buckets[b]) {
      auto& p = const_cast<torch::Tensor&>(parameters[i]);
      const auto n = p.numel();
      auto averaged = flats[b][0].slice(0, offset, offset + n).mul(scale).view(p.sizes()).to(p.device());
      if (p.grad().defined()) {
        p.mutable_grad().copy_(averaged);  // copy_ keeps the gradient's own (channels-last) strides
      } else {
        p.mutable_grad() = averaged.clone();
      }
      offset += n;
    }
  }
  impl_->stats.steps += 1;
  impl_->stats.allReduceSeconds += Seconds(started);
  impl_->stats.bytesPerStep = bytes;
  impl_->stats.buckets = static_cast<std::int64_t>(buckets.size());
}

torch::Tensor ProcessGroup::AllGatherKeepLocal(const torch::Tensor& local) {
  const auto started = Clock::now();
  const int world = impl_->spec.worldSize;
  std::vector<at::Tensor> input{local.detach().to(torch::kCPU).contiguous()};
  std::vector<std::vector<at::Tensor>> output(1);
  for (int r = 0; r < world; ++r) output[0].push_back(torch::empty_like(input[0]));
  impl_->Collective("embedding all-gather", [&] { impl_->group->allgather(output, input)->wait(); });
  std::vector<torch::Tensor> rows;
  for (int r = 0; r < world; ++r) rows.push_back(r == impl_->spec.rank ? local : output[0][r].to(local.device()));
  impl_->stats.allGatherSeconds += Seconds(started);
  return torch::cat(rows, 0);
}

bool ProcessGroup::AllAgree(double value) {
  std::vector<at::Tensor> mine{torch::tensor({value}, torch::kFloat64)};
  std::vector<at::Tensor> first{mine[0].clone()};
  c10d::BroadcastOptions options;
  options.rootRank = 0;
  impl_->Collective("consistency check", [&] { impl_->group->broadcast(first, options)->wait(); });
  std::vector<at::Tensor> differs{torch::tensor({first[0].item<double>() == value ? 0.0 : 1.0}, torch::kFloat64)};
  impl_->Collective("consistency check", [&] { impl_->group->allreduce(differs)->wait(); });
  return differs[0].item<double>() == 0.0;
}

DistributedStats ProcessGroup::Stats() const { return impl_->stats; }

}  // namespace angio::engine
