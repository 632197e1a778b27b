// The four encoder architectures, all 1-channel input, as one Sequential of blocks followed by global average
// pooling: h = pool(blocks(x)). Blocks are the unit two-stage fine-tuning unfreezes ("the last k blocks").
// Parameter names mirror src-main/testing/torch-reference/engine_networks.py so weights move between the two by name.
#pragma once

#include <string>
#include <vector>

#include <torch/torch.h>

namespace angio::engine {

/** A Sequential with a concrete forward, so Sequentials can nest (libtorch's AnyModule needs one). */
struct LayersImpl : torch::nn::SequentialImpl {
  using SequentialImpl::SequentialImpl;
  torch::Tensor forward(torch::Tensor x) { return SequentialImpl::forward(x); }
};
TORCH_MODULE(Layers);

struct EncoderImpl : torch::nn::Module {
  EncoderImpl(Layers blocks, int64_t featureDim);
  /** x: batch × 1 × S × S (normalised) → h: batch × featureDim. */
  torch::Tensor forward(torch::Tensor x);

  Layers blocks;
  int64_t featureDim;
};
TORCH_MODULE(Encoder);

/** "mobilenet_v2" | "resnet18" | "efficientnet_b0" | "simple_cnn"; throws EngineError(invalid-config) otherwise. */
Encoder MakeEncoder(const std::string& architecture);

const std::vector<std::string>& EncoderArchitectures();

}  // namespace angio::engine
