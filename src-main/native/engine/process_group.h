// A rank's membership in a data-parallel group, on c10d's own engine: Gloo for the collectives, and for the
// rendezvous our RendezvousStore (c10d's Store interface, bound to one address, token-checked).
// PyTorch's C++ API has no DistributedDataParallel, so the pieces DDP provides are here: parameters broadcast from
// rank 0, gradients all-reduced in buckets and averaged, and an all-gather that keeps the local slice's autograd path.
// Every failure of a peer (killed, unplugged, timed out) surfaces as EngineError rank-lost.
#pragma once

#include <memory>
#include <vector>

#include <torch/torch.h>

#include "engine/distributed.h"

namespace angio::engine {

class ProcessGroup {
 public:
  /** Blocks until all worldSize ranks have joined and proved the token (rendezvous-* errors otherwise). */
  explicit ProcessGroup(const DistributedSpec& spec);
  ~ProcessGroup();
  ProcessGroup(const ProcessGroup&) = delete;
  ProcessGroup& operator=(const ProcessGroup&) = delete;

  int Rank() const;
  int WorldSize() const;
  /** Overwrites every tensor with rank 0's values (in place; same order and shapes on every rank). */
  void Broadcast(const std::vector<torch::Tensor>& tensors);
  /** Sums each parameter's gradient over the ranks in buckets of about bucketBytes and divides by the world size.
   *  A parameter without a gradient on this step contributes zeros, so every rank sends the same layout. */
  void AverageGradients(const std::vector<torch::Tensor>& parameters);
  /** Rows of every rank's `local` (same shape everywhere), rank order; only the local rows carry gradients. */
  torch::Tensor AllGatherKeepLocal(const torch::Tensor& local);
  /** True when every rank holds the same value (e.g. a parameter checksum). */
  bool AllAgree(double value);
  DistributedStats Stats() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace angio::engine
