// Strong views: RenderViews with the wider geometry, then photometric changes on the [0, 1] intensities.
#include "engine/augment_strong.h"

#include <algorithm>
#include <cmath>
#include <vector>

namespace angio::engine {
namespace {

constexpr double kPi = 3.14159265358979323846;
// Keeps the photometric draws apart from the warp's, which RenderViews makes with the same (seed, stream, sample, view).
constexpr std::uint64_t kPhotometricView = 0x70686f746fULL;

/** Separable Gaussian blur of one S × S image in place, borders replicated (as the warp's sampling does). */
void Blur(float* image, int size, double sigma, std::vector<float>& scratch) {
  const int radius = std::max(1, static_cast<int>(std::ceil(2 * sigma)));
  std::vector<double> kernel(2 * radius + 1);
  double total = 0;
  for (int k = -radius; k <= radius; ++k) {
    kernel[k + radius] = std::exp(-0.5 * k * k / (sigma * sigma));
    total += kernel[k + radius];
  }
  for (auto& w : kernel) w /= total;
  scratch.assign(static_cast<std::size_t>(size) * size, 0.0f);
  auto clampIndex = [size](int i) { return std::clamp(i, 0, size - 1); };
  for (int y = 0; y < size; ++y) {
    for (int x = 0; x < size; ++x) {
      double sum = 0;
      for (int k = -radius; k <= radius; ++k) sum += kernel[k + radius] * image[y * size + clampIndex(x + k)];
      scratch[y * size + x] = static_cast<float>(sum);
    }
  }
  for (int y = 0; y < size; ++y) {
    for (int x = 0; x < size; ++x) {
      double sum = 0;
      for (int k = -radius; k <= radius; ++k) sum += kernel[k + radius] * scratch[clampIndex(y + k) * size + x];
      image[y * size + x] = static_cast<float>(sum);
    }
  }
}

double StandardNormal(ViewRandom& random) {
  // Box–Muller; 1 − U keeps the logarithm's argument in (0, 1].
  const double u1 = 1.0 - random.Uniform(0, 1), u2 = random.Uniform(0, 1);
  return std::sqrt(-2 * std::log(u1)) * std::cos(2 * kPi * u2);
}

void Photometric(const AugmentSpec& spec, float* view, int size, ViewRandom& random, std::vector<float>& scratch) {
  const std::size_t pixels = static_cast<std::size_t>(size) * size;
  const double gamma = std::exp(random.Uniform(std::log(1 / 1.5), std::log(1.5)));
  const bool blur = random.Uniform(0, 1) < 0.5;
  const double sigma = random.Uniform(0.3, 1.0);
  const bool noisy = random.Uniform(0, 1) < 0.5;
  const double noise = random.Uniform(0.01, 0.04);
  for (std::size_t i = 0; i < pixels; ++i) {
    const double intensity = std::clamp(static_cast<double>(view[i]) * spec.std + spec.mean, 0.0, 1.0);
    view[i] = static_cast<float>(std::pow(intensity, gamma));
  }
  if (blur) Blur(view, size, sigma, scratch);
  for (std::size_t i = 0; i < pixels; ++i) {
    double v = view[i];
    if (noisy) v += noise * StandardNormal(random);
    view[i] = static_cast<float>((std::clamp(v, 0.0, 1.0) - spec.mean) / spec.std);
  }
}

}  // namespace

AugmentSpec StrongGeometry(const AugmentSpec& weak) {
  AugmentSpec strong = weak;
  strong.rotationDegrees = std::max(weak.rotationDegrees, 20.0);
  strong.cropScaleMin = std::min(weak.cropScaleMin, 0.4);
  strong.translate = std::max(weak.translate, 0.1);
  strong.shearDegrees = std::max(weak.shearDegrees, 10.0);
  strong.brightness = std::max(weak.brightness, 0.2);
  strong.contrast = std::max(weak.contrast, 0.4);
  return strong;
}

void RenderStrongViews(const AugmentSpec& weak, const std::uint8_t* images, std::size_t imageCount, int size,
                       const std::int32_t* indices, std::size_t count, std::uint64_t seed, std::uint64_t stream,
                       std::uint64_t view, float* out, std::size_t firstSample) {
  RenderViews(StrongGeometry(weak), images, imageCount, size, indices, count, seed, stream, view, /*augment=*/true, out,
              firstSample);
  const std::size_t pixels = static_cast<std::size_t>(size) * size;
  std::vector<float> scratch;
  for (std::size_t i = 0; i < count; ++i) {
    ViewRandom random(seed, stream, firstSample + i, view ^ kPhotometricView);
    Photometric(weak, out + i * pixels, size, random, scratch);
  }
}

}  // namespace angio::engine
