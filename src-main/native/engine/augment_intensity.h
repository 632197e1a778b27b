// Grey-level changes of a training view that fit angiograms (no colour to jitter): a gamma curve, a Gaussian blur
// and Gaussian noise, as a detector's curve, focus and dose vary. Each is off at its default (AugmentSpec), and
// draws no random numbers while off, so views rendered without them stay exactly as before.
#pragma once

#include "engine/augment.h"

namespace angio::engine {

/** True when any of gamma, blur or noise is switched on. */
bool IntensityAugmentOn(const AugmentSpec& spec);

/**
 * Applies gamma (γ log-uniform in [1/(1+gamma), 1+gamma]), then with probability blurProbability a Gaussian blur
 * (σ uniform in [0.1, blurSigma] px, borders replicated), then noise (σ uniform in [0, noise] of the intensity
 * range, per pixel) to one normalised S × S view in place, drawing from `random`; clamps to [0, 1] before
 * normalising again with spec.mean and spec.std.
 */
void ApplyIntensityAugment(const AugmentSpec& spec, float* view, int size, ViewRandom& random);

}  // namespace angio::engine
