#include "engine/rendezvous_server.h"

#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <stdexcept>

#include "engine/rendezvous_wire.h"

namespace angio::engine {
namespace {

constexpr std::size_t kProofBytes = 256;        // before admission nothing larger is read
constexpr std::size_t kValueBytes = 64u << 20;  // Gloo's addresses and our keys are tiny; this only bounds memory
constexpr long kHandshakeMs = 10000;            // a connection that does not prove the token in time is dropped

bool IsHexProof(const std::string& s) {
  if (s.size() != 64) return false;
  for (char c : s) {
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  }
  return true;
}

}  // namespace

RendezvousServer::RendezvousServer(const std::string& host, int port, std::string token) : token_(std::move(token)) {
  sockaddr_storage address{};
  const auto length = wire::Resolve(host, port, address);
  listenFd_ = ::socket(address.ss_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (listenFd_ < 0) throw std::runtime_error(std::string("no socket: ") + std::strerror(errno));
  const int on = 1;
  ::setsockopt(listenFd_, SOL_SOCKET, SO_REUSEADDR, &on, sizeof on);
  // An IPv6 address means that address only, never the IPv4 side of a dual-stack socket.
  if (address.ss_family == AF_INET6) ::setsockopt(listenFd_, IPPROTO_IPV6, IPV6_V6ONLY, &on, sizeof on);
  if (::bind(listenFd_, reinterpret_cast<sockaddr*>(&address), length) != 0 || ::listen(listenFd_, 128) != 0) {
    const std::string reason = std::strerror(errno);
    ::close(listenFd_);
    throw std::runtime_error("cannot listen on " + host + ":" + std::to_string(port) + ": " + reason);
  }
  acceptor_ = std::thread([this] { AcceptLoop(); });
}

RendezvousServer::~RendezvousServer() {
  stopping_ = true;
  ::shutdown(listenFd_, SHUT_RDWR);  // wakes accept()
  acceptor_.join();
  ::close(listenFd_);
  std::vector<std::thread> workers;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    for (int fd : connections_) ::shutdown(fd, SHUT_RDWR);  // wakes recv()
    workers.swap(workers_);
  }
  changed_.notify_all();
  for (auto& worker : workers) worker.join();
  for (int fd : connections_) ::close(fd);
}

void RendezvousServer::AcceptLoop() {
  while (!stopping_) {
    const int fd = ::accept4(listenFd_, nullptr, nullptr, SOCK_CLOEXEC);
    if (fd < 0) {
      if (errno == EINTR || errno == ECONNABORTED) continue;
      return;
    }
    std::lock_guard<std::mutex> lock(mutex_);
    if (stopping_) {
      ::close(fd);
      return;
    }
    connections_.push_back(fd);
    workers_.emplace_back([this, fd] { Serve(fd); });
  }
}

void RendezvousServer::Serve(int fd) {
  try {
    if (!Admit(fd)) {
      ::shutdown(fd, SHUT_RDWR);
      return;
    }
    while (!stopping_) Answer(fd, wire::Receive(fd, 16));
  } catch (const std::exception&) {
    // The peer left or sent what the protocol does not allow: its connection ends, the store stays.
  }
  ::shutdown(fd, SHUT_RDWR);
}

bool RendezvousServer::Admit(int fd) {
  wire::SetReceiveTimeout(fd, kHandshakeMs);
  const auto nonce = wire::RandomHex(32);
  wire::Send(fd, nonce);
  const auto proof = wire::Receive(fd, kProofBytes);
  if (!wire::SameSecret(proof, wire::Proof(token_, nonce))) {
    if (IsHexProof(proof)) refused_ += 1;
    wire::Send(fd, "refused");
    return false;
  }
  wire::SetReceiveTimeout(fd, 0);
  wire::Send(fd, "admitted");
  return true;
}

bool RendezvousServer::WaitFor(std::unique_lock<std::mutex>& lock, const std::vector<std::string>& keys, long timeoutMs) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeoutMs);
  const auto present = [&] {
    if (stopping_) return true;
    for (const auto& key : keys) {
      if (values_.count(key) == 0) return false;
    }
    return true;
  };
  if (timeoutMs <= 0) {
    changed_.wait(lock, present);  // c10d's kNoTimeout: wait until the keys exist or the server stops
    return !stopping_;
  }
  return changed_.wait_until(lock, deadline, present) && !stopping_;
}

void RendezvousServer::Answer(int fd, const std::string& op) {
  const auto next = [&] { return wire::Receive(fd, kValueBytes); };
  std::string reply;
  if (op == "set") {
    auto key = next();
    auto value = next();
    std::lock_guard<std::mutex> lock(mutex_);
    values_[key] = std::move(value);
  } else if (op == "get") {
    const auto key = next();
    const long timeoutMs = std::stol(next());
    std::unique_lock<std::mutex> lock(mutex_);
    reply = WaitFor(lock, {key}, timeoutMs) ? "1" + values_[key] : "0";
  } else if (op == "add") {
    const auto key = next();
    const long long delta = std::stoll(next());
    std::lock_guard<std::mutex> lock(mutex_);
    auto& value = values_[key];
    value = std::to_string((value.empty() ? 0 : std::stoll(value)) + delta);
    reply = value;
  } else if (op == "compareSet") {
    const auto key = next();
    const auto expected = next();
    auto desired = next();
    std::lock_guard<std::mutex> lock(mutex_);
    const auto found = values_.find(key);
    // TCPStore's rule: an absent key counts as equal to an empty expected value.
    if ((found == values_.end() && expected.empty()) || (found != values_.end() && found->second == expected)) {
      values_[key] = desired;
      reply = desired;
    } else {
      reply = found == values_.end() ? expected : found->second;
    }
  } else if (op == "delete") {
    const auto key = next();
    std::lock_guard<std::mutex> lock(mutex_);
    reply = values_.erase(key) > 0 ? "1" : "0";
  } else if (op == "check" || op == "wait") {
    const long timeoutMs = op == "wait" ? std::stol(next()) : 0;
    std::vector<std::string> keys(std::stoul(next()));
    for (auto& key : keys) key = next();
    std::unique_lock<std::mutex> lock(mutex_);
    bool present = true;
    for (const auto& key : keys) present = present && values_.count(key) > 0;
    reply = present || (op == "wait" && WaitFor(lock, keys, timeoutMs)) ? "1" : "0";
  } else if (op == "count") {
    std::lock_guard<std::mutex> lock(mutex_);
    reply = std::to_string(values_.size());
  } else {
    throw std::runtime_error("unknown rendezvous operation");
  }
  if (op == "set" || op == "add" || op == "compareSet") changed_.notify_all();
  wire::Send(fd, reply);
}

}  // namespace angio::engine
