// A training session: one model (encoder + projection head + classifier head), the image sets it learns from,
// the current stage's optimizer and schedule. Plain C++ types only, so the N-API binding never includes libtorch.
//
// Units and layout (written once here):
//  - image sets: uint8, count × S × S row-major (S = SessionSpec::imageSize), labels int32 0..classes−1 (0 = no stenosis) or absent;
//  - views handed to StepOnViews: float32, normalised, (2 ×) count × 1 × S × S (pretrain: all first views, then
//    all second views);
//  - Embed: float32 count × FeatureDim(); Predict and KnnScores: float32 count, P(any stenosis) = 1 − P(class 0)
//    / share of neighbours with stenosis; PredictClasses: float32 count × classes, softmax per image.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "engine/augment.h"
#include "engine/distributed.h"

namespace angio::engine {

struct ModelSpec {
  std::string encoder = "mobilenet_v2";
  bool quantumFusion = true;  // false: the "SSL without quantum" baseline and the supervised baselines
  int qubits = 8;
  int layers = 3;
  std::string rotation = "Rot";         // RX | RY | RZ | Rot
  std::string entangler = "CnotRing";   // CnotRing | CnotChain | CzRing
  bool reupload = false;
  double alphaInit = 0.1;
  std::int64_t projectionHidden = 512;
  std::int64_t projectionDim = 128;
  std::int64_t classifierHidden = 256;
  double dropout = 0.3;
  // Output classes: 2 = {no stenosis, stenosis}; K > 2 = no stenosis, then graded classes in order of severity.
  std::int64_t classes = 2;
};

struct SessionSpec {
  ModelSpec model;
  AugmentSpec augment;
  int imageSize = 64;
  std::uint64_t seed = 0;
  int threads = 2;
  bool deterministic = true;
  // NHWC activations and conv weights: oneDNN's CPU convolutions (depthwise and their backward above all) are
  // several times faster in this layout; values are the same up to float summation order.
  bool channelsLast = true;
  // "cpu" (default), "cuda" or "cuda:N". Weights and activations live there; image sets, augmentation and the
  // quantum simulator stay on the CPU, and every file the session writes holds CPU tensors, so checkpoints and
  // models move freely between machines. A device this libtorch build or machine lacks is device-unavailable.
  std::string device = "cpu";
  // BatchNorm layers normalise with their running statistics while training (eval-mode BatchNorm; their scale and
  // shift still learn). Off (the default), each data-parallel rank normalises with its own batch's statistics,
  // as PyTorch DDP does without SyncBatchNorm; on, a step gives the same result however the batch is split.
  bool freezeBatchNorm = false;
};

/**
 * Semi-supervised consistency for a classifier stage (FixMatch): each step also draws ratio × batch images from
 * `imageSet`, pseudo-labels those the model (in eval mode, on a weak view) gives a class with probability ≥
 * threshold, and adds weight × the mean cross-entropy of their strong views (augment_strong.h) against those labels,
 * unconfident images counting as 0. Off while imageSet is empty. Weight 0 still pseudo-labels (the share is
 * reported) but leaves the step exactly the plain one: no strong forward, no dropout draw, no BatchNorm update.
 */
struct UnlabeledConsistency {
  std::string imageSet;
  double weight = 1.0;
  double threshold = 0.95;
  int ratio = 7;
};

/**
 * pretrain: encoder + projection head, NT-Xent on two views;  head: encoder frozen, classifier only;
 * finetune: the last `trainableBlocks` encoder blocks at learningRate × encoderLrScale, plus the classifier;
 * supervised: everything from scratch (the baselines).
 */
struct StageSpec {
  std::string kind = "pretrain";
  std::string imageSet = "train";
  double learningRate = 1e-3;
  double weightDecay = 1e-4;
  std::int64_t totalSteps = 1;
  std::int64_t warmupSteps = 0;
  int trainableBlocks = 0;
  double encoderLrScale = 0.1;
  double temperature = 0.2;
  std::vector<double> classWeights;  // empty: unweighted
  // Pretrain stages: "simclr" (NT-Xent, `temperature`) or "byol" (engine/byol.h: predictor + EMA target whose
  // momentum rises from emaMomentum to 1 along a cosine over the stage).
  std::string objective = "simclr";
  double emaMomentum = 0.99;
  UnlabeledConsistency unlabeled;    // classifier stages only; off by default
};

struct StepResult {
  double loss;
  double learningRate;
  std::int64_t stageStep;   // steps done in this stage, after this one
  std::int64_t globalStep;  // steps done in the session (all stages), after this one
  // With UnlabeledConsistency on: the share of drawn unlabelled images given a pseudo-label, and their loss term
  // (weight × masked mean cross-entropy, part of `loss`); −1 and 0 when the step had none.
  double pseudoLabelShare = -1;
  double unlabeledLoss = 0;
};

struct NamedArray {
  std::string name;
  std::vector<std::int64_t> shape;
  std::vector<float> values;
};

class TrainingSession {
 public:
  explicit TrainingSession(const SessionSpec& spec);
  ~TrainingSession();
  TrainingSession(const TrainingSession&) = delete;
  TrainingSession& operator=(const TrainingSession&) = delete;

