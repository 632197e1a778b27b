#include "engine/rendezvous_guard.h"

#include <arpa/inet.h>
#include <netdb.h>

#include <array>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <vector>

#include "engine/engine_error.h"

namespace angio::engine {
namespace {

AddressScope ScopeOfV4(std::uint32_t a) {
  const auto octet = [&](int i) { return (a >> (24 - 8 * i)) & 0xff; };
  if (octet(0) == 127) return AddressScope::Loopback;
  if (octet(0) == 10 || (octet(0) == 172 && (octet(1) & 0xf0) == 16) || (octet(0) == 192 && octet(1) == 168) ||
      (octet(0) == 169 && octet(1) == 254)) {
    return AddressScope::Private;
  }
  return AddressScope::Public;
}

AddressScope ScopeOfV6(const in6_addr& a) {
  static const std::uint8_t loopback[16] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1};
  if (std::memcmp(a.s6_addr, loopback, 16) == 0) return AddressScope::Loopback;
  if ((a.s6_addr[0] & 0xfe) == 0xfc) return AddressScope::Private;                               // fc00::/7
  if (a.s6_addr[0] == 0xfe && (a.s6_addr[1] & 0xc0) == 0x80) return AddressScope::Private;       // fe80::/10
  static const std::uint8_t mapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
  if (std::memcmp(a.s6_addr, mapped, 12) == 0) {
    return ScopeOfV4((std::uint32_t{a.s6_addr[12]} << 24) | (a.s6_addr[13] << 16) | (a.s6_addr[14] << 8) | a.s6_addr[15]);
  }
  return AddressScope::Public;
}

}  // namespace

AddressScope ScopeOf(const std::string& host) {
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  addrinfo* found = nullptr;
  if (host.empty() || getaddrinfo(host.c_str(), nullptr, &hints, &found) != 0 || found == nullptr) {
    throw EngineError("rendezvous-refused", "The rendezvous address '" + host + "' does not resolve.");
  }
  AddressScope widest = AddressScope::Loopback;
  for (auto* entry = found; entry != nullptr; entry = entry->ai_next) {
    AddressScope scope = AddressScope::Public;
    if (entry->ai_family == AF_INET) {
      scope = ScopeOfV4(ntohl(reinterpret_cast<sockaddr_in*>(entry->ai_addr)->sin_addr.s_addr));
    } else if (entry->ai_family == AF_INET6) {
      scope = ScopeOfV6(reinterpret_cast<sockaddr_in6*>(entry->ai_addr)->sin6_addr);
    }
    if (static_cast<int>(scope) > static_cast<int>(widest)) widest = scope;
  }
  freeaddrinfo(found);
  return widest;
}

void RequireAllowedAddress(const std::string& host, bool allowPublic, const char* role) {
  if (ScopeOf(host) == AddressScope::Public && !allowPublic) {
    throw EngineError("rendezvous-refused",
                      std::string("The ") + role + " address '" + host +
                          "' is public. Gloo and TCPStore have no authentication or encryption: train over loopback or a "
                          "private network, or pass allowPublic (--allow-public) on a network you trust.");
  }
}

std::string Sha256Hex(const std::string& text) {
  static const std::uint32_t k[64] = {
      0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5, 0xd807aa98,
      0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786,
      0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da, 0x983e5152, 0xa831c66d, 0xb00327c8,
      0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13,
      0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85, 0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819,
      0xd6990624, 0xf40e3585, 0x106aa070, 0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a,
      0x5b9cca4f, 0x682e6ff3, 0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7,
      0xc67178f2};
  std::uint32_t h[8] = {0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19};
  std::vector<std::uint8_t> data(text.begin(), text.end());
  const std::uint64_t bits = static_cast<std::uint64_t>(data.size()) * 8;
  data.push_back(0x80);
  while (data.size() % 64 != 56) data.push_back(0);
  for (int i = 7; i >= 0; --i) data.push_back(static_cast<std::uint8_t>(bits >> (8 * i)));
  const auto rotr = [](std::uint32_t x, int n) { return (x >> n) | (x << (32 - n)); };
  for (std::size_t block = 0; block < data.size(); block += 64) {
    std::uint32_t w[64];
    for (int i = 0; i < 16; ++i) {
      w[i] = (std::uint32_t{data[block + 4 * i]} << 24) | (data[block + 4 * i + 1] << 16) | (data[block + 4 * i + 2] << 8) |
             data[block + 4 * i + 3];
    }
    for (int i = 16; i < 64; ++i) {
      const auto s0 = rotr(w[i - 15], 7) ^ rotr(w[i - 15], 18) ^ (w[i - 15] >> 3);
      const auto s1 = rotr(w[i - 2], 17) ^ rotr(w[i - 2], 19) ^ (w[i - 2] >> 10);
      w[i] = w[i - 16] + s0 + w[i - 7] + s1;
    }
    std::uint32_t a = h[0], b = h[1], c = h[2], d = h[3], e = h[4], f = h[5], g = h[6], hh = h[7];
    for (int i = 0; i < 64; ++i) {
      const auto t1 = hh + (rotr(e, 6) ^ rotr(e, 11) ^ rotr(e, 25)) + ((e & f) ^ (~e & g)) + k[i] + w[i];
      const auto t2 = (rotr(a, 2) ^ rotr(a, 13) ^ rotr(a, 22)) + ((a & b) ^ (a & c) ^ (b & c));
      hh = g; g = f; f = e; e = d + t1; d = c; c = b; b = a; a = t1 + t2;
    }
    h[0] += a; h[1] += b; h[2] += c; h[3] += d; h[4] += e; h[5] += f; h[6] += g; h[7] += hh;
  }
  char hex[65];
  for (int i = 0; i < 8; ++i) std::snprintf(hex + 8 * i, 9, "%08x", h[i]);
  return std::string(hex, 64);
}

}  // namespace angio::engine
