// Activations that overwrite their input. Each saves only its output for the backward, so a conv-BN-act block
// keeps two activation-sized tensors for the backward (the BN input and this output) instead of three.
#pragma once

#include <torch/torch.h>

namespace angio::engine {

/** min(max(x, 0), 6) written into x; the gradient passes where 0 < output < 6, exactly as hardtanh's does. */
torch::Tensor Relu6InPlace(torch::Tensor x);

}  // namespace angio::engine
