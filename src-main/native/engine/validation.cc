// Range checks for session and stage settings (engine/validation.h). NaN fails every comparison below, so each
// check is written as "inside the range" and negated: a NaN setting is refused like any other bad value.
#include "engine/validation.h"

#include <cmath>
#include <string>

#include "engine/engine_error.h"

namespace angio::engine {
namespace {

void Require(bool inside, const std::string& what) {
  if (!inside) throw EngineError("invalid-config", what);
}

bool Within(double value, double low, double high) { return value >= low && value <= high; }

}  // namespace

void ValidateSessionSpec(const SessionSpec& spec) {
  Require(spec.imageSize >= 16 && spec.imageSize <= 512,
          "Image size " + std::to_string(spec.imageSize) + " is outside 16–512 pixels.");
  Require(spec.threads >= 1 && spec.threads <= 256, "Thread count must be 1–256.");
  const auto& m = spec.model;
  Require(m.classes >= 2 && m.classes <= kMaxClasses, "The model needs 2 to 64 classes.");
  Require(m.projectionHidden >= 1 && m.projectionHidden <= kMaxHeadWidth && m.projectionDim >= 1 &&
              m.projectionDim <= kMaxHeadWidth && m.classifierHidden >= 1 && m.classifierHidden <= kMaxHeadWidth,
          "Head widths (projectionHidden, projectionDim, classifierHidden) must be 1–8192.");
  Require(m.dropout >= 0 && m.dropout < 1, "Dropout must be at least 0 and below 1.");
  Require(std::isfinite(m.alphaInit), "The quantum fusion weight alphaInit must be a finite number.");
  const auto& a = spec.augment;
  Require(Within(a.rotationDegrees, 0, 180), "Augmentation rotation must be 0–180 degrees.");
  Require(a.cropScaleMin > 0 && a.cropScaleMin <= 1, "Augmentation cropScaleMin must be above 0 and at most 1.");
  Require(Within(a.cropRatioMax, 1, 10), "Augmentation cropRatioMax must be 1–10.");
  Require(Within(a.translate, 0, 1), "Augmentation translate must be 0–1 (a fraction of the side).");
  Require(Within(a.shearDegrees, 0, 80), "Augmentation shear must be 0–80 degrees.");
  Require(Within(a.brightness, 0, 1) && Within(a.contrast, 0, 1), "Augmentation brightness and contrast must be 0–1.");
  Require(Within(a.gamma, 0, 1), "Augmentation gamma must be 0–1 (γ up to 1 + gamma).");
  Require(Within(a.blurSigma, 0, 5) && Within(a.blurProbability, 0, 1),
          "Augmentation blurSigma must be 0–5 pixels and blurProbability 0–1.");
  Require(Within(a.noise, 0, 0.5), "Augmentation noise must be 0–0.5 (intensity units).");
  Require(std::isfinite(a.mean) && std::isfinite(a.std) && a.std > 0,
          "Normalisation needs a finite mean and a positive, finite std.");
}

void ValidateStageSpec(const StageSpec& stage, std::int64_t classes) {
  Require(stage.totalSteps >= 1 && stage.warmupSteps >= 0,
          "A stage needs totalSteps ≥ 1, warmupSteps ≥ 0 and a positive learning rate.");
  Require(std::isfinite(stage.learningRate) && stage.learningRate > 0,
          "A stage needs totalSteps ≥ 1, warmupSteps ≥ 0 and a positive learning rate.");
  Require(std::isfinite(stage.weightDecay) && stage.weightDecay >= 0, "Weight decay must be a finite number ≥ 0.");
  Require(std::isfinite(stage.encoderLrScale) && stage.encoderLrScale >= 0, "encoderLrScale must be a finite number ≥ 0.");
  Require(std::isfinite(stage.temperature) && stage.temperature > 0, "The NT-Xent temperature must be a positive number.");
  Require(stage.objective == "simclr" || stage.objective == "byol",
          "Unknown pretraining objective '" + stage.objective + "': choose simclr or byol.");
  Require(Within(stage.emaMomentum, 0, 1), "The BYOL target momentum emaMomentum must be 0–1.");
  // More blocks than the encoder has means all of them (a config need not know each encoder's depth).
  Require(stage.trainableBlocks >= 0, "trainableBlocks must be 0 or more.");
  if (stage.classWeights.empty()) return;
  Require(stage.classWeights.size() == static_cast<std::size_t>(classes),
          "Class weights must list exactly " + std::to_string(classes) + " values, one per class.");
  double total = 0;
  for (double weight : stage.classWeights) {
    Require(std::isfinite(weight) && weight >= 0, "Class weights must be finite numbers ≥ 0.");
    total += weight;
  }
  Require(total > 0, "At least one class weight must be above 0.");
}

void ValidateBatchSize(std::size_t count) {
  if (count < 2 || count > kMaxBatchImages) {
    throw EngineError("invalid-batch", "A training batch needs 2 to " + std::to_string(kMaxBatchImages) +
                                           " images (BatchNorm and NT-Xent need at least 2); it has " +
                                           std::to_string(count) + ".");
  }
}

}  // namespace angio::engine
