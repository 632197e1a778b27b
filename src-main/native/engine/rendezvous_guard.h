// What a rank checks before it joins a process group: that the addresses are ones an unauthenticated protocol may
// use, and that every rank holds the same token (compared through salted SHA-256 digests, never the token itself).
#pragma once

#include <string>

namespace angio::engine {

enum class AddressScope { Loopback, Private, Public };

/** Scope of an IPv4/IPv6 literal or a name (resolved; every address it resolves to must be allowed). */
AddressScope ScopeOf(const std::string& host);
/** Throws rendezvous-refused for a public address unless allowPublic, and for an address that does not resolve. */
void RequireAllowedAddress(const std::string& host, bool allowPublic, const char* role);
/** Lower-case hex SHA-256 of `text`. */
std::string Sha256Hex(const std::string& text);

}  // namespace angio::engine
