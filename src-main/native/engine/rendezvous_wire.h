// The rendezvous store's wire: length-prefixed frames over a TCP socket, the address it binds or dials, and the
// proof a connection gives of the shared token. Plain sockets, no libtorch, so the server and client share it.
#pragma once

#include <sys/socket.h>

#include <cstddef>
#include <string>

namespace angio::engine::wire {

/** Sends one frame (4-byte big-endian length, then the bytes); throws std::runtime_error if the peer is gone. */
void Send(int fd, const std::string& payload);
/** Receives one frame; throws std::runtime_error on a closed socket, a timeout, or a frame over maxBytes. */
std::string Receive(int fd, std::size_t maxBytes);
/** The one address `host` names (an IPv4/IPv6 literal or a name: its first address), with `port`. */
socklen_t Resolve(const std::string& host, int port, sockaddr_storage& address);
/** Bytes from the kernel's random source, as lower-case hex. */
std::string RandomHex(std::size_t bytes);
/** What a connection answers to the server's nonce: SHA-256 over the nonce and the token, never the token itself. */
std::string Proof(const std::string& token, const std::string& nonce);
/** Compares two strings in time independent of where they differ. */
bool SameSecret(const std::string& a, const std::string& b);
/** Receive timeout for a socket (0: block indefinitely). */
void SetReceiveTimeout(int fd, long milliseconds);

}  // namespace angio::engine::wire
