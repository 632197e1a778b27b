// Pseudo-labels in eval mode (the model's own prediction, and nothing it computes leaves a trace), strong views
// in training mode (separate from the labelled batch, so the supervised half of a step is the plain step).
#include "engine/semi_supervised.h"

#include <algorithm>
#include <cmath>

#include "engine/augment_strong.h"
#include "engine/engine_error.h"
#include "engine/validation.h"

namespace angio::engine {
namespace {

// View numbers of a step's counter-based draws: labelled views use 0 (and 1 in pretraining).
constexpr std::uint64_t kIndexDraw = 0x756e6c6162ULL;
constexpr std::uint64_t kWeakView = 2;
constexpr std::uint64_t kStrongView = 3;

bool IsClassifier(const std::string& kind) { return kind == "head" || kind == "finetune" || kind == "supervised"; }

/** Same reason as session.cc's copy: oneDNN picks its layout from strides, which `contiguous` may leave NCHW. */
torch::Tensor ForNetwork(const TrainingSession::State& st, const torch::Tensor& views) {
  const auto onDevice = views.to(st.device);
  if (!st.spec.channelsLast) return onDevice;
  return torch::empty_like(onDevice, onDevice.options(), torch::MemoryFormat::ChannelsLast).copy_(onDevice);
}

torch::Tensor Logits(TrainingSession::State& st, const torch::Tensor& input, bool encoderFrozen) {
  torch::Tensor h;
  if (encoderFrozen) {
    torch::NoGradGuard frozen;
    h = st.network->encoder->forward(input);
  } else {
    h = st.network->encoder->forward(input);
  }
  return st.network->classifier->forward(h);
}

}  // namespace

void ValidateConsistency(const TrainingSession::State& st, const StageSpec& stage) {
  const auto& u = stage.unlabeled;
  if (u.imageSet.empty()) return;
  auto require = [](bool inside, const std::string& what) {
    if (!inside) throw EngineError("invalid-config", what);
  };
  require(IsClassifier(stage.kind), "Unlabelled consistency belongs to a classifier stage (head, finetune or supervised), not '" + stage.kind + "'.");
  require(std::isfinite(u.weight) && u.weight >= 0, "The unlabelled consistency weight must be a finite number ≥ 0.");
  require(u.threshold > 0 && u.threshold <= 1, "The pseudo-label threshold must be above 0 and at most 1.");
  require(u.ratio >= 1 && u.ratio <= 64, "The unlabelled ratio must be 1–64 images per labelled image.");
  if (st.Images(u.imageSet).pixels.size(0) < 1) {  // Images() throws unknown-image-set for a name never handed over
    throw EngineError("empty-dataset", "The unlabelled image set '" + u.imageSet + "' is empty.");
  }
}

std::optional<PseudoLabels> DrawPseudoLabels(TrainingSession::State& st, std::int64_t labelledCount) {
  const auto& s = *st.stage;
  if (s.unlabeled.imageSet.empty() || !IsClassifier(s.kind)) return std::nullopt;
  const auto& images = st.Images(s.unlabeled.imageSet);
  const auto available = images.pixels.size(0);
  const auto count = static_cast<std::size_t>(s.unlabeled.ratio * labelledCount);
  if (count > kMaxBatchImages) {
    throw EngineError("invalid-batch", "A step would draw " + std::to_string(count) + " unlabelled images; at most " +
                                           std::to_string(kMaxBatchImages) + ": lower the ratio or the batch.");
  }
  PseudoLabels pseudo;
  // A data-parallel rank draws its slice of the global draw, as its labelled images are its slice of the batch.
  pseudo.firstSample = st.group ? static_cast<std::size_t>(st.group->Rank()) * count : 0;
  const auto stream = static_cast<std::uint64_t>(st.globalStep);
  pseudo.indices.resize(count);
  for (std::size_t i = 0; i < count; ++i) {
    ViewRandom random(st.spec.seed, stream, pseudo.firstSample + i, kIndexDraw);
    const auto drawn = static_cast<std::int64_t>(random.Uniform(0, static_cast<double>(available)));
    pseudo.indices[i] = static_cast<std::int32_t>(std::min<std::int64_t>(drawn, available - 1));
  }
  const int64_t side = st.spec.imageSize, n = static_cast<int64_t>(count);
  auto weak = torch::empty({n, 1, side, side}, torch::kFloat32);
  RenderViews(st.spec.augment, images.pixels.data_ptr<std::uint8_t>(), static_cast<std::size_t>(available),
              static_cast<int>(side), pseudo.indices.data(), count, st.spec.seed, stream, kWeakView, /*augment=*/true,
              weak.data_ptr<float>(), pseudo.firstSample);
  torch::NoGradGuard noGrad;
  st.network->eval();
  auto probabilities = torch::softmax(Logits(st, ForNetwork(st, weak), /*encoderFrozen=*/true), 1);
  auto [best, classes] = probabilities.max(1);
  pseudo.targets = classes;
  pseudo.confident = best.ge(s.unlabeled.threshold).to(torch::kFloat32);
  pseudo.share = pseudo.confident.mean().item<double>();
  return pseudo;
}

torch::Tensor ConsistencyLoss(TrainingSession::State& st, const PseudoLabels& pseudo) {
  const auto& s = *st.stage;
  if (s.unlabeled.weight == 0) return {};
  const auto& images = st.Images(s.unlabeled.imageSet);
  const int64_t side = st.spec.imageSize, n = static_cast<int64_t>(pseudo.indices.size());
  auto strong = torch::empty({n, 1, side, side}, torch::kFloat32);
  RenderStrongViews(st.spec.augment, images.pixels.data_ptr<std::uint8_t>(), static_cast<std::size_t>(images.pixels.size(0)),
                    static_cast<int>(side), pseudo.indices.data(), pseudo.indices.size(), st.spec.seed,
                    static_cast<std::uint64_t>(st.globalStep), kStrongView, strong.data_ptr<float>(), pseudo.firstSample);
  auto logits = Logits(st, ForNetwork(st, strong), /*encoderFrozen=*/s.kind == "head");
  namespace F = torch::nn::functional;
  auto perImage = F::cross_entropy(logits, pseudo.targets, F::CrossEntropyFuncOptions().reduction(torch::kNone));
  // FixMatch divides by every drawn image, not by the confident ones: few confident images, a small term.
  return s.unlabeled.weight * (perImage * pseudo.confident).mean();
}

}  // namespace angio::engine
