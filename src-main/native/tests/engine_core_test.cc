// Test driver for the training engine core without N-API or Node: built against libtorch and run by
// src-main/native/engine-core.test.ts (and under ASan + UBSan by src-main/native/sanitizers.test.ts).
// A tiny SimpleCNN + quantum head on synthetic 16 px images: steps move the weights and give finite losses,
// outputs have their documented shapes, a checkpoint resumes bit-identically, and the core itself refuses
// sizes, counts and settings that would read past a buffer or make no sense.
// Usage: engine_core_test <scratch folder>. Prints one line per check and "N failed"; exits non-zero on failure.
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <fstream>
#include <functional>
#include <limits>
#include <string>
#include <vector>

#include "engine/cpu_block_cache.h"
#include "engine/engine_error.h"
#include "engine/probes.h"
#include "engine/session.h"
#include "engine/validation.h"

using namespace angio::engine;

namespace {

int failures = 0;
void Check(bool ok, const std::string& what) {
  std::printf("%s %s\n", ok ? "ok  " : "FAIL", what.c_str());
  if (!ok) ++failures;
}

/** Runs `call` and checks it throws an EngineError with `code` (anything else, or nothing, is a failure). */
void Refuses(const std::string& code, const std::string& what, const std::function<void()>& call) {
  std::string got = "nothing thrown";
  try {
    call();
  } catch (const EngineError& error) {
    got = error.code;
  } catch (const std::exception& error) {
    got = std::string("untyped: ") + error.what();
  }
  Check(got == code, what + " → " + code + (got == code ? "" : " (got " + got + ")"));
}

constexpr int kSide = 16;
constexpr std::size_t kPixels = kSide * kSide;

SessionSpec TinySpec() {
  SessionSpec spec;
  spec.model.encoder = "simple_cnn";
  spec.model.quantumFusion = true;
  spec.model.qubits = 3;
  spec.model.layers = 1;
  spec.model.projectionHidden = 16;
  spec.model.projectionDim = 8;
  spec.model.classifierHidden = 8;
  spec.imageSize = kSide;
  spec.seed = 3;
  spec.threads = 1;
  return spec;
}

/** A bright square, larger for class 1, on a dark background: deterministic, no RNG. */
std::vector<std::uint8_t> Images(int count) {
  std::vector<std::uint8_t> pixels(count * kPixels, 20);
  for (int i = 0; i < count; ++i) {
    const int half = (i % 2 == 1) ? 5 : 2, centre = 5 + i % 6;
    for (int y = centre - half; y <= centre + half; ++y) {
      for (int x = centre - half; x <= centre + half; ++x) pixels[i * kPixels + y * kSide + x] = 220;
    }
  }
  return pixels;
}

std::vector<std::int32_t> Labels(int count) {
  std::vector<std::int32_t> labels(count);
  for (int i = 0; i < count; ++i) labels[i] = i % 2;
  return labels;
}

StageSpec Stage(const std::string& kind) {
  StageSpec stage;
  stage.kind = kind;
  stage.totalSteps = 4;
  return stage;
}

bool SameWeights(const std::vector<NamedArray>& a, const std::vector<NamedArray>& b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (a[i].name != b[i].name || a[i].values != b[i].values) return false;
  }
  return true;
}

bool AllFinite(const std::vector<float>& values) {
  for (float v : values) {
    if (!std::isfinite(v)) return false;
  }
  return true;
}

