// Data-parallel training across processes: the plain types the binding hands the session (no libtorch here).
// One process per rank; ranks meet through our RendezvousStore (rank 0 listens on exactly `host`,
// every connection proves the token before it may touch a key) and exchange tensors with Gloo. Gloo and TCPStore carry
// no authentication or encryption, so the rendezvous is refused on public addresses unless allowPublic is set,
// and every rank must prove it holds the shared token before the process group forms.
#pragma once

#include <cstdint>
#include <string>

namespace angio::engine {

struct DistributedSpec {
  std::string host = "127.0.0.1";  // rank 0's address: the rendezvous listens there only, the others connect to it
  int port = 29500;
  int worldSize = 1;
  int rank = 0;
  std::string token;               // shared secret; at least 16 characters
  // This rank's own address for Gloo's connections; empty: `host` (right for loopback, and for rank 0).
  std::string bindAddress;
  bool allowPublic = false;        // accept non-loopback, non-private addresses (a trusted network only)
  std::int64_t timeoutMs = 60000;  // rendezvous wait and the longest any collective may block
  std::int64_t bucketBytes = 4 << 20;
};

struct DistributedStats {
  int rank = 0;
  int worldSize = 1;
  std::int64_t steps = 0;             // steps that all-reduced gradients
  double allReduceSeconds = 0;        // total wall time spent in the gradient all-reduce
  double allGatherSeconds = 0;        // total wall time spent gathering NT-Xent embeddings
  std::int64_t bytesPerStep = 0;      // gradient bytes each rank contributes per step
  std::int64_t buckets = 0;           // buckets per step
};

}  // namespace angio::engine
