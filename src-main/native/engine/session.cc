// Stages, steps and evaluation. One step = render views natively → forward → loss → backward → AdamW with the
// stage's warmup + cosine learning rate. Every random draw is seeded (torch's generator for init and dropout,
// counter-based views for augmentation), so a seed fixes the whole run.
#include "engine/session_state.h"

#include <cmath>
#include <optional>

#include <torch/cuda.h>

#include "engine/cpu_block_cache.h"
#include "engine/engine_error.h"
#include "engine/objectives.h"
#include "engine/semi_supervised.h"
#include "engine/validation.h"

namespace angio::engine {
namespace {

quantum::Rotation RotationFrom(const std::string& name) {
  if (name == "RX") return quantum::Rotation::RX;
  if (name == "RY") return quantum::Rotation::RY;
  if (name == "RZ") return quantum::Rotation::RZ;
  if (name == "Rot") return quantum::Rotation::Rot;
  throw EngineError("invalid-config", "Unknown quantum rotation '" + name + "': choose RX, RY, RZ or Rot.");
}

quantum::Entangler EntanglerFrom(const std::string& name) {
  if (name == "CnotRing") return quantum::Entangler::CnotRing;
  if (name == "CnotChain") return quantum::Entangler::CnotChain;
  if (name == "CzRing") return quantum::Entangler::CzRing;
  throw EngineError("invalid-config", "Unknown entangler '" + name + "': choose CnotRing, CnotChain or CzRing.");
}

bool IsClassifierStage(const std::string& kind) { return kind == "head" || kind == "finetune" || kind == "supervised"; }

/**
 * A channels-last copy whatever the shape. `contiguous(ChannelsLast)` is not enough: a tensor with one channel or
 * a 1×1 / depthwise kernel already counts as contiguous in both layouts and comes back unchanged, with strides
 * that suggest NCHW — and oneDNN picks the convolution layout from those strides, so the 1-channel input, the stem,
 * every 1×1 and every depthwise weight would have kept the whole network in NCHW (~1.6× slower steps at 128²).
 */
torch::Tensor ChannelsLastCopy(const torch::Tensor& t) {
  return torch::empty_like(t, t.options(), torch::MemoryFormat::ChannelsLast).copy_(t);
}

std::vector<float> ToVector(const torch::Tensor& t) {
  auto c = t.to(torch::kCPU, torch::kFloat32).contiguous();
  return std::vector<float>(c.data_ptr<float>(), c.data_ptr<float>() + c.numel());
}

}  // namespace

quantum::CircuitSpec CircuitFrom(const ModelSpec& spec) {
  quantum::CircuitSpec circuit;
  circuit.qubits = spec.qubits;
  circuit.layers = spec.layers;
  circuit.rotation = RotationFrom(spec.rotation);
  circuit.entangler = EntanglerFrom(spec.entangler);
  circuit.reupload = spec.reupload;
  try {
    quantum::Validate(circuit, 1);
  } catch (const std::invalid_argument& error) {
    throw EngineError("invalid-config", std::string("Quantum layer settings rejected: ") + error.what());
  }
  return circuit;
}

torch::Device DeviceFrom(const std::string& name) {
  std::optional<torch::Device> device;
  try {
    device = torch::Device(name);
  } catch (const std::exception&) {
  }
  if (!device || (!device->is_cpu() && !device->is_cuda())) {
    throw EngineError("invalid-config", "Unknown training device '" + name + "': use cpu, cuda or cuda:N.");
  }
  if (device->is_cuda()) {
    const auto count = static_cast<int>(torch::cuda::device_count());
    const int index = device->has_index() ? device->index() : 0;
    if (!torch::cuda::is_available() || index >= count) {
      throw EngineError("device-unavailable",
                        "Training on " + name + " was asked for, but " +
                            (count == 0 ? std::string("this libtorch build or machine has no CUDA device")
                                        : "this machine has only " + std::to_string(count) + " CUDA device(s)") +
                            ": train on cpu, or build the addon against a CUDA libtorch (ANGIO_LIBTORCH_DIR) on a GPU machine.");
    }
    if (!device->has_index()) device = torch::Device(torch::kCUDA, 0);
  }
  return *device;
}

NetworkImpl::NetworkImpl(const ModelSpec& spec, int threads) {
  encoder = register_module("encoder", MakeEncoder(spec.encoder));
  projector = register_module("projector", ProjectionHead(encoder->featureDim, spec.projectionHidden, spec.projectionDim));
  ClassifierOptions options;
  options.quantumFusion = spec.quantumFusion;
  if (spec.quantumFusion) options.circuit = CircuitFrom(spec);
  // The quantum layer runs inside a step already using the intra-op threads; one simulator worker avoids
  // oversubscribing 2 cores, and its batch-order reduction keeps gradients identical for any count anyway.
  options.threads = 1;
  (void)threads;
  options.alphaInit = spec.alphaInit;
  options.hiddenDim = spec.classifierHidden;
  options.dropout = spec.dropout;
  options.classes = spec.classes;
  classifier = register_module("classifier", ClassifierHead(encoder->featureDim, options));
}

void TrainingSession::State::UseThreads() const {
  // Intra-op thread count is per calling thread; bindings call from pool threads, so set it on every entry.
  at::set_num_threads(spec.threads);
}

const ImageSet& TrainingSession::State::Images(const std::string& name) const {
  auto found = imageSets.find(name);
  if (found == imageSets.end()) {
    throw EngineError("unknown-image-set", "No image set named '" + name + "' was handed to the training session.");
  }
  return found->second;
}

std::vector<torch::optim::OptimizerParamGroup> TrainingSession::State::ApplyStage(const StageSpec& s) {
  const bool classify = IsClassifierStage(s.kind);
  auto blocks = network->encoder->blocks->children();
  const auto blockCount = static_cast<int64_t>(blocks.size());
  std::vector<torch::Tensor> encoderParams, headParams;
  for (int64_t i = 0; i < blockCount; ++i) {
    const bool trainable = s.kind == "pretrain" || s.kind == "supervised" ||
                           (s.kind == "finetune" && i >= blockCount - s.trainableBlocks);
    for (auto& p : blocks[i]->parameters()) {
      p.set_requires_grad(trainable);
      if (trainable) encoderParams.push_back(p);
    }
  }
  for (auto& p : network->projector->parameters()) {
    p.set_requires_grad(!classify);
    if (!classify) headParams.push_back(p);
  }
  for (auto& p : network->classifier->parameters()) {
    p.set_requires_grad(classify);
    if (classify) headParams.push_back(p);
  }
  const double encoderLr = s.kind == "finetune" ? s.learningRate * s.encoderLrScale : s.learningRate;
  std::vector<torch::optim::OptimizerParamGroup> groups;
  auto options = [&](double lr) {
    return std::make_unique<torch::optim::AdamWOptions>(torch::optim::AdamWOptions(lr).weight_decay(s.weightDecay));
  };
  groups.emplace_back(headParams, options(s.learningRate));
  if (!encoderParams.empty()) groups.emplace_back(encoderParams, options(encoderLr));
  return groups;
}

void TrainingSession::State::SetTrainingModes() {
  // Frozen blocks also keep their BatchNorm statistics: eval mode, not just requires_grad = false.
  const auto& s = *stage;
  auto blocks = network->encoder->blocks->children();
  const auto blockCount = static_cast<int64_t>(blocks.size());
  network->train(true);
  for (int64_t i = 0; i < blockCount; ++i) {
    const bool trainable = s.kind == "pretrain" || s.kind == "supervised" ||
                           (s.kind == "finetune" && i >= blockCount - s.trainableBlocks);
    blocks[i]->train(trainable);
  }
  if (spec.freezeBatchNorm) {
    for (const auto& module : network->modules(/*include_self=*/false)) {
      if (module->as<torch::nn::BatchNorm2d>() || module->as<torch::nn::BatchNorm1d>()) module->eval();
    }
  }
}

TrainingSession::TrainingSession(const SessionSpec& spec) : state_(std::make_unique<State>()) {
  ValidateSessionSpec(spec);
  state_->spec = spec;
  state_->device = DeviceFrom(spec.device);
  UseCpuBlockCache();
  state_->UseThreads();
  if (spec.deterministic) {
    at::globalContext().setDeterministicAlgorithms(true, /*warn_only=*/true);
    at::globalContext().setDeterministicCuDNN(true);
    at::globalContext().setBenchmarkCuDNN(false);
    // Full float32 on a GPU too: TF32 (cuDNN's default on Ampere and later) rounds to 10 mantissa bits, which moved
    // the first SimCLR loss by 1.5e-3 relative to the CPU's on an H200 and the weights far more after a few steps.
    at::globalContext().setAllowTF32CuDNN(false);
    at::globalContext().setAllowTF32CuBLAS(false);
  }
  // Seeds every device's generator: weight initialisation (on the CPU, so a seed gives the same starting weights
  // on any device) and, later, dropout.
  torch::manual_seed(spec.seed);
  state_->network = Network(spec.model, spec.threads);
  state_->network->to(state_->device);
  if (spec.channelsLast) {
    torch::NoGradGuard noGrad;
    for (auto& p : state_->network->parameters()) {
      if (p.dim() == 4) p.set_data(ChannelsLastCopy(p.data()));
    }
  }
}

TrainingSession::~TrainingSession() {
  state_.reset();
  ReleaseCpuBlockCache();  // the finished session's working set goes back to the system
}

void TrainingSession::SetImages(const std::string& name, const std::uint8_t* pixels, std::size_t pixelCount,
                                const std::int32_t* labels, std::size_t labelCount) {
  const int64_t s = state_->spec.imageSize;
  const auto perImage = static_cast<std::size_t>(s * s);
  if (pixelCount == 0 || pixels == nullptr) {
    throw EngineError("empty-dataset", "The image set '" + name + "' is empty: add images before training.");
  }
  if (pixelCount % perImage != 0) {
    throw EngineError("invalid-batch", "The image set '" + name + "' has " + std::to_string(pixelCount) +
                                           " pixels, not a whole number of " + std::to_string(s) + " × " +
                                           std::to_string(s) + " images.");
  }
  const std::size_t count = pixelCount / perImage;
  if ((labels == nullptr) != (labelCount == 0) || (labels != nullptr && labelCount != count)) {
    throw EngineError("invalid-batch", "The image set '" + name + "' has " + std::to_string(count) + " images and " +
                                           std::to_string(labelCount) + " labels: give one label per image, or none.");
  }
  ImageSet set;
  set.pixels = torch::from_blob(const_cast<std::uint8_t*>(pixels), {static_cast<int64_t>(count), s, s}, torch::kUInt8).clone();
  if (labels != nullptr) {
    const auto classes = state_->spec.model.classes;
    for (std::size_t i = 0; i < count; ++i) {
      if (labels[i] < 0 || labels[i] >= classes) {
        throw EngineError("invalid-batch", "Label " + std::to_string(labels[i]) + " in '" + name + "' is outside 0.." +
                                               std::to_string(classes - 1) + " (the model has " + std::to_string(classes) + " classes).");
      }
    }
    set.labels = torch::from_blob(const_cast<std::int32_t*>(labels), {static_cast<int64_t>(count)}, torch::kInt32)
                     .to(torch::kInt64);
  }
  state_->imageSets[name] = set;
}

std::size_t TrainingSession::ImageCount(const std::string& name) const {
  return static_cast<std::size_t>(state_->Images(name).pixels.size(0));
}

void TrainingSession::ConfigureStage(const StageSpec& stage) {
  if (stage.kind != "pretrain" && !IsClassifierStage(stage.kind)) {
    throw EngineError("invalid-config", "Unknown stage '" + stage.kind + "': use pretrain, head, finetune or supervised.");
  }
  ValidateStageSpec(stage, state_->spec.model.classes);
  ValidateConsistency(*state_, stage);
  const auto& images = state_->Images(stage.imageSet);
  if (IsClassifierStage(stage.kind)) {
    if (!images.labels.defined()) {
      throw EngineError("invalid-config", "Stage '" + stage.kind + "' needs labelled images; '" + stage.imageSet + "' has none.");
    }
    const auto positives = images.labels.gt(0).sum().item<int64_t>();
    if (positives == 0 || positives == images.labels.size(0)) {
      throw EngineError("single-class", "The image set '" + stage.imageSet +
                                            "' holds only one class: a classifier needs both stenosis and no-stenosis examples.");
    }
  }
  state_->UseThreads();
  state_->stage = stage;
  auto groups = state_->ApplyStage(stage);
  state_->byol = StartByol(*state_, stage, groups);
  state_->optimizer = std::make_unique<torch::optim::AdamW>(std::move(groups));
  state_->stageStep = 0;
}

double TrainingSession::LearningRateAt(std::int64_t step) const {
  if (!state_->stage) throw EngineError("stage-not-configured", "Configure a training stage before asking for its learning rate.");
  if (step < 0) throw EngineError("invalid-batch", "A stage step is 0 or more, not " + std::to_string(step) + ".");
  const auto& s = *state_->stage;
  if (step < s.warmupSteps) return s.learningRate * static_cast<double>(step + 1) / static_cast<double>(s.warmupSteps);
  const double span = static_cast<double>(std::max<std::int64_t>(1, s.totalSteps - s.warmupSteps));
  const double progress = std::min(1.0, static_cast<double>(step - s.warmupSteps) / span);
  return s.learningRate * 0.5 * (1.0 + std::cos(M_PI * progress));
}

namespace {

StepResult RunStep(TrainingSession& session, TrainingSession::State& st, const torch::Tensor& views,
                   const torch::Tensor& labels) {
  const auto& s = *st.stage;
  // Before the training modes are set: pseudo-labelling runs the network in eval mode (engine/semi_supervised.h).
  const auto pseudo = DrawPseudoLabels(st, views.size(0));
  st.SetTrainingModes();
  const auto onDevice = views.to(st.device);
  const auto input = st.spec.channelsLast ? ChannelsLastCopy(onDevice) : onDevice;
  const auto targets = labels.defined() ? labels.to(st.device) : labels;
  const double lr = session.LearningRateAt(st.stageStep);
  const double scale = s.kind == "finetune" ? s.encoderLrScale : 1.0;
  auto& groups = st.optimizer->param_groups();
  for (std::size_t g = 0; g < groups.size(); ++g) {
    static_cast<torch::optim::AdamWOptions&>(groups[g].options()).lr(g == 0 ? lr : lr * scale);
  }
  torch::Tensor loss;
  // What backward starts from; equals `loss` except for data-parallel NT-Xent (below).
  torch::Tensor objective;
  torch::Tensor unlabeledLoss;  // the consistency term on unlabelled images, when the stage has one
  if (s.kind == "pretrain" && st.byol) {
    loss = ByolStepLoss(st, input);  // no negatives: each rank's loss needs only its own images
  } else if (s.kind == "pretrain") {
    // Both views through the encoder as one batch (BatchNorm sees 2N images), then split for the loss.
    auto z = st.network->projector->forward(st.network->encoder->forward(input));
    auto halves = z.chunk(2, 0);
    if (st.group) {
      // Negatives from every rank: each rank computes the global batch's loss, with gradients flowing only into
      // its own rows. Summed over ranks those partial gradients are the whole gradient; the all-reduce averages,
      // so the objective is scaled by the world size (what torch.distributed.nn.all_gather's backward does).
      loss = NtXentLoss(st.group->AllGatherKeepLocal(halves[0]), st.group->AllGatherKeepLocal(halves[1]), s.temperature);
      objective = loss * static_cast<double>(st.group->WorldSize());
    } else {
      loss = NtXentLoss(halves[0], halves[1], s.temperature);
    }
  } else {
    torch::Tensor h;
    if (s.kind == "head") {
      torch::NoGradGuard frozen;
      h = st.network->encoder->forward(input);
    } else {
      h = st.network->encoder->forward(input);
    }
    torch::Tensor weights;
    if (!s.classWeights.empty()) {
      weights = torch::tensor(std::vector<float>(s.classWeights.begin(), s.classWeights.end()), torch::kFloat32).to(st.device);
    }
    loss = WeightedCrossEntropy(st.network->classifier->forward(h), targets, weights);
    if (pseudo) unlabeledLoss = ConsistencyLoss(st, *pseudo);
    if (unlabeledLoss.defined()) loss = loss + unlabeledLoss;
  }
  st.optimizer->zero_grad();
  (objective.defined() ? objective : loss).backward();
  if (st.group) {
    // Every rank holds the same parameters and now the same averaged gradients, so AdamW's state stays identical.
    std::vector<torch::Tensor> trainable;
    for (auto& group : st.optimizer->param_groups()) {
      for (auto& p : group.params()) trainable.push_back(p);
    }
    st.group->AverageGradients(trainable);
  }
  st.optimizer->step();
  if (st.byol) UpdateByolTarget(st);
  if (st.group) {
    // BatchNorm running statistics become rank 0's after every step (DDP's broadcast_buffers), so evaluation and
    // checkpoints are the same on every rank.
    st.group->Broadcast(st.network->buffers());
  }
  st.stageStep += 1;
  st.globalStep += 1;
  StepResult result{loss.item<double>(), lr, st.stageStep, st.globalStep};
  if (pseudo) {
    result.pseudoLabelShare = pseudo->share;
    result.unlabeledLoss = unlabeledLoss.defined() ? unlabeledLoss.item<double>() : 0.0;
  }
  return result;
}

}  // namespace

StepResult TrainingSession::Step(const std::int32_t* indices, std::size_t count) {
  if (!state_->stage) throw EngineError("stage-not-configured", "Configure a training stage before stepping.");
  const auto& s = *state_->stage;
  const auto& images = state_->Images(s.imageSet);
  const auto available = images.pixels.size(0);
  ValidateBatchSize(count);
  if (indices == nullptr) throw EngineError("invalid-batch", "A training batch needs its image indices.");
  for (std::size_t i = 0; i < count; ++i) {
    if (indices[i] < 0 || indices[i] >= available) {
      throw EngineError("invalid-batch", "Batch index " + std::to_string(indices[i]) + " is outside the image set '" +
                                             s.imageSet + "' (" + std::to_string(available) + " images).");
    }
  }
  state_->UseThreads();
  const int64_t side = state_->spec.imageSize, n = static_cast<int64_t>(count);
  const int viewCount = s.kind == "pretrain" ? 2 : 1;
  auto views = torch::empty({viewCount * n, 1, side, side}, torch::kFloat32);
  // A rank's batch is its slice of the global batch: rank r's first image is global position r × count.
  const auto firstSample = state_->group ? static_cast<std::size_t>(state_->group->Rank()) * count : 0;
  for (int v = 0; v < viewCount; ++v) {
    RenderViews(state_->spec.augment, images.pixels.data_ptr<std::uint8_t>(), static_cast<std::size_t>(available),
                static_cast<int>(side), indices, count, state_->spec.seed, static_cast<std::uint64_t>(state_->globalStep),
                static_cast<std::uint64_t>(v), /*augment=*/true, views.data_ptr<float>() + v * n * side * side, firstSample);
  }
  torch::Tensor labels;
  if (images.labels.defined()) {
    auto index = torch::from_blob(const_cast<std::int32_t*>(indices), {n}, torch::kInt32).to(torch::kInt64);
    labels = images.labels.index_select(0, index);
  }
  return RunStep(*this, *state_, views, labels);
}

StepResult TrainingSession::StepOnViews(const float* views, std::size_t viewFloats, std::size_t count,
                                        const std::int32_t* labels, std::size_t labelCount) {
  if (!state_->stage) throw EngineError("stage-not-configured", "Configure a training stage before stepping.");
  ValidateBatchSize(count);
  const int64_t side = state_->spec.imageSize, n = static_cast<int64_t>(count);
  const int64_t viewCount = state_->stage->kind == "pretrain" ? 2 : 1;
  // count ≤ kMaxBatchImages and S ≤ 512 keep this product far inside int64.
  const auto expected = static_cast<std::size_t>(viewCount * n * side * side);
  if (views == nullptr || viewFloats != expected) {
    throw EngineError("invalid-batch", "A " + state_->stage->kind + " step on " + std::to_string(count) + " images needs " +
                                           std::to_string(expected) + " view values (" + std::to_string(viewCount) +
                                           " × count × S × S); it got " + std::to_string(viewFloats) + ".");
  }
  const bool classify = state_->stage->kind != "pretrain";
  if (classify ? (labels == nullptr || labelCount != count) : labelCount != 0) {
    throw EngineError("invalid-batch", classify ? "A " + state_->stage->kind + " step needs one label per image."
                                                : std::string("A pretrain step takes no labels."));
  }
  for (std::size_t i = 0; i < labelCount; ++i) {
    if (labels[i] < 0 || labels[i] >= state_->spec.model.classes) {
      throw EngineError("invalid-batch", "Label " + std::to_string(labels[i]) + " is outside 0.." +
                                             std::to_string(state_->spec.model.classes - 1) + ".");
    }
  }
  for (std::size_t i = 0; i < viewFloats; ++i) {
    if (!std::isfinite(views[i])) throw EngineError("invalid-batch", "View value " + std::to_string(i) + " is not a finite number.");
  }
  state_->UseThreads();
  auto tensor = torch::from_blob(const_cast<float*>(views), {viewCount * n, 1, side, side}).clone();
  torch::Tensor target;
  if (classify) target = torch::from_blob(const_cast<std::int32_t*>(labels), {n}, torch::kInt32).to(torch::kInt64);
  return RunStep(*this, *state_, tensor, target);
}

namespace {

/** Runs `forward` over a set in eval mode without augmentation, 256 images at a time. */
template <typename Forward>
torch::Tensor Evaluate(TrainingSession::State& st, const std::string& name, Forward forward) {
  const auto& images = st.Images(name);
  const int64_t count = images.pixels.size(0), side = st.spec.imageSize;
  torch::NoGradGuard noGrad;
  st.network->eval();
  std::vector<torch::Tensor> parts;
  std::vector<std::int32_t> indices(static_cast<std::size_t>(count));
  for (int64_t i = 0; i < count; ++i) indices[static_cast<std::size_t>(i)] = static_cast<std::int32_t>(i);
  for (int64_t start = 0; start < count; start += 256) {
    const int64_t n = std::min<int64_t>(256, count - start);
    auto views = torch::empty({n, 1, side, side}, torch::kFloat32);
    RenderViews(st.spec.augment, images.pixels.data_ptr<std::uint8_t>(), static_cast<std::size_t>(count),
                static_cast<int>(side), indices.data() + start, static_cast<std::size_t>(n), 0, 0, 0,
                /*augment=*/false, views.data_ptr<float>());
    const auto onDevice = views.to(st.device);
    parts.push_back(forward(st.spec.channelsLast ? ChannelsLastCopy(onDevice) : onDevice));
  }
  return torch::cat(parts, 0);
}

}  // namespace

std::vector<float> TrainingSession::PreviewViews(const std::string& name, const std::int32_t* indices, std::size_t count,
                                                 std::uint64_t stream, std::uint64_t view, bool augment) const {
  const auto& images = state_->Images(name);
  const auto available = images.pixels.size(0);
  if (count > kMaxBatchImages) {
    throw EngineError("invalid-batch", "A preview shows at most " + std::to_string(kMaxBatchImages) + " images.");
  }
  if (count > 0 && indices == nullptr) throw EngineError("invalid-batch", "A preview needs its image indices.");
  for (std::size_t i = 0; i < count; ++i) {
    if (indices[i] < 0 || indices[i] >= available) throw EngineError("invalid-batch", "Preview index outside the image set.");
  }
  const auto side = static_cast<std::size_t>(state_->spec.imageSize);
  std::vector<float> out(count * side * side);
  RenderViews(state_->spec.augment, images.pixels.data_ptr<std::uint8_t>(), static_cast<std::size_t>(available),
              static_cast<int>(side), indices, count, state_->spec.seed, stream, view, augment, out.data());
  return out;
}

std::vector<float> TrainingSession::Embed(const std::string& name) {
  state_->UseThreads();
  return ToVector(Evaluate(*state_, name, [&](const torch::Tensor& x) { return state_->network->encoder->forward(x); }));
}

std::vector<float> TrainingSession::Predict(const std::string& name) {
  state_->UseThreads();
  const bool binary = state_->spec.model.classes == 2;
  auto probs = Evaluate(*state_, name, [&](const torch::Tensor& x) {
    auto p = torch::softmax(state_->network->classifier->forward(state_->network->encoder->forward(x)), 1);
    // Binary models keep P(class 1) exactly; graded ones score "any stenosis", the sum over every graded class.
    return binary ? p.select(1, 1) : 1 - p.select(1, 0);
  });
  return ToVector(probs);
}

std::vector<float> TrainingSession::PredictClasses(const std::string& name) {
  state_->UseThreads();
  return ToVector(Evaluate(*state_, name, [&](const torch::Tensor& x) {
    return torch::softmax(state_->network->classifier->forward(state_->network->encoder->forward(x)), 1);
  }));
}

std::int64_t TrainingSession::ClassCount() const { return state_->spec.model.classes; }

int TrainingSession::ImageSize() const { return state_->spec.imageSize; }

std::vector<float> TrainingSession::KnnScores(const std::string& bank, const std::string& query, int k, bool leaveOneOut) {
  if (k < 1) throw EngineError("invalid-config", "kNN needs k ≥ 1 neighbours, not " + std::to_string(k) + ".");
  state_->UseThreads();
  const auto& bankSet = state_->Images(bank);
  if (!bankSet.labels.defined()) throw EngineError("invalid-config", "The kNN bank '" + bank + "' needs labels.");
  const bool same = bank == query;
  if (leaveOneOut && !same) throw EngineError("invalid-config", "Leave-one-out kNN needs the bank and the query to be one set.");
  auto embed = [&](const std::string& name) {
    return torch::nn::functional::normalize(
        Evaluate(*state_, name, [&](const torch::Tensor& x) { return state_->network->encoder->forward(x); }),
        torch::nn::functional::NormalizeFuncOptions().dim(1));
  };
  auto bankFeatures = embed(bank);
  auto queryFeatures = same ? bankFeatures : embed(query);
  auto similarity = torch::mm(queryFeatures, bankFeatures.t());
  if (leaveOneOut) similarity.fill_diagonal_(-2.0);  // below any cosine: never one's own neighbour
  const int64_t neighbours = std::min<int64_t>(k, bankFeatures.size(0) - (leaveOneOut ? 1 : 0));
  if (neighbours < 1) throw EngineError("invalid-config", "kNN needs at least one neighbour in the bank.");
  auto [onDeviceValues, onDevicePositions] = similarity.topk(neighbours, 1);
  const auto values = onDeviceValues.to(torch::kCPU), positions = onDevicePositions.to(torch::kCPU);  // labels live on the CPU
  // Temperature-weighted vote (τ = 0.07, as in the InstDisc/SimCLR kNN monitor).
  auto weights = (values / 0.07).exp();
  auto positive = bankSet.labels.index({positions.flatten()}).view_as(positions).gt(0).to(torch::kFloat32);
  return ToVector((weights * positive).sum(1) / weights.sum(1));
}

std::vector<NamedArray> TrainingSession::Parameters(bool includeBuffers) const {
  std::vector<NamedArray> result;
  auto add = [&](const std::string& name, const torch::Tensor& t) {
    result.push_back({name, t.sizes().vec(), ToVector(t.detach())});
  };
  for (const auto& item : state_->network->named_parameters()) add(item.key(), item.value());
  if (includeBuffers) {
    for (const auto& item : state_->network->named_buffers()) add(item.key(), item.value());
  }
  if (state_->byol) AppendByolParameters(*state_->byol, includeBuffers, result);  // after the network's own
  return result;
}

std::int64_t TrainingSession::ParameterCount(const std::string& part) const {
  torch::nn::Module* module = nullptr;
  if (part == "encoder") module = state_->network->encoder.get();
  else if (part == "projector") module = state_->network->projector.get();
  else if (part == "classifier") module = state_->network->classifier.get();
  else if (part == "all") module = state_->network.get();
  else throw EngineError("invalid-config", "Unknown model part '" + part + "': encoder, projector, classifier or all.");
  std::int64_t total = 0;
  for (const auto& p : module->parameters()) total += p.numel();
  return total;
}

void TrainingSession::JoinGroup(const DistributedSpec& spec) {
  state_->UseThreads();
  state_->group.reset();
  auto group = std::make_unique<ProcessGroup>(spec);
  std::vector<torch::Tensor> tensors;
  for (auto& p : state_->network->parameters()) tensors.push_back(p);
  for (auto& b : state_->network->buffers()) tensors.push_back(b);
  group->Broadcast(tensors);
  if (spec.rank > 0) {
    // Dropout masks differ between ranks, as they differ between the slices of one process's batch.
    torch::manual_seed(state_->spec.seed + 0x9e3779b97f4a7c15ull * static_cast<std::uint64_t>(spec.rank));
  }
  state_->group = std::move(group);
}

void TrainingSession::LeaveGroup() { state_->group.reset(); }

DistributedStats TrainingSession::GroupStats() const {
  return state_->group ? state_->group->Stats() : DistributedStats{};
}

bool TrainingSession::ReplicasAgree() {
  if (!state_->group) return true;
  torch::NoGradGuard noGrad;
  // A weighted sum tells any differing element apart from a reordering of equal ones.
  double checksum = 0;
  std::int64_t offset = 1;
  for (const auto& p : state_->network->parameters()) {
    auto flat = p.detach().to(torch::kCPU, torch::kFloat64).contiguous().view({-1});
    checksum += (flat * torch::arange(offset, offset + flat.numel(), torch::kFloat64)).sum().item<double>();
    offset += flat.numel();
  }
  return state_->group->AllAgree(checksum);
}

std::int64_t TrainingSession::FeatureDim() const { return state_->network->encoder->featureDim; }

std::int64_t TrainingSession::BlockCount() const {
  return static_cast<std::int64_t>(state_->network->encoder->blocks->size());
}

}  // namespace angio::engine