void TrainingChecks(const std::string& scratch) {
  const int count = 8;
  const auto pixels = Images(count);
  const auto labels = Labels(count);
  const std::vector<std::int32_t> batch = {0, 1, 2, 3};
  TrainingSession session(TinySpec());
  session.SetImages("train", pixels.data(), pixels.size(), labels.data(), labels.size());
  Check(session.ImageCount("train") == count, "a set of 8 images holds 8 images");
  session.ConfigureStage(Stage("pretrain"));
  const auto before = session.Parameters(false);
  const auto first = session.Step(batch.data(), batch.size());
  const auto second = session.Step(batch.data(), batch.size());
  Check(std::isfinite(first.loss) && std::isfinite(second.loss) && first.loss > 0, "SimCLR steps give finite, positive losses");
  Check(second.stageStep == 2 && second.globalStep == 2, "step counters advance by one per step");
  Check(!SameWeights(before, session.Parameters(false)), "a step changes the weights");

  const auto features = session.Embed("train");
  Check(features.size() == count * static_cast<std::size_t>(session.FeatureDim()) && AllFinite(features),
        "Embed gives count × FeatureDim finite values");
  const auto preview = session.PreviewViews("train", batch.data(), batch.size(), 0, 0, true);
  Check(preview.size() == batch.size() * kPixels && AllFinite(preview), "PreviewViews gives count × S × S finite values");

  session.ConfigureStage(Stage("supervised"));
  std::vector<float> views(batch.size() * kPixels, 0.25f);
  const auto supervised = session.StepOnViews(views.data(), views.size(), batch.size(), labels.data(), batch.size());
  Check(std::isfinite(supervised.loss), "a supervised step on given views gives a finite loss");
  const auto probabilities = session.Predict("train");
  const auto classes = session.PredictClasses("train");
  Check(probabilities.size() == count && classes.size() == count * 2u, "Predict gives count values, PredictClasses count × classes");
  bool inUnit = true;
  for (float p : probabilities) inUnit = inUnit && p >= 0 && p <= 1;
  Check(inUnit, "probabilities lie in [0, 1]");

  // Checkpoint, one more step, then the same step on a fresh session restored from the file: same loss and
  // weights. The load comes after the original's step because dropout draws from the process-wide generator,
  // which the checkpoint restores.
  const std::string checkpoint = scratch + "/core.ckpt";
  session.SaveCheckpoint(checkpoint, "{\"meta\":1}");
  const auto saved = session.Parameters(true);
  const auto a = session.Step(batch.data(), batch.size());
  TrainingSession resumed(TinySpec());
  resumed.SetImages("train", pixels.data(), pixels.size(), labels.data(), labels.size());
  Check(resumed.LoadCheckpoint(checkpoint) == "{\"meta\":1}", "a checkpoint returns the meta it was saved with");
  Check(SameWeights(saved, resumed.Parameters(true)), "a loaded checkpoint restores every weight and buffer");
  const auto b = resumed.Step(batch.data(), batch.size());
  Check(a.loss == b.loss && SameWeights(session.Parameters(true), resumed.Parameters(true)),
        "the step after a resume is bit-identical to the step without one");

  const std::string model = scratch + "/core.model";
  session.ExportModel(model, "m");
  TrainingSession imported(TinySpec());
  Check(imported.ImportModel(model) == "m" && SameWeights(session.Parameters(true), imported.Parameters(true)),
        "an exported model imports to the same weights");
  {
    std::fstream damage(checkpoint, std::ios::in | std::ios::out | std::ios::binary);
    damage.seekp(40);
    damage.put('\x7f');
  }
  Refuses("checkpoint-corrupt", "a checkpoint with a flipped byte", [&] { resumed.LoadCheckpoint(checkpoint); });
  Refuses("checkpoint-corrupt", "a missing checkpoint", [&] { resumed.LoadCheckpoint(scratch + "/none.ckpt"); });
}

// Steps reuse the pages earlier steps faulted in: once the first steps have settled the block cache's layout, a
// further step allocates nothing new, and the live bytes return to where they were.
void BlockCacheChecks() {
  const auto pixels = Images(8);
  const std::vector<std::int32_t> batch = {0, 1, 2, 3};
  TrainingSession session(TinySpec());
  session.SetImages("train", pixels.data(), pixels.size(), nullptr, 0);
  session.ConfigureStage(Stage("pretrain"));
  for (int i = 0; i < 3; ++i) session.Step(batch.data(), batch.size());
  const auto settled = CpuBlockCacheCounters();
  session.Step(batch.data(), batch.size());
  const auto after = CpuBlockCacheCounters();
  Check(settled.highWaterBytes > 0 && after.highWaterBytes == settled.highWaterBytes, "a settled step maps no new memory");
  Check(after.liveBytes == settled.liveBytes, "a step frees every block it allocates but the weights' and optimizer's");
}

