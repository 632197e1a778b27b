// The ranges the engine accepts, checked by the core itself so no caller (the N-API binding, a C++ driver) can
// hand it a size that would read past a buffer or exhaust memory. Every refusal is an EngineError.
#pragma once

#include <cstddef>
#include <cstdint>

#include "engine/session.h"

namespace angio::engine {

/** Images in one training step or preview (the run config allows batches up to 1024). */
constexpr std::size_t kMaxBatchImages = 4096;
/** Widths of the projection and classifier heads. */
constexpr std::int64_t kMaxHeadWidth = 8192;
constexpr std::int64_t kMaxClasses = 64;

/** Throws invalid-config naming the first setting out of range. */
void ValidateSessionSpec(const SessionSpec& spec);
/** Throws invalid-config naming the first stage setting out of range (class weights: one per class). */
void ValidateStageSpec(const StageSpec& stage, std::int64_t classes);
/** Throws invalid-batch unless 2 ≤ count ≤ kMaxBatchImages (BatchNorm and NT-Xent need two images). */
void ValidateBatchSize(std::size_t count);

}  // namespace angio::engine
