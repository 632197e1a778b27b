// The session's libtorch state, shared by session.cc (stages, steps, evaluation) and session_io.cc (checkpoints).
#pragma once

#include <map>
#include <memory>
#include <optional>

#include <torch/torch.h>

#include "engine/byol.h"
#include "engine/encoders.h"
#include "engine/heads.h"
#include "engine/process_group.h"
#include "engine/session.h"

namespace angio::engine {

struct ImageSet {
  torch::Tensor pixels;  // uint8, count × S × S
  torch::Tensor labels;  // int64, count; undefined when unlabelled
};

/** Root module so every weight has one stable name: encoder.*, projector.*, classifier.* */
struct NetworkImpl : torch::nn::Module {
  NetworkImpl(const ModelSpec& spec, int threads);
  Encoder encoder{nullptr};
  ProjectionHead projector{nullptr};
  ClassifierHead classifier{nullptr};
};
TORCH_MODULE(Network);

struct TrainingSession::State {
  SessionSpec spec;
  torch::Device device{torch::kCPU};
  Network network{nullptr};
  std::map<std::string, ImageSet> imageSets;
  std::optional<StageSpec> stage;
  std::unique_ptr<torch::optim::AdamW> optimizer;
  std::int64_t stageStep = 0;
  std::int64_t globalStep = 0;
  std::unique_ptr<ProcessGroup> group;  // set while training data-parallel
  std::unique_ptr<ByolState> byol;      // set while a BYOL pretrain stage runs (engine/byol.h)

  void UseThreads() const;
  const ImageSet& Images(const std::string& name) const;
  /** requires_grad and train/eval per block for the current stage; returns the optimizer's param groups. */
  std::vector<torch::optim::OptimizerParamGroup> ApplyStage(const StageSpec& stage);
  void SetTrainingModes();
};

quantum::CircuitSpec CircuitFrom(const ModelSpec& spec);
/** The device a spec names, checked against this build and machine (device-unavailable otherwise). */
torch::Device DeviceFrom(const std::string& name);

}  // namespace angio::engine
