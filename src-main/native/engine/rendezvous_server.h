// The key-value server rank 0 runs for the rendezvous, in place of c10d's TCPStore (which listens on every
// interface and serves anyone). It listens on exactly the address given and serves a connection only after the
// connection has answered a fresh nonce with a proof of the shared token; a wrong proof closes the connection.
#pragma once

#include <atomic>
#include <condition_variable>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace angio::engine {

class RendezvousServer {
 public:
  /** Listens on host:port (the literal or the first address the name resolves to); throws on a failed bind. */
  RendezvousServer(const std::string& host, int port, std::string token);
  ~RendezvousServer();
  RendezvousServer(const RendezvousServer&) = delete;
  RendezvousServer& operator=(const RendezvousServer&) = delete;

  /** Connections that answered with a well-formed proof of another token: ranks started with the wrong one. */
  int RefusedProofs() const { return refused_.load(); }

 private:
  void AcceptLoop();
  void Serve(int fd);
  bool Admit(int fd);
  void Answer(int fd, const std::string& op);
  /** Waits until every key exists or the deadline passes; the mutex is held. */
  bool WaitFor(std::unique_lock<std::mutex>& lock, const std::vector<std::string>& keys, long timeoutMs);

  int listenFd_ = -1;
  std::string token_;
  std::atomic<bool> stopping_{false};
  std::atomic<int> refused_{0};
  std::thread acceptor_;
  std::mutex mutex_;
  std::condition_variable changed_;
  std::map<std::string, std::string> values_;
  std::vector<int> connections_;
  std::vector<std::thread> workers_;
};

}  // namespace angio::engine