void SizeChecks() {
  const int count = 6;
  const auto pixels = Images(count);
  const auto labels = Labels(count);
  TrainingSession session(TinySpec());
  Refuses("empty-dataset", "an empty image set", [&] { session.SetImages("x", pixels.data(), 0, nullptr, 0); });
  Refuses("invalid-batch", "pixels that are not whole S × S images",
          [&] { session.SetImages("x", pixels.data(), pixels.size() - 1, nullptr, 0); });
  Refuses("invalid-batch", "fewer labels than images", [&] { session.SetImages("x", pixels.data(), pixels.size(), labels.data(), 5); });
  Refuses("invalid-batch", "more labels than images", [&] { session.SetImages("x", pixels.data(), kPixels, labels.data(), 2); });
  Refuses("invalid-batch", "a label count without labels", [&] { session.SetImages("x", pixels.data(), pixels.size(), nullptr, 6); });
  const std::vector<std::int32_t> outOfRange = {0, 1, 2, 0, 1, 0};
  Refuses("invalid-batch", "a label outside the classes",
          [&] { session.SetImages("x", pixels.data(), pixels.size(), outOfRange.data(), outOfRange.size()); });
  Refuses("stage-not-configured", "a learning rate before any stage", [&] { session.LearningRateAt(0); });
  Refuses("stage-not-configured", "a step before any stage", [&] {
    std::vector<std::int32_t> two = {0, 1};
    session.Step(two.data(), two.size());
  });

  session.SetImages("train", pixels.data(), pixels.size(), labels.data(), labels.size());
  session.ConfigureStage(Stage("pretrain"));
  Refuses("invalid-batch", "a negative stage step", [&] { session.LearningRateAt(-1); });
  const std::vector<std::int32_t> one = {0}, outside = {0, 6}, negative = {-1, 0};
  Refuses("invalid-batch", "a batch of one image", [&] { session.Step(one.data(), one.size()); });
  Refuses("invalid-batch", "an index past the set", [&] { session.Step(outside.data(), outside.size()); });
  Refuses("invalid-batch", "a negative index", [&] { session.Step(negative.data(), negative.size()); });
  Refuses("invalid-batch", "a batch over the image limit", [&] {
    std::vector<std::int32_t> many(kMaxBatchImages + 1, 0);
    session.Step(many.data(), many.size());
  });
  Refuses("invalid-batch", "an index count with no indices", [&] { session.Step(nullptr, 4); });
  std::vector<float> views(2 * 4 * kPixels, 0.1f);
  Refuses("invalid-batch", "pretrain views for fewer images than counted",
          [&] { session.StepOnViews(views.data(), views.size(), 5, nullptr, 0); });
  Refuses("invalid-batch", "pretrain views holding one view, not two",
          [&] { session.StepOnViews(views.data(), views.size() / 2, 4, nullptr, 0); });
  Refuses("invalid-batch", "a view count past any buffer",
          [&] { session.StepOnViews(views.data(), views.size(), std::numeric_limits<std::size_t>::max() / 2, nullptr, 0); });
  Refuses("invalid-batch", "labels on a pretrain step", [&] { session.StepOnViews(views.data(), views.size(), 4, labels.data(), 4); });
  views[7] = std::nanf("");
  Refuses("invalid-batch", "a NaN view value", [&] { session.StepOnViews(views.data(), views.size(), 4, nullptr, 0); });
  session.ConfigureStage(Stage("supervised"));
  std::vector<float> single(4 * kPixels, 0.1f);
  Refuses("invalid-batch", "a supervised step without labels", [&] { session.StepOnViews(single.data(), single.size(), 4, nullptr, 0); });
  Refuses("invalid-batch", "a supervised step with too few labels",
          [&] { session.StepOnViews(single.data(), single.size(), 4, labels.data(), 3); });
  Refuses("invalid-batch", "a preview index past the set",
          [&] { session.PreviewViews("train", outside.data(), outside.size(), 0, 0, false); });
  Refuses("unknown-image-set", "a preview of an unknown set", [&] { session.PreviewViews("nope", one.data(), 1, 0, 0, false); });
  Refuses("invalid-config", "kNN with k = 0", [&] { session.KnnScores("train", "train", 0, true); });
  Refuses("invalid-config", "an unknown model part", [&] { session.ParameterCount("wheels"); });
}

