// c10d's Store interface over our own authenticated rendezvous: rank 0 runs the RendezvousServer on exactly the
// address given, every rank (rank 0 too) is a client that proves the shared token before any key operation.
// ProcessGroupGloo uses it wherever it would use TCPStore.
#pragma once

#include <chrono>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include <torch/csrc/distributed/c10d/Store.hpp>

#include "engine/rendezvous_server.h"

namespace angio::engine {

class RendezvousStore : public c10d::Store {
 public:
  /** Connects (retrying until `timeout`, for a rank started before rank 0) and proves the token;
   *  EngineError rendezvous-token-mismatch when the server refuses the proof. */
  RendezvousStore(const std::string& host, int port, bool isServer, const std::string& token, std::chrono::milliseconds timeout);
  ~RendezvousStore() override;

  void set(const std::string& key, const std::vector<uint8_t>& value) override;
  std::vector<uint8_t> compareSet(const std::string& key, const std::vector<uint8_t>& currentValue,
                                  const std::vector<uint8_t>& newValue) override;
  std::vector<uint8_t> get(const std::string& key) override;
  int64_t add(const std::string& key, int64_t value) override;
  bool deleteKey(const std::string& key) override;
  bool check(const std::vector<std::string>& keys) override;
  int64_t getNumKeys() override;
  void wait(const std::vector<std::string>& keys) override;
  void wait(const std::vector<std::string>& keys, const std::chrono::milliseconds& timeout) override;

  /** On rank 0: how many connections proved another token (a rank started with the wrong one). */
  int RefusedProofs() const { return server_ ? server_->RefusedProofs() : 0; }

 private:
  /** Sends one request and returns its reply; `waits`: the longest the server may wait before replying. */
  std::string Call(const std::vector<std::string>& request, std::chrono::milliseconds waits = std::chrono::milliseconds(10000));

  std::unique_ptr<RendezvousServer> server_;
  int fd_ = -1;
  std::mutex mutex_;
};

}  // namespace angio::engine
