// Thin N-API layer over jpeg/lossless_decoder.h. jpegLosslessDecode(stream: Uint8Array, bitsAllocated: 8 | 16)
// returns {width, height, components, precision, predictor, pointTransform, samples}: samples interleaved
// (component fastest), row-major, in a Uint8Array for 8 bits allocated (each value taken modulo 256) or a
// Uint16Array for 16. Synchronous: callers decode on their own worker thread. Failures are JS Errors with code
// invalid-argument or jpeg-lossless-invalid and the decoder's reason.
#include "binding/jpeg_binding.h"

#include <cstdint>
#include <cstring>

#include "binding/arguments.h"
#include "jpeg/lossless_decoder.h"

namespace angio::binding {
namespace {

constexpr std::size_t kMaxStreamBytes = std::size_t{1} << 31;

Napi::Value JpegLosslessDecode(const Napi::CallbackInfo& info) {
  const Napi::Env env = info.Env();
  const Reader read(env, "invalid-argument");
  const auto bitsAllocated = read.Integer(info[1], "bitsAllocated", 8, 16);
  if (bitsAllocated != 8 && bitsAllocated != 16) read.Fail("bitsAllocated must be 8 or 16");
  // Taken last and decoded before any JavaScript can run again, so the bytes cannot move underneath.
  auto stream = read.Typed<std::uint8_t>(info[0], "stream", kMaxStreamBytes);
  jpeg::LosslessImage image;
  try {
    image = jpeg::DecodeLossless(stream.Data(), stream.ElementLength());
  } catch (const jpeg::LosslessError& error) {
    throw CodedError(env, "jpeg-lossless-invalid", std::string("JPEG lossless stream: ") + error.what());
  }
  const std::size_t count = image.samples.size();
  Napi::Value samples;
  if (bitsAllocated == 8) {
    auto out = Napi::Uint8Array::New(env, count);
    std::uint8_t* to = out.Data();
    for (std::size_t i = 0; i < count; i++) to[i] = static_cast<std::uint8_t>(image.samples[i]);
    samples = out;
  } else {
    auto out = Napi::Uint16Array::New(env, count);
    if (count > 0) std::memcpy(out.Data(), image.samples.data(), count * sizeof(std::uint16_t));
    samples = out;
  }
  auto result = Napi::Object::New(env);
  result.Set("width", image.width);
  result.Set("height", image.height);
  result.Set("components", image.components);
  result.Set("precision", image.precision);
  result.Set("predictor", image.predictor);
  result.Set("pointTransform", image.pointTransform);
  result.Set("samples", samples);
  return result;
}

}  // namespace

void RegisterJpeg(Napi::Env env, Napi::Object exports) {
  exports.Set("jpegLosslessDecode", Napi::Function::New(env, JpegLosslessDecode, "jpegLosslessDecode"));
}

}  // namespace angio::binding
