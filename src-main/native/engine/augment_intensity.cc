// Gamma, blur and noise on one view (engine/augment_intensity.h), computed on [0, 1] intensities.
#include "engine/augment_intensity.h"

#include <algorithm>
#include <cmath>
#include <vector>

namespace angio::engine {
namespace {

constexpr double kPi = 3.14159265358979323846;

/** Separable Gaussian blur in place, radius ⌈3σ⌉, borders replicated as the warp's sampling does. */
void GaussianBlur(std::vector<double>& image, int size, double sigma) {
  const int radius = std::max(1, static_cast<int>(std::ceil(3 * sigma)));
  std::vector<double> kernel(2 * radius + 1);
  double total = 0;
  for (int k = -radius; k <= radius; ++k) total += kernel[k + radius] = std::exp(-0.5 * k * k / (sigma * sigma));
  for (auto& w : kernel) w /= total;
  auto at = [size](int i) { return std::clamp(i, 0, size - 1); };
  std::vector<double> rows(image.size());
  for (int y = 0; y < size; ++y) {
    for (int x = 0; x < size; ++x) {
      double sum = 0;
      for (int k = -radius; k <= radius; ++k) sum += kernel[k + radius] * image[y * size + at(x + k)];
      rows[y * size + x] = sum;
    }
  }
  for (int y = 0; y < size; ++y) {
    for (int x = 0; x < size; ++x) {
      double sum = 0;
      for (int k = -radius; k <= radius; ++k) sum += kernel[k + radius] * rows[at(y + k) * size + x];
      image[y * size + x] = sum;
    }
  }
}

double StandardNormal(ViewRandom& random) {
  // Box–Muller; 1 − U keeps the logarithm's argument in (0, 1].
  const double u1 = 1.0 - random.Uniform(0, 1), u2 = random.Uniform(0, 1);
  return std::sqrt(-2 * std::log(u1)) * std::cos(2 * kPi * u2);
}

}  // namespace

bool IntensityAugmentOn(const AugmentSpec& spec) { return spec.gamma > 0 || spec.blurSigma > 0 || spec.noise > 0; }

void ApplyIntensityAugment(const AugmentSpec& spec, float* view, int size, ViewRandom& random) {
  if (!IntensityAugmentOn(spec)) return;
  const std::size_t pixels = static_cast<std::size_t>(size) * size;
  std::vector<double> v(pixels);
  for (std::size_t i = 0; i < pixels; ++i) v[i] = std::clamp(static_cast<double>(view[i]) * spec.std + spec.mean, 0.0, 1.0);
  if (spec.gamma > 0) {
    const double gamma = std::exp(random.Uniform(-std::log1p(spec.gamma), std::log1p(spec.gamma)));
    for (auto& x : v) x = std::pow(x, gamma);
  }
  if (spec.blurSigma > 0 && random.Uniform(0, 1) < spec.blurProbability) {
    GaussianBlur(v, size, random.Uniform(0.1, std::max(0.1, spec.blurSigma)));
  }
  const double noise = spec.noise > 0 ? random.Uniform(0, spec.noise) : 0;
  for (std::size_t i = 0; i < pixels; ++i) {
    const double x = noise > 0 ? v[i] + noise * StandardNormal(random) : v[i];
    view[i] = static_cast<float>((std::clamp(x, 0.0, 1.0) - spec.mean) / spec.std);
  }
}

}  // namespace angio::engine
