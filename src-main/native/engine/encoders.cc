// MobileNetV2 (width 1.0), ResNet18, EfficientNet-B0 (no stochastic depth: keeps steps deterministic and cheap)
// and a 3-block SimpleCNN, each with a 1-channel stem and He-initialised convolutions, never pretrained weights.
#include "engine/encoders.h"

#include "engine/activations.h"
#include "engine/engine_error.h"

namespace angio::engine {
namespace nn = torch::nn;
namespace {

enum class Activation { None, ReLU, ReLU6, SiLU };

Layers ConvBnAct(int64_t in, int64_t out, int64_t kernel, int64_t stride, int64_t groups, Activation act) {
  Layers seq(
      nn::Conv2d(nn::Conv2dOptions(in, out, kernel).stride(stride).padding(kernel / 2).groups(groups).bias(false)),
      nn::BatchNorm2d(out));
  // Activations in place after BatchNorm (its backward needs its input, not its output): one less
  // activation-sized tensor per block.
  if (act == Activation::ReLU) seq->push_back(nn::ReLU(nn::ReLUOptions().inplace(true)));
  if (act == Activation::ReLU6) seq->push_back(nn::Functional(Relu6InPlace));
  if (act == Activation::SiLU) seq->push_back(nn::SiLU());
  return seq;
}

// ---- MobileNetV2 ----
struct InvertedResidualImpl : nn::Module {
  InvertedResidualImpl(int64_t in, int64_t out, int64_t stride, int64_t expand)
      : residual(stride == 1 && in == out) {
    const int64_t hidden = in * expand;
    if (expand != 1) conv->push_back(ConvBnAct(in, hidden, 1, 1, 1, Activation::ReLU6));
    conv->push_back(ConvBnAct(hidden, hidden, 3, stride, hidden, Activation::ReLU6));
    conv->push_back(nn::Conv2d(nn::Conv2dOptions(hidden, out, 1).bias(false)));
    conv->push_back(nn::BatchNorm2d(out));
    register_module("conv", conv);
  }
  torch::Tensor forward(torch::Tensor x) { return residual ? x + conv->forward(x) : conv->forward(x); }
  Layers conv;
  bool residual;
};
TORCH_MODULE(InvertedResidual);

Encoder MobileNetV2() {
  struct Stage { int64_t expand, channels, repeats, stride; };
  const Stage stages[] = {{1, 16, 1, 1}, {6, 24, 2, 2}, {6, 32, 3, 2}, {6, 64, 4, 2},
                          {6, 96, 3, 1}, {6, 160, 3, 2}, {6, 320, 1, 1}};
  Layers blocks;  // not Layers(stem): with one holder argument that would copy the handle, not nest it
  blocks->push_back(ConvBnAct(1, 32, 3, 2, 1, Activation::ReLU6));
  int64_t in = 32;
  for (const auto& stage : stages) {
    for (int64_t i = 0; i < stage.repeats; ++i) {
      blocks->push_back(InvertedResidual(in, stage.channels, i == 0 ? stage.stride : 1, stage.expand));
      in = stage.channels;
    }
  }
  blocks->push_back(ConvBnAct(in, 1280, 1, 1, 1, Activation::ReLU6));
  return Encoder(blocks, 1280);
}

// ---- ResNet18 ----
struct BasicBlockImpl : nn::Module {
  BasicBlockImpl(int64_t in, int64_t out, int64_t stride) {
    body = register_module("body", Layers(ConvBnAct(in, out, 3, stride, 1, Activation::ReLU),
                                                  ConvBnAct(out, out, 3, 1, 1, Activation::None)));
    if (stride != 1 || in != out) shortcut = register_module("shortcut", ConvBnAct(in, out, 1, stride, 1, Activation::None));
  }
  torch::Tensor forward(torch::Tensor x) {
    auto identity = shortcut ? shortcut->forward(x) : x;
    return torch::relu(body->forward(x) + identity);
  }
  Layers body{nullptr}, shortcut{nullptr};
};
TORCH_MODULE(BasicBlock);

Encoder ResNet18() {
  Layers stem = ConvBnAct(1, 64, 7, 2, 1, Activation::ReLU);
  stem->push_back(nn::MaxPool2d(nn::MaxPool2dOptions(3).stride(2).padding(1)));
  Layers blocks;
  blocks->push_back(stem);
  int64_t in = 64;
  for (int64_t channels : {64, 128, 256, 512}) {
    blocks->push_back(BasicBlock(in, channels, channels == 64 ? 1 : 2));
    blocks->push_back(BasicBlock(channels, channels, 1));
    in = channels;
  }
  return Encoder(blocks, 512);
}

// ---- EfficientNet-B0 ----
struct SqueezeExciteImpl : nn::Module {
  SqueezeExciteImpl(int64_t channels, int64_t squeezed)
      : reduce(register_module("reduce", nn::Conv2d(nn::Conv2dOptions(channels, squeezed, 1)))),
        expand(register_module("expand", nn::Conv2d(nn::Conv2dOptions(squeezed, channels, 1)))) {}
  torch::Tensor forward(torch::Tensor x) {
    auto scale = torch::adaptive_avg_pool2d(x, {1, 1});
    scale = torch::sigmoid(expand->forward(torch::silu(reduce->forward(scale))));
    return x * scale;
  }
  nn::Conv2d reduce, expand;
};
TORCH_MODULE(SqueezeExcite);

struct MBConvImpl : nn::Module {
  MBConvImpl(int64_t in, int64_t out, int64_t kernel, int64_t stride, int64_t expand) : residual(stride == 1 && in == out) {
    const int64_t hidden = in * expand;
    if (expand != 1) conv->push_back(ConvBnAct(in, hidden, 1, 1, 1, Activation::SiLU));
    conv->push_back(ConvBnAct(hidden, hidden, kernel, stride, hidden, Activation::SiLU));
    conv->push_back(SqueezeExcite(hidden, std::max<int64_t>(1, in / 4)));
    conv->push_back(ConvBnAct(hidden, out, 1, 1, 1, Activation::None));
    register_module("conv", conv);
  }
  torch::Tensor forward(torch::Tensor x) { return residual ? x + conv->forward(x) : conv->forward(x); }
  Layers conv;
  bool residual;
};
TORCH_MODULE(MBConv);

Encoder EfficientNetB0() {
  struct Stage { int64_t expand, kernel, stride, channels, repeats; };
  const Stage stages[] = {{1, 3, 1, 16, 1}, {6, 3, 2, 24, 2}, {6, 5, 2, 40, 2}, {6, 3, 2, 80, 3},
                          {6, 5, 1, 112, 3}, {6, 5, 2, 192, 4}, {6, 3, 1, 320, 1}};
  Layers blocks;
  blocks->push_back(ConvBnAct(1, 32, 3, 2, 1, Activation::SiLU));
  int64_t in = 32;
  for (const auto& stage : stages) {
    for (int64_t i = 0; i < stage.repeats; ++i) {
      blocks->push_back(MBConv(in, stage.channels, stage.kernel, i == 0 ? stage.stride : 1, stage.expand));
      in = stage.channels;
    }
  }
  blocks->push_back(ConvBnAct(in, 1280, 1, 1, 1, Activation::SiLU));
  return Encoder(blocks, 1280);
}

// ---- SimpleCNN: the small baseline, three conv-BN-ReLU-pool blocks ----
Encoder SimpleCnn() {
  Layers blocks;
  int64_t in = 1;
  for (int64_t channels : {32, 64, 128}) {
    auto block = ConvBnAct(in, channels, 3, 1, 1, Activation::ReLU);
    block->push_back(nn::MaxPool2d(nn::MaxPool2dOptions(2)));
    blocks->push_back(block);
    in = channels;
  }
  return Encoder(blocks, 128);
}

void InitialiseWeights(nn::Module& module) {
  for (auto& child : module.modules(/*include_self=*/false)) {
    if (auto* conv = child->as<nn::Conv2d>()) {
      nn::init::kaiming_normal_(conv->weight, 0.0, torch::kFanOut, torch::kReLU);
      if (conv->bias.defined()) nn::init::zeros_(conv->bias);
    }
  }
}

}  // namespace

EncoderImpl::EncoderImpl(Layers blocks_, int64_t featureDim_)
    : blocks(register_module("blocks", blocks_)), featureDim(featureDim_) {}

torch::Tensor EncoderImpl::forward(torch::Tensor x) {
  return torch::adaptive_avg_pool2d(blocks->forward(x), {1, 1}).flatten(1);
}

const std::vector<std::string>& EncoderArchitectures() {
  static const std::vector<std::string> names{"mobilenet_v2", "resnet18", "efficientnet_b0", "simple_cnn"};
  return names;
}

Encoder MakeEncoder(const std::string& architecture) {
  Encoder encoder{nullptr};
  if (architecture == "mobilenet_v2") encoder = MobileNetV2();
  else if (architecture == "resnet18") encoder = ResNet18();
  else if (architecture == "efficientnet_b0") encoder = EfficientNetB0();
  else if (architecture == "simple_cnn") encoder = SimpleCnn();
  else throw EngineError("invalid-config", "Unknown encoder architecture '" + architecture +
                                               "': choose mobilenet_v2, resnet18, efficientnet_b0 or simple_cnn.");
  InitialiseWeights(*encoder);
  return encoder;
}

}  // namespace angio::engine
