// BYOL's target network, predictor, loss and momentum schedule (engine/byol.h).
#include "engine/byol.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <mutex>

#include <ATen/CPUGeneratorImpl.h>

#include "engine/engine_error.h"
#include "engine/session_state.h"

namespace angio::engine {
namespace F = torch::nn::functional;
namespace {

/** Channels-last copy whatever the shape (see ChannelsLastCopy in session.cc for why contiguous() is not enough). */
torch::Tensor ChannelsLast(const torch::Tensor& t) {
  return torch::empty_like(t, t.options(), torch::MemoryFormat::ChannelsLast).copy_(t);
}

/** Train mode, with BatchNorm on its running statistics when the session freezes it (as the online network). */
void TrainingMode(torch::nn::Module& module, bool freezeBatchNorm) {
  module.train(true);
  if (!freezeBatchNorm) return;
  for (const auto& child : module.modules(/*include_self=*/false)) {
    if (child->as<torch::nn::BatchNorm2d>() || child->as<torch::nn::BatchNorm1d>()) child->eval();
  }
}

/** Every parameter and buffer of the target and the predictor under one stable name. */
std::vector<std::pair<std::string, torch::Tensor>> NamedState(const ByolState& byol, bool includeBuffers) {
  std::vector<std::pair<std::string, torch::Tensor>> out;
  auto add = [&](const std::string& prefix, const torch::nn::Module& module) {
    for (const auto& item : module.named_parameters()) out.emplace_back(prefix + item.key(), item.value());
    if (!includeBuffers) return;
    for (const auto& item : module.named_buffers()) out.emplace_back(prefix + item.key(), item.value());
  };
  add("target.", *byol.target);
  add("predictor.", *byol.predictor);
  return out;
}

}  // namespace

ByolTargetImpl::ByolTargetImpl(const ModelSpec& spec, int64_t featureDim) {
  encoder = register_module("encoder", MakeEncoder(spec.encoder));
  projector = register_module("projector", ProjectionHead(featureDim, spec.projectionHidden, spec.projectionDim));
}

double ByolMomentum(double baseMomentum, std::int64_t step, std::int64_t totalSteps) {
  const double progress = std::clamp(static_cast<double>(step) / static_cast<double>(std::max<std::int64_t>(1, totalSteps)), 0.0, 1.0);
  return 1.0 - (1.0 - baseMomentum) * (std::cos(M_PI * progress) + 1.0) / 2.0;
}

torch::Tensor ByolLoss(const torch::Tensor& p1, const torch::Tensor& p2, const torch::Tensor& t1, const torch::Tensor& t2) {
  if (p1.dim() != 2 || p1.sizes() != p2.sizes() || p1.sizes() != t1.sizes() || p1.sizes() != t2.sizes()) {
    throw EngineError("invalid-batch", "BYOL needs predictions and targets for both views with matching shapes.");
  }
  auto cosine = [](const torch::Tensor& a, const torch::Tensor& b) {
    const auto unit = F::NormalizeFuncOptions().dim(1);
    return (F::normalize(a, unit) * F::normalize(b, unit)).sum(1);
  };
  return ((2 - 2 * cosine(p1, t2)) + (2 - 2 * cosine(p2, t1))).mean();
}

std::unique_ptr<ByolState> StartByol(TrainingSession::State& st, const StageSpec& stage,
                                     std::vector<torch::optim::OptimizerParamGroup>& groups) {
  if (stage.kind != "pretrain" || stage.objective != "byol") return nullptr;
  auto byol = std::make_unique<ByolState>();
  byol->baseMomentum = stage.emaMomentum;
  const auto& model = st.spec.model;
  {
    // The target's initial values are overwritten below; the predictor's draw from the generator, which is then
    // put back, so dropout later in the run draws what it would draw after SimCLR.
    auto generator = at::detail::getDefaultCPUGenerator();
    torch::Tensor saved;
    {
      std::lock_guard<std::mutex> lock(generator.mutex());
      saved = generator.get_state();
    }
    byol->target = ByolTarget(model, st.network->encoder->featureDim);
    byol->predictor = ProjectionHead(model.projectionDim, model.projectionHidden, model.projectionDim);
    std::lock_guard<std::mutex> lock(generator.mutex());
    generator.set_state(saved);
  }
  byol->target->to(st.device);
  byol->predictor->to(st.device);
  torch::NoGradGuard noGrad;
  if (st.spec.channelsLast) {
    for (auto& p : byol->target->parameters()) {
      if (p.dim() == 4) p.set_data(ChannelsLast(p.data()));
    }
  }
  auto online = st.network->named_parameters();
  for (auto& item : byol->target->named_parameters()) {
    item.value().copy_(online[item.key()]);
    item.value().set_requires_grad(false);
  }
  auto onlineBuffers = st.network->named_buffers();
  for (auto& item : byol->target->named_buffers()) item.value().copy_(onlineBuffers[item.key()]);
  groups.emplace_back(byol->predictor->parameters(),
                      std::make_unique<torch::optim::AdamWOptions>(
                          torch::optim::AdamWOptions(stage.learningRate).weight_decay(stage.weightDecay)));
  return byol;
}

torch::Tensor ByolStepLoss(TrainingSession::State& st, const torch::Tensor& input) {
  auto& byol = *st.byol;
  auto projections = st.network->projector->forward(st.network->encoder->forward(input));
  TrainingMode(*byol.predictor, st.spec.freezeBatchNorm);
  auto predictions = byol.predictor->forward(projections).chunk(2, 0);
  torch::Tensor targets;
  {
    torch::NoGradGuard noGrad;
    TrainingMode(*byol.target, st.spec.freezeBatchNorm);
    targets = byol.target->projector->forward(byol.target->encoder->forward(input));
  }
  auto t = targets.chunk(2, 0);
  return ByolLoss(predictions[0], predictions[1], t[0], t[1]);
}

void UpdateByolTarget(TrainingSession::State& st) {
  auto& byol = *st.byol;
  const double tau = ByolMomentum(byol.baseMomentum, st.stageStep, st.stage->totalSteps);
  torch::NoGradGuard noGrad;
  auto online = st.network->named_parameters();
  for (auto& item : byol.target->named_parameters()) item.value().mul_(tau).add_(online[item.key()].detach(), 1.0 - tau);
}

void AppendByolParameters(const ByolState& byol, bool includeBuffers, std::vector<NamedArray>& out) {
  for (const auto& [name, tensor] : NamedState(byol, includeBuffers)) {
    auto values = tensor.detach().to(torch::kCPU, torch::kFloat32).contiguous();
    out.push_back({"byol." + name, tensor.sizes().vec(),
                   std::vector<float>(values.data_ptr<float>(), values.data_ptr<float>() + values.numel())});
  }
}

void PutByolState(c10::impl::GenericDict& dict, const ByolState& byol) {
  c10::List<std::string> names;
  c10::List<at::Tensor> tensors;
  for (const auto& [name, tensor] : NamedState(byol, true)) {
    names.push_back(name);
    tensors.push_back(tensor.detach().to(torch::kCPU).clone());
  }
  dict.insert("byol.names", names);
  dict.insert("byol.tensors", tensors);
}

void TakeByolState(const c10::impl::GenericDict& dict, ByolState& byol, const std::string& path) {
  if (!dict.contains("byol.names") || !dict.contains("byol.tensors")) {
    throw EngineError("checkpoint-corrupt", "The checkpoint " + path + " is from a BYOL stage but holds no target network.");
  }
  auto names = dict.at("byol.names").toList();
  auto tensors = dict.at("byol.tensors").toList();
  std::map<std::string, at::Tensor> stored;
  for (std::size_t i = 0; i < names.size() && i < tensors.size(); ++i) stored[names.get(i).toStringRef()] = tensors.get(i).toTensor();
  torch::NoGradGuard noGrad;
  for (auto& [name, tensor] : NamedState(byol, true)) {
    auto found = stored.find(name);
    if (found == stored.end() || found->second.sizes() != tensor.sizes()) {
      throw EngineError("checkpoint-corrupt", "The checkpoint " + path + " has no BYOL " + name + " of this model's shape.");
    }
    tensor.copy_(found->second);
  }
}

}  // namespace angio::engine
