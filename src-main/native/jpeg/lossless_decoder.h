// JPEG lossless (ITU-T T.81 process 14: Huffman, non-hierarchical, SOF3) decoding of one complete JPEG stream to
// interleaved samples. No N-API here: bytes in, samples out, every failure a LosslessError with a message.
#pragma once

#include <cstddef>
#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

namespace angio::jpeg {

class LosslessError : public std::runtime_error {
 public:
  explicit LosslessError(const std::string& message) : std::runtime_error(message) {}
};

struct LosslessImage {
  int width = 0;
  int height = 0;
  int components = 0;
  /** Sample precision P of the frame header (2–16 bits). */
  int precision = 0;
  /** Point transform Pt of the (last) scan: samples were coded shifted right by it and are returned shifted back. */
  int pointTransform = 0;
  /** Selection value (predictor 1–7) of the first scan. */
  int predictor = 0;
  /** width × height × components samples, pixel-interleaved (component fastest), row-major. */
  std::vector<std::uint16_t> samples;
};

/** Decodes `size` bytes starting at `data` (SOI … EOI). Throws LosslessError for anything that is not process 14. */
LosslessImage DecodeLossless(const std::uint8_t* data, std::size_t size);

}  // namespace angio::jpeg
