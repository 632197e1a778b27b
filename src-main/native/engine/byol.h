// BYOL (Grill et al., NeurIPS 2020): the online encoder + projector learn to predict, through a small predictor MLP,
// what a slowly moving copy of themselves (the target, an exponential moving average of the online weights) makes
// of the other view. No negatives, so it does not lean on large batches the way NT-Xent does.
//
// The target and the predictor exist only while a BYOL pretrain stage runs; they are saved in its checkpoints and
// listed by Parameters() as byol.target.* and byol.predictor.*. The exported model keeps the online network only.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include <torch/torch.h>

#include "engine/encoders.h"
#include "engine/heads.h"
#include "engine/session.h"

namespace angio::engine {

/** Same layout and parameter names as the online network's encoder.* and projector.*. */
struct ByolTargetImpl : torch::nn::Module {
  ByolTargetImpl(const ModelSpec& spec, int64_t featureDim);
  Encoder encoder{nullptr};
  ProjectionHead projector{nullptr};
};
TORCH_MODULE(ByolTarget);

struct ByolState {
  double baseMomentum = 0.99;
  ByolTarget target{nullptr};
  ProjectionHead predictor{nullptr};  // projectionDim → projectionHidden → projectionDim, as the BYOL paper's
};

/** EMA momentum after stage step k of K: τ = 1 − (1 − τ_base)(cos(πk/K) + 1)/2, from τ_base up to 1. */
double ByolMomentum(double baseMomentum, std::int64_t step, std::int64_t totalSteps);

/** Symmetric BYOL loss over a batch: mean over images of (2 − 2 cos(p1, t2)) + (2 − 2 cos(p2, t1)), in [0, 8]. */
torch::Tensor ByolLoss(const torch::Tensor& p1, const torch::Tensor& p2, const torch::Tensor& t1, const torch::Tensor& t2);

// The session's side (session.cc, session_io.cc).

/** For a BYOL pretrain stage: a target equal to the online encoder + projector, a fresh predictor, and the
 *  predictor's parameter group appended to `groups` (the stage's learning rate and weight decay). Null otherwise.
 *  Leaves torch's global generator where it was, so every later random draw is the one a SimCLR run makes. */
std::unique_ptr<ByolState> StartByol(TrainingSession::State& st, const StageSpec& stage,
                                     std::vector<torch::optim::OptimizerParamGroup>& groups);
/** Loss of one step on `input` (all first views, then all second views): online and target each see both views
 *  as one batch, as the SimCLR step does. */
torch::Tensor ByolStepLoss(TrainingSession::State& st, const torch::Tensor& input);
/** After the optimizer step: target ← τ·target + (1 − τ)·online, τ at the stage step just taken. */
void UpdateByolTarget(TrainingSession::State& st);
void AppendByolParameters(const ByolState& byol, bool includeBuffers, std::vector<NamedArray>& out);
/** Checkpoint entries byol.names / byol.tensors: target and predictor, parameters and buffers. */
void PutByolState(c10::impl::GenericDict& dict, const ByolState& byol);
void TakeByolState(const c10::impl::GenericDict& dict, ByolState& byol, const std::string& path);

}  // namespace angio::engine