void SettingChecks() {
  auto refusesSpec = [](const std::string& what, const std::function<void(SessionSpec&)>& change) {
    auto spec = TinySpec();
    change(spec);
    Refuses("invalid-config", what, [&] { TrainingSession session(spec); });
  };
  refusesSpec("an 8 px image size", [](SessionSpec& s) { s.imageSize = 8; });
  refusesSpec("zero threads", [](SessionSpec& s) { s.threads = 0; });
  refusesSpec("one class", [](SessionSpec& s) { s.model.classes = 1; });
  refusesSpec("a projection head of width 0", [](SessionSpec& s) { s.model.projectionHidden = 0; });
  refusesSpec("a classifier head a billion wide", [](SessionSpec& s) { s.model.classifierHidden = 1000000000; });
  refusesSpec("dropout 1", [](SessionSpec& s) { s.model.dropout = 1; });
  refusesSpec("NaN alphaInit", [](SessionSpec& s) { s.model.alphaInit = std::nan(""); });
  refusesSpec("normalisation std 0", [](SessionSpec& s) { s.augment.std = 0; });
  refusesSpec("NaN crop scale", [](SessionSpec& s) { s.augment.cropScaleMin = std::nan(""); });
  refusesSpec("21 qubits", [](SessionSpec& s) { s.model.qubits = 21; });
  refusesSpec("an unknown encoder", [](SessionSpec& s) { s.model.encoder = "vgg16"; });
  refusesSpec("an unknown device", [](SessionSpec& s) { s.device = "tpu"; });

  const auto pixels = Images(4);
  const auto labels = Labels(4);
  TrainingSession session(TinySpec());
  session.SetImages("train", pixels.data(), pixels.size(), labels.data(), labels.size());
  auto refusesStage = [&](const std::string& what, const std::function<void(StageSpec&)>& change) {
    auto stage = Stage("supervised");
    change(stage);
    Refuses("invalid-config", what, [&] { session.ConfigureStage(stage); });
  };
  refusesStage("a NaN learning rate", [](StageSpec& s) { s.learningRate = std::nan(""); });
  refusesStage("zero steps", [](StageSpec& s) { s.totalSteps = 0; });
  refusesStage("a negative warmup", [](StageSpec& s) { s.warmupSteps = -1; });
  refusesStage("an infinite weight decay", [](StageSpec& s) { s.weightDecay = INFINITY; });
  refusesStage("a zero temperature", [](StageSpec& s) { s.temperature = 0; });
  refusesStage("three class weights for two classes", [](StageSpec& s) { s.classWeights = {1, 1, 1}; });
  refusesStage("a negative class weight", [](StageSpec& s) { s.classWeights = {1, -1}; });
  refusesStage("an unknown stage kind", [](StageSpec& s) { s.kind = "distill"; });
  Refuses("unknown-image-set", "a stage on an unknown set", [&] {
    auto stage = Stage("pretrain");
    stage.imageSet = "nope";
    session.ConfigureStage(stage);
  });

  std::vector<float> z(2 * 4, 0.5f);
  Refuses("invalid-batch", "NT-Xent on one row", [&] { ProbeNtXent(z.data(), z.data(), 1, 4, 0.2); });
  Refuses("invalid-config", "NT-Xent at temperature 0", [&] { ProbeNtXent(z.data(), z.data(), 2, 4, 0); });
  angio::quantum::CircuitSpec circuit{0, 1, angio::quantum::Rotation::RY, angio::quantum::Entangler::CnotRing, false};
  Refuses("invalid-config", "a quantum probe with 0 qubits", [&] { ProbeQuantumLayer(circuit, z.data(), 1, z.data(), z.data(), 1); });
  circuit.qubits = 2;
  Refuses("invalid-batch", "a quantum probe with no rows", [&] { ProbeQuantumLayer(circuit, z.data(), 0, z.data(), z.data(), 1); });
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: engine_core_test <scratch folder>\n");
    return 2;
  }
  TrainingChecks(argv[1]);
  BlockCacheChecks();
  SizeChecks();
  SettingChecks();
  std::printf("%d failed\n", failures);
  return failures == 0 ? 0 : 1;
}
