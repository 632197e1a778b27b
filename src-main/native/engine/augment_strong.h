// The strong view of semi-supervised fine-tuning (FixMatch, Sohn et al., NeurIPS 2020): what the model must still
// classify as its own confident prediction on the weak view said. Built for greyscale angiograms: the weak view's
// geometry made wider, then contrast, gamma, blur and noise. No colour (there is none) and no cutout: erasing a
// square could erase the stenosis the pseudo-label is about. Plain C++, no libtorch, counter-based like augment.h.
#pragma once

#include <cstddef>
#include <cstdint>

#include "engine/augment.h"

namespace angio::engine {

/** The weak spec with wider crops, rotation, shear, shift, brightness and contrast (never narrower than weak). */
AugmentSpec StrongGeometry(const AugmentSpec& weak);

/**
 * Writes `count` strong views (count × S × S normalised floats, as RenderViews) for images[indices[i]]: the
 * StrongGeometry warp, then per image a gamma in [0.67, 1.5] (log-uniform), with probability ½ a Gaussian blur
 * (σ 0.3–1.0 px) and with probability ½ Gaussian noise (σ 0.01–0.04 of the intensity range). Same arguments and
 * counter-based randomness as RenderViews (augment.h); `view` should differ from every weak view's.
 */
void RenderStrongViews(const AugmentSpec& weak, const std::uint8_t* images, std::size_t imageCount, int size,
                       const std::int32_t* indices, std::size_t count, std::uint64_t seed, std::uint64_t stream,
                       std::uint64_t view, float* out, std::size_t firstSample = 0);

}  // namespace angio::engine
