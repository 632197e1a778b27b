// The engine's one failure type: a stable code the binding forwards to JavaScript as `error.code`, and a message
// that says what happened and what the user can do. Plain C++ so the binding needs no libtorch headers.
#pragma once

#include <stdexcept>
#include <string>

namespace angio::engine {

struct EngineError : std::runtime_error {
  // Codes: invalid-config | empty-dataset | single-class | unknown-image-set | checkpoint-corrupt |
  //        checkpoint-unwritable | invalid-batch | stage-not-configured | device-unavailable
  EngineError(std::string code, const std::string& message) : std::runtime_error(message), code(std::move(code)) {}
  std::string code;
};

}  // namespace angio::engine
