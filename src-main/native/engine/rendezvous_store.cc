#include "engine/rendezvous_store.h"

#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <stdexcept>
#include <thread>

#include "engine/engine_error.h"
#include "engine/rendezvous_wire.h"

namespace angio::engine {
namespace {

using Clock = std::chrono::steady_clock;
constexpr std::size_t kReplyBytes = 64u << 20;

std::string Text(const std::vector<uint8_t>& bytes) { return {bytes.begin(), bytes.end()}; }
std::vector<uint8_t> Bytes(const std::string& text) { return {text.begin(), text.end()}; }

int Dial(const std::string& host, int port, std::chrono::milliseconds timeout) {
  const auto deadline = Clock::now() + timeout;
  std::string reason;
  while (true) {
    sockaddr_storage address{};
    const auto length = wire::Resolve(host, port, address);
    const int fd = ::socket(address.ss_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd >= 0 && ::connect(fd, reinterpret_cast<sockaddr*>(&address), length) == 0) return fd;
    reason = std::strerror(errno);
    if (fd >= 0) ::close(fd);
    if (Clock::now() >= deadline) throw std::runtime_error("cannot connect: " + reason);
    std::this_thread::sleep_for(std::chrono::milliseconds(100));  // rank 0 may not be listening yet
  }
}

}  // namespace

RendezvousStore::RendezvousStore(const std::string& host, int port, bool isServer, const std::string& token,
                                 std::chrono::milliseconds timeout)
    : c10d::Store(timeout) {
  if (isServer) server_ = std::make_unique<RendezvousServer>(host, port, token);
  fd_ = Dial(host, port, timeout);
  wire::SetReceiveTimeout(fd_, static_cast<long>(timeout.count()) + 10000);
  std::string verdict;
  try {
    const auto nonce = wire::Receive(fd_, 256);
    wire::Send(fd_, wire::Proof(token, nonce));
    verdict = wire::Receive(fd_, 16);
  } catch (...) {
    ::close(fd_);
    throw;
  }
  if (verdict != "admitted") {
    ::close(fd_);
    throw EngineError("rendezvous-token-mismatch",
                      "The rendezvous at " + host + ":" + std::to_string(port) +
                          " refused this rank's proof of the token: start every rank with the same token.");
  }
}

RendezvousStore::~RendezvousStore() {
  ::close(fd_);
  server_.reset();
}

std::string RendezvousStore::Call(const std::vector<std::string>& request, std::chrono::milliseconds waits) {
  std::lock_guard<std::mutex> lock(mutex_);
  // A reply never takes longer than the wait it answers; well beyond that, rank 0 is unreachable.
  wire::SetReceiveTimeout(fd_, waits.count() <= 0 ? 0 : static_cast<long>(waits.count()) + 10000);
  for (const auto& frame : request) wire::Send(fd_, frame);
  return wire::Receive(fd_, kReplyBytes);
}

void RendezvousStore::set(const std::string& key, const std::vector<uint8_t>& value) { Call({"set", key, Text(value)}); }

std::vector<uint8_t> RendezvousStore::compareSet(const std::string& key, const std::vector<uint8_t>& currentValue,
                                                 const std::vector<uint8_t>& newValue) {
  return Bytes(Call({"compareSet", key, Text(currentValue), Text(newValue)}));
}

std::vector<uint8_t> RendezvousStore::get(const std::string& key) {
  const auto reply = Call({"get", key, std::to_string(timeout_.count())}, timeout_);
  if (reply.empty() || reply[0] != '1') {
    throw std::runtime_error("rendezvous key '" + key + "' not set within " + std::to_string(timeout_.count()) + " ms");
  }
  return Bytes(reply.substr(1));
}

int64_t RendezvousStore::add(const std::string& key, int64_t value) { return std::stoll(Call({"add", key, std::to_string(value)})); }

bool RendezvousStore::deleteKey(const std::string& key) { return Call({"delete", key}) == "1"; }

bool RendezvousStore::check(const std::vector<std::string>& keys) {
  std::vector<std::string> request{"check", std::to_string(keys.size())};
  request.insert(request.end(), keys.begin(), keys.end());
  return Call(request) == "1";
}

int64_t RendezvousStore::getNumKeys() { return std::stoll(Call({"count"})); }

void RendezvousStore::wait(const std::vector<std::string>& keys) { wait(keys, timeout_); }

void RendezvousStore::wait(const std::vector<std::string>& keys, const std::chrono::milliseconds& timeout) {
  std::vector<std::string> request{"wait", std::to_string(timeout.count()), std::to_string(keys.size())};
  request.insert(request.end(), keys.begin(), keys.end());
  if (Call(request, timeout) != "1") throw std::runtime_error("rendezvous keys not set within " + std::to_string(timeout.count()) + " ms");
}

}  // namespace angio::engine
