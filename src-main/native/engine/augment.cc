// One inverse-mapped warp per view (crop, rotation, shear, translation, flip composed into a single affine map),
// sampled bilinearly with replicated borders so no black corners appear that a model could learn as a cue.
#include "engine/augment.h"
#include "engine/augment_intensity.h"

#include <algorithm>
#include <cmath>

namespace angio::engine {
namespace {

constexpr double kPi = 3.14159265358979323846;

std::uint64_t SplitMix(std::uint64_t& x) {
  std::uint64_t z = (x += 0x9E3779B97F4A7C15ull);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return z ^ (z >> 31);
}

std::uint64_t Rotl(std::uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }

struct Warp {
  // source = centre + M · (output − S/2), in pixel units (pixel centres at +0.5)
  double m00, m01, m10, m11, cx, cy;
  bool flip;
  bool flipVertical;
};

Warp DrawWarp(const AugmentSpec& spec, int size, ViewRandom& random) {
  const double side = size;
  const double scale = random.Uniform(spec.cropScaleMin, 1.0);
  const double logRatio = random.Uniform(-std::log(spec.cropRatioMax), std::log(spec.cropRatioMax));
  const double ratio = std::exp(logRatio);
  const double cropW = std::min(side, side * std::sqrt(scale * ratio));
  const double cropH = std::min(side, side * std::sqrt(scale / ratio));
  const double cx = random.Uniform(cropW / 2, side - cropW / 2);
  const double cy = random.Uniform(cropH / 2, side - cropH / 2);
  const double angle = random.Uniform(-spec.rotationDegrees, spec.rotationDegrees) * kPi / 180;
  const double shear = std::tan(random.Uniform(-spec.shearDegrees, spec.shearDegrees) * kPi / 180);
  const double tx = random.Uniform(-spec.translate, spec.translate) * side;
  const double ty = random.Uniform(-spec.translate, spec.translate) * side;
  const bool flip = spec.horizontalFlip && random.Uniform(0, 1) < 0.5;
  // Drawn only when enabled, so runs without it keep every later draw and stay bit-identical.
  const bool flipVertical = spec.verticalFlip && random.Uniform(0, 1) < 0.5;
  // Forward map of a centred output point p: p = R·Sh·q + t, q = (src − c) · (S / crop). Inverse below.
  const double c = std::cos(angle), s = std::sin(angle);
  // (R·Sh)⁻¹ = Sh⁻¹·R⁻¹ with Sh = [[1, k],[0, 1]], R⁻¹ = [[c, s],[−s, c]].
  const double i00 = c + shear * s, i01 = s - shear * c, i10 = -s, i11 = c;
  const double sx = cropW / side, sy = cropH / side;
  Warp warp{};
  warp.m00 = sx * i00;
  warp.m01 = sx * i01;
  warp.m10 = sy * i10;
  warp.m11 = sy * i11;
  // Fold the translation in: q = (R·Sh)⁻¹ (p − t).
  warp.cx = cx - (warp.m00 * tx + warp.m01 * ty);
  warp.cy = cy - (warp.m10 * tx + warp.m11 * ty);
  warp.flip = flip;
  warp.flipVertical = flipVertical;
  return warp;
}

float Bilinear(const std::uint8_t* image, int size, double x, double y) {
  // x, y in pixel units with centres at +0.5; borders replicate.
  x = std::clamp(x - 0.5, 0.0, size - 1.0);
  y = std::clamp(y - 0.5, 0.0, size - 1.0);
  const int x0 = static_cast<int>(x), y0 = static_cast<int>(y);
  const int x1 = std::min(x0 + 1, size - 1), y1 = std::min(y0 + 1, size - 1);
  const double fx = x - x0, fy = y - y0;
  const double top = image[y0 * size + x0] * (1 - fx) + image[y0 * size + x1] * fx;
  const double bottom = image[y1 * size + x0] * (1 - fx) + image[y1 * size + x1] * fx;
  return static_cast<float>((top * (1 - fy) + bottom * fy) / 255.0);
}

void RenderOne(const AugmentSpec& spec, const std::uint8_t* image, int size, ViewRandom& random, float* out) {
  const std::size_t pixels = static_cast<std::size_t>(size) * size;
  const Warp warp = DrawWarp(spec, size, random);
  const double contrast = random.Uniform(1 - spec.contrast, 1 + spec.contrast);
  const double brightness = random.Uniform(-spec.brightness, spec.brightness);
  const double half = size / 2.0;
  double sum = 0;
  for (int y = 0; y < size; ++y) {
    for (int x = 0; x < size; ++x) {
      double px = x + 0.5 - half;
      double py = y + 0.5 - half;
      if (warp.flip) px = -px;
      if (warp.flipVertical) py = -py;
      const double sx = warp.cx + warp.m00 * px + warp.m01 * py;
      const double sy = warp.cy + warp.m10 * px + warp.m11 * py;
      const float v = Bilinear(image, size, sx, sy);
      out[y * size + x] = v;
      sum += v;
    }
  }
  const double mean = sum / pixels;
  for (std::size_t i = 0; i < pixels; ++i) {
    const double v = std::clamp((out[i] - mean) * contrast + mean + brightness, 0.0, 1.0);
    out[i] = static_cast<float>((v - spec.mean) / spec.std);
  }
  ApplyIntensityAugment(spec, out, size, random);  // draws nothing while gamma, blur and noise are off
}

}  // namespace

ViewRandom::ViewRandom(std::uint64_t seed, std::uint64_t stream, std::uint64_t sample, std::uint64_t view) {
  std::uint64_t x = seed;
  x = SplitMix(x) ^ stream;
  x = SplitMix(x) ^ sample;
  x = SplitMix(x) ^ view;
  for (auto& word : state_) word = SplitMix(x);
}

std::uint64_t ViewRandom::Next() {  // xoshiro256**
  const std::uint64_t result = Rotl(state_[1] * 5, 7) * 9;
  const std::uint64_t t = state_[1] << 17;
  state_[2] ^= state_[0];
  state_[3] ^= state_[1];
  state_[1] ^= state_[2];
  state_[0] ^= state_[3];
  state_[2] ^= t;
  state_[3] = Rotl(state_[3], 45);
  return result;
}

double ViewRandom::Uniform(double low, double high) {
  const double unit = static_cast<double>(Next() >> 11) * (1.0 / 9007199254740992.0);
  return low + (high - low) * unit;
}

void RenderViews(const AugmentSpec& spec, const std::uint8_t* images, std::size_t imageCount, int size,
                 const std::int32_t* indices, std::size_t count, std::uint64_t seed, std::uint64_t stream,
                 std::uint64_t view, bool augment, float* out, std::size_t firstSample) {
  const std::size_t pixels = static_cast<std::size_t>(size) * size;
  for (std::size_t i = 0; i < count; ++i) {
    const std::size_t index = static_cast<std::size_t>(indices[i]);
    (void)imageCount;  // the caller has checked every index against imageCount
    const std::uint8_t* image = images + index * pixels;
    float* target = out + i * pixels;
    if (augment) {
      ViewRandom random(seed, stream, firstSample + i, view);
      RenderOne(spec, image, size, random, target);
    } else {
      for (std::size_t p = 0; p < pixels; ++p) target[p] = (image[p] / 255.0f - spec.mean) / spec.std;
    }
  }
}

}  // namespace angio::engine
