// Semi-supervised fine-tuning on the unlabelled pool, FixMatch-style (Sohn et al., NeurIPS 2020): pseudo-labels
// from a weak view where the model is confident, cross-entropy of a strong view against them. The settings are
// StageSpec::unlabeled (session.h); session.cc calls these around its supervised loss.
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include <torch/torch.h>

#include "engine/session_state.h"

namespace angio::engine {

struct PseudoLabels {
  std::vector<std::int32_t> indices;  // the drawn images of the unlabelled set
  torch::Tensor targets;              // int64, argmax class per drawn image
  torch::Tensor confident;            // float 0/1 per drawn image: max probability ≥ threshold
  double share = 0;                   // mean of `confident`
  std::size_t firstSample = 0;        // position of this rank's first drawn image in the global draw
};

/** invalid-config / unknown-image-set unless the stage's consistency settings make sense (no-op when off). */
void ValidateConsistency(const TrainingSession::State& st, const StageSpec& stage);

/**
 * For a classifier stage with consistency on: draws ratio × `labelledCount` images (counter-based on seed and global
 * step, so a resumed run draws the same), renders their weak views and labels them with the network in eval mode
 * under no-grad, which changes no weight, running statistic or generator. nullopt when the stage has none.
 * Leaves the network in eval mode: call SetTrainingModes() afterwards.
 */
std::optional<PseudoLabels> DrawPseudoLabels(TrainingSession::State& st, std::int64_t labelledCount);

/** weight × mean over the drawn images of confident × cross-entropy(strong view, pseudo-label); the network must
 *  be in its training modes. Undefined when the weight is 0 (the plain step, exactly). */
torch::Tensor ConsistencyLoss(TrainingSession::State& st, const PseudoLabels& pseudo);

}  // namespace angio::engine