  /** Copies the set (`pixelCount` bytes, a whole number of S × S images; `labelCount` labels, one per image, or
   *  labels null and labelCount 0); replaces one of the same name. Throws empty-dataset / invalid-batch. */
  void SetImages(const std::string& name, const std::uint8_t* pixels, std::size_t pixelCount,
                 const std::int32_t* labels, std::size_t labelCount);
  std::size_t ImageCount(const std::string& name) const;

  /** Starts a stage: fresh AdamW over the stage's trainable parameters, cosine schedule from step 0. */
  void ConfigureStage(const StageSpec& stage);
  StepResult Step(const std::int32_t* indices, std::size_t count);
  /** `viewFloats` must be (pretrain: 2 ×) count × S × S; labels (classifier stages) one per image. */
  StepResult StepOnViews(const float* views, std::size_t viewFloats, std::size_t count, const std::int32_t* labels,
                         std::size_t labelCount);
  /** The learning rate the schedule gives at a stage step ≥ 0 (warmup, then cosine to 0). */
  double LearningRateAt(std::int64_t stageStep) const;

  /** What a step renders (augment = true, for `stream` = global step) or evaluation sees: count × S × S floats. */
  std::vector<float> PreviewViews(const std::string& name, const std::int32_t* indices, std::size_t count,
                                  std::uint64_t stream, std::uint64_t view, bool augment) const;

  std::vector<float> Embed(const std::string& name);
  std::vector<float> Predict(const std::string& name);
  std::vector<float> PredictClasses(const std::string& name);
  std::vector<float> KnnScores(const std::string& bank, const std::string& query, int k, bool leaveOneOut);

  /** Everything needed to continue bit-identically; written to path + ".tmp", synced, then renamed. */
  void SaveCheckpoint(const std::string& path, const std::string& meta);
  /** Restores a SaveCheckpoint file (stage, optimizer, counters, RNG) and returns its meta. */
  std::string LoadCheckpoint(const std::string& path);
  /** Weights only (the deployable model), atomically; `meta` carries preprocessing and threshold. */
  void ExportModel(const std::string& path, const std::string& meta);
  /** Loads a model file's weights; with `parts` (top-level modules: encoder, projector, classifier) only those,
   *  so a pretrained encoder can start runs whose heads differ (SSL-Quantum and SSL without it). */
  std::string ImportModel(const std::string& path, const std::vector<std::string>& parts = {});

  /** Joins a data-parallel group (blocks until every rank has joined; engine/distributed.h). Rank 0's weights and
   *  buffers are broadcast to all; afterwards each Step / StepOnViews call is this rank's slice of the global batch,
   *  gradients are averaged over ranks and NT-Xent draws its negatives from every rank. */
  void JoinGroup(const DistributedSpec& spec);
  /** Closes the group's connections; the session trains alone again. */
  void LeaveGroup();
  DistributedStats GroupStats() const;
  /** True when every rank holds bit-identical weights (after a checkpoint load: all ranks read the same file). */
  bool ReplicasAgree();

  std::vector<NamedArray> Parameters(bool includeBuffers) const;
  std::int64_t ParameterCount(const std::string& part) const;
  std::int64_t FeatureDim() const;
  std::int64_t BlockCount() const;
  std::int64_t ClassCount() const;
  int ImageSize() const;

  struct State;

 private:
  std::unique_ptr<State> state_;
};

}  // namespace angio::engine
