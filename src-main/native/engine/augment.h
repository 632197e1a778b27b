// Medical-safe view augmentation and batching over a uint8 image set (N × S × S, already preprocessed in
// TypeScript): plain C++, no libtorch. Output is normalised float32, N × 1 × S × S, ready for the encoders.
//
// Randomness is counter-based (seed, stream, sample, view) → the same batch always gets the same views, so a
// resumed run needs only the step counter, not a generator state, to reproduce its augmentations.
#pragma once

#include <cstddef>
#include <cstdint>

namespace angio::engine {

struct AugmentSpec {
  double rotationDegrees = 10.0;  // uniform in ±; angiography patches have no canonical orientation beyond small tilt
  double cropScaleMin = 0.7;      // random resized crop: area fraction in [cropScaleMin, 1]
  double cropRatioMax = 4.0 / 3;  // aspect ratio in [1/cropRatioMax, cropRatioMax]
  double translate = 0.05;        // fraction of the side
  double shearDegrees = 5.0;
  double brightness = 0.1;        // additive, in [0,1] intensity units
  double contrast = 0.2;          // multiplicative around the image mean, in [1-c, 1+c]
  bool horizontalFlip = true;
  // Off by default: projection geometry (vessel above/below) may carry meaning, and every earlier run kept it;
  // test-time averaging over vertical flips and half turns raised AUC, so training may show them too.
  bool verticalFlip = false;
  // Grey-level changes after contrast and brightness (engine/augment_intensity.h); 0 = off, the default.
  double gamma = 0;               // γ log-uniform in [1/(1+gamma), 1+gamma]
  double blurSigma = 0;           // Gaussian blur σ uniform in [0.1, blurSigma] px, with probability blurProbability
  double blurProbability = 0.5;
  double noise = 0;               // Gaussian noise σ uniform in [0, noise], intensity units
  float mean = 0.5f;              // normalisation after augmentation: (x/255 - mean) / std
  float std = 0.25f;
};

/** Counter-based generator: the same (seed, stream, sample, view) always yields the same numbers. */
class ViewRandom {
 public:
  ViewRandom(std::uint64_t seed, std::uint64_t stream, std::uint64_t sample, std::uint64_t view);
  double Uniform(double low, double high);

 private:
  std::uint64_t state_[4];
  std::uint64_t Next();
};

/**
 * Writes `count` views (count × S × S floats) for images[indices[i]]; `stream` is usually the global step and
 * `view` tells the two SimCLR views apart. augment = false only normalises (evaluation, inference).
 * `firstSample` is the position of indices[0] in the global batch: a data-parallel rank rendering its slice draws
 * the same random views the whole batch would have drawn in one process.
 */
void RenderViews(const AugmentSpec& spec, const std::uint8_t* images, std::size_t imageCount, int size,
                 const std::int32_t* indices, std::size_t count, std::uint64_t seed, std::uint64_t stream,
                 std::uint64_t view, bool augment, float* out, std::size_t firstSample = 0);

}  // namespace angio::engine
