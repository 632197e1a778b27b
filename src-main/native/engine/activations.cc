#include "engine/activations.h"

namespace angio::engine {
namespace {

using torch::autograd::AutogradContext;
using torch::autograd::variable_list;

// libtorch's own relu6_ (hardtanh_) keeps a copy of its input for the backward; the output decides the same mask.
struct Relu6InPlaceFunction : torch::autograd::Function<Relu6InPlaceFunction> {
  static torch::Tensor forward(AutogradContext* ctx, torch::Tensor x) {
    at::hardtanh_(x, 0, 6);
    ctx->mark_dirty({x});
    ctx->save_for_backward({x});
    return x;
  }
  static variable_list backward(AutogradContext* ctx, variable_list gradOutputs) {
    const auto output = ctx->get_saved_variables()[0];
    return {at::hardtanh_backward(gradOutputs[0], output, 0, 6)};
  }
};

}  // namespace

torch::Tensor Relu6InPlace(torch::Tensor x) {
  if (!x.requires_grad() || !torch::GradMode::is_enabled()) return at::hardtanh_(x, 0, 6);
  return Relu6InPlaceFunction::apply(x);
}

}  // namespace angio::engine
