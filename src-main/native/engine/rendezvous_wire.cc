#include "engine/rendezvous_wire.h"

#include <netdb.h>
#include <sys/random.h>
#include <sys/time.h>
#include <unistd.h>

#include <cerrno>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <stdexcept>

#include "engine/rendezvous_guard.h"

namespace angio::engine::wire {
namespace {

void WriteAll(int fd, const char* data, std::size_t size) {
  while (size > 0) {
    const auto sent = ::send(fd, data, size, MSG_NOSIGNAL);
    if (sent < 0 && errno == EINTR) continue;
    if (sent <= 0) throw std::runtime_error(std::string("rendezvous connection lost: ") + std::strerror(errno));
    data += sent;
    size -= static_cast<std::size_t>(sent);
  }
}

void ReadAll(int fd, char* data, std::size_t size) {
  while (size > 0) {
    const auto got = ::recv(fd, data, size, 0);
    if (got < 0 && errno == EINTR) continue;
    if (got == 0) throw std::runtime_error("rendezvous connection closed by the peer");
    if (got < 0) throw std::runtime_error(std::string("rendezvous connection failed: ") + std::strerror(errno));
    data += got;
    size -= static_cast<std::size_t>(got);
  }
}

}  // namespace

void Send(int fd, const std::string& payload) {
  const auto n = static_cast<std::uint32_t>(payload.size());
  const char header[4] = {static_cast<char>(n >> 24), static_cast<char>(n >> 16), static_cast<char>(n >> 8), static_cast<char>(n)};
  WriteAll(fd, header, 4);
  WriteAll(fd, payload.data(), payload.size());
}

std::string Receive(int fd, std::size_t maxBytes) {
  unsigned char header[4];
  ReadAll(fd, reinterpret_cast<char*>(header), 4);
  const std::size_t n = (std::size_t{header[0]} << 24) | (header[1] << 16) | (header[2] << 8) | header[3];
  if (n > maxBytes) throw std::runtime_error("rendezvous frame too large");
  std::string payload(n, '\0');
  ReadAll(fd, payload.data(), n);
  return payload;
}

socklen_t Resolve(const std::string& host, int port, sockaddr_storage& address) {
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  addrinfo* found = nullptr;
  const auto service = std::to_string(port);
  if (getaddrinfo(host.c_str(), service.c_str(), &hints, &found) != 0 || found == nullptr) {
    throw std::runtime_error("the address '" + host + "' does not resolve");
  }
  std::memcpy(&address, found->ai_addr, found->ai_addrlen);
  const auto length = found->ai_addrlen;
  freeaddrinfo(found);
  return length;
}

std::string RandomHex(std::size_t bytes) {
  std::string raw(bytes, '\0');
  std::size_t filled = 0;
  while (filled < bytes) {
    const auto got = getrandom(raw.data() + filled, bytes - filled, 0);
    if (got < 0 && errno == EINTR) continue;
    if (got < 0) throw std::runtime_error("no random source for the rendezvous nonce");
    filled += static_cast<std::size_t>(got);
  }
  std::string hex;
  char digit[3];
  for (unsigned char c : raw) {
    std::snprintf(digit, sizeof digit, "%02x", c);
    hex += digit;
  }
  return hex;
}

std::string Proof(const std::string& token, const std::string& nonce) {
  return Sha256Hex("angio-rendezvous|" + nonce + "|" + token);
}

bool SameSecret(const std::string& a, const std::string& b) {
  if (a.size() != b.size()) return false;
  unsigned char differ = 0;
  for (std::size_t i = 0; i < a.size(); ++i) differ |= static_cast<unsigned char>(a[i] ^ b[i]);
  return differ == 0;
}

void SetReceiveTimeout(int fd, long milliseconds) {
  timeval limit{milliseconds / 1000, (milliseconds % 1000) * 1000};
  ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &limit, sizeof limit);
}

}  // namespace angio::engine::wire
