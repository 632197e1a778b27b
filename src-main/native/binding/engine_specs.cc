// Session, stage and probe-circuit specs from JS objects (binding/engine_specs.h).
#include "binding/engine_specs.h"

#include <climits>

namespace angio::binding {
namespace {

// Whole numbers JS can hold exactly; the core decides which of them make sense.
constexpr std::int64_t kExact = std::int64_t{1} << 53;

int IntField(const Reader& read, const Napi::Object& o, const char* key, int fallback) {
  return static_cast<int>(read.IntegerField(o, key, fallback, INT_MIN, INT_MAX));
}

std::int64_t LongField(const Reader& read, const Napi::Object& o, const char* key, std::int64_t fallback) {
  return read.IntegerField(o, key, fallback, -kExact, kExact);
}

double RealField(const Reader& read, const Napi::Object& o, const char* key, double fallback) {
  return read.NumberField(o, key, fallback, -1e300, 1e300);
}

// Stored as float: a finite double beyond float's range would become infinity.
float SingleField(const Reader& read, const Napi::Object& o, const char* key, float fallback) {
  return static_cast<float>(read.NumberField(o, key, fallback, -1e30, 1e30));
}

}  // namespace

engine::SessionSpec ReadSessionSpec(const Reader& read, const Napi::Object& o) {
  engine::SessionSpec spec;
  const auto model = read.Within("model.");
  auto m = read.Section(o, "model");
  spec.model.encoder = model.StringField(m, "encoder", spec.model.encoder);
  spec.model.quantumFusion = model.BooleanField(m, "quantumFusion", spec.model.quantumFusion);
  spec.model.qubits = IntField(model, m, "qubits", spec.model.qubits);
  spec.model.layers = IntField(model, m, "layers", spec.model.layers);
  spec.model.rotation = model.StringField(m, "rotation", spec.model.rotation);
  spec.model.entangler = model.StringField(m, "entangler", spec.model.entangler);
  spec.model.reupload = model.BooleanField(m, "reupload", spec.model.reupload);
  spec.model.alphaInit = RealField(model, m, "alphaInit", spec.model.alphaInit);
  spec.model.projectionHidden = LongField(model, m, "projectionHidden", spec.model.projectionHidden);
  spec.model.projectionDim = LongField(model, m, "projectionDim", spec.model.projectionDim);
  spec.model.classifierHidden = LongField(model, m, "classifierHidden", spec.model.classifierHidden);
  spec.model.dropout = RealField(model, m, "dropout", spec.model.dropout);
  spec.model.classes = LongField(model, m, "classes", spec.model.classes);
  const auto augment = read.Within("augment.");
  auto a = read.Section(o, "augment");
  auto& g = spec.augment;
  g.rotationDegrees = RealField(augment, a, "rotationDegrees", g.rotationDegrees);
  g.cropScaleMin = RealField(augment, a, "cropScaleMin", g.cropScaleMin);
  g.cropRatioMax = RealField(augment, a, "cropRatioMax", g.cropRatioMax);
  g.translate = RealField(augment, a, "translate", g.translate);
  g.shearDegrees = RealField(augment, a, "shearDegrees", g.shearDegrees);
  g.brightness = RealField(augment, a, "brightness", g.brightness);
  g.contrast = RealField(augment, a, "contrast", g.contrast);
  g.horizontalFlip = augment.BooleanField(a, "horizontalFlip", g.horizontalFlip);
  g.verticalFlip = augment.BooleanField(a, "verticalFlip", g.verticalFlip);
  g.gamma = RealField(augment, a, "gamma", g.gamma);
  g.blurSigma = RealField(augment, a, "blurSigma", g.blurSigma);
  g.blurProbability = RealField(augment, a, "blurProbability", g.blurProbability);
  g.noise = RealField(augment, a, "noise", g.noise);
  g.mean = SingleField(augment, a, "mean", g.mean);
  g.std = SingleField(augment, a, "std", g.std);
  spec.imageSize = IntField(read, o, "imageSize", spec.imageSize);
  spec.seed = static_cast<std::uint64_t>(read.IntegerField(o, "seed", 0, 0, kExact));
  spec.threads = IntField(read, o, "threads", spec.threads);
  spec.deterministic = read.BooleanField(o, "deterministic", spec.deterministic);
  spec.channelsLast = read.BooleanField(o, "channelsLast", spec.channelsLast);
  spec.device = read.StringField(o, "device", spec.device);
  spec.freezeBatchNorm = read.BooleanField(o, "freezeBatchNorm", spec.freezeBatchNorm);
  return spec;
}

engine::DistributedSpec ReadDistributedSpec(const Reader& read, const Napi::Object& o) {
  engine::DistributedSpec spec;
  spec.host = read.StringField(o, "host", spec.host);
  spec.port = static_cast<int>(read.IntegerField(o, "port", spec.port, 1, 65535));
  spec.worldSize = static_cast<int>(read.IntegerField(o, "worldSize", spec.worldSize, 1, 1024));
  spec.rank = static_cast<int>(read.IntegerField(o, "rank", spec.rank, 0, 1023));
  spec.token = read.StringField(o, "token", spec.token);
  spec.bindAddress = read.StringField(o, "bindAddress", spec.bindAddress);
  spec.allowPublic = read.BooleanField(o, "allowPublic", spec.allowPublic);
  spec.timeoutMs = read.IntegerField(o, "timeoutMs", spec.timeoutMs, 100, 3600000);
  spec.bucketBytes = read.IntegerField(o, "bucketBytes", spec.bucketBytes, 1024, std::int64_t{1} << 32);
  return spec;
}

engine::StageSpec ReadStageSpec(const Reader& read, const Napi::Object& o) {
  engine::StageSpec stage;
  stage.kind = read.StringField(o, "kind", stage.kind);
  stage.imageSet = read.StringField(o, "imageSet", stage.imageSet);
  stage.learningRate = RealField(read, o, "learningRate", stage.learningRate);
  stage.weightDecay = RealField(read, o, "weightDecay", stage.weightDecay);
  stage.totalSteps = LongField(read, o, "totalSteps", stage.totalSteps);
  stage.warmupSteps = LongField(read, o, "warmupSteps", stage.warmupSteps);
  stage.trainableBlocks = IntField(read, o, "trainableBlocks", stage.trainableBlocks);
  stage.encoderLrScale = RealField(read, o, "encoderLrScale", stage.encoderLrScale);
  stage.temperature = RealField(read, o, "temperature", stage.temperature);
  stage.objective = read.StringField(o, "objective", stage.objective);
  stage.emaMomentum = RealField(read, o, "emaMomentum", stage.emaMomentum);
  stage.classWeights = read.NumberListField(o, "classWeights", 1024, -1e300, 1e300);
  const auto unlabeled = read.Within("unlabeled.");
  auto u = read.Section(o, "unlabeled");
  stage.unlabeled.imageSet = unlabeled.StringField(u, "imageSet", stage.unlabeled.imageSet);
  stage.unlabeled.weight = RealField(unlabeled, u, "weight", stage.unlabeled.weight);
  stage.unlabeled.threshold = RealField(unlabeled, u, "threshold", stage.unlabeled.threshold);
  stage.unlabeled.ratio = IntField(unlabeled, u, "ratio", stage.unlabeled.ratio);
  return stage;
}

quantum::CircuitSpec ReadProbeCircuit(const Reader& read, const Napi::Object& o) {
  quantum::CircuitSpec circuit;
  circuit.qubits = IntField(read, o, "qubits", circuit.qubits);
  circuit.layers = IntField(read, o, "layers", circuit.layers);
  const auto rotation = read.StringField(o, "rotation", "Rot");
  if (rotation == "RX") circuit.rotation = quantum::Rotation::RX;
  else if (rotation == "RY") circuit.rotation = quantum::Rotation::RY;
  else if (rotation == "RZ") circuit.rotation = quantum::Rotation::RZ;
  else if (rotation == "Rot") circuit.rotation = quantum::Rotation::Rot;
  else read.Fail("rotation '" + rotation + "' is unknown: use RX, RY, RZ or Rot");
  const auto entangler = read.StringField(o, "entangler", "CnotRing");
  if (entangler == "CnotRing") circuit.entangler = quantum::Entangler::CnotRing;
  else if (entangler == "CnotChain") circuit.entangler = quantum::Entangler::CnotChain;
  else if (entangler == "CzRing") circuit.entangler = quantum::Entangler::CzRing;
  else read.Fail("entangler '" + entangler + "' is unknown: use CnotRing, CnotChain or CzRing");
  circuit.reupload = read.BooleanField(o, "reupload", false);
  try {
    quantum::Validate(circuit, 0, 1, static_cast<std::size_t>(-1));  // before any size depends on qubits
  } catch (const std::invalid_argument& error) {
    read.Fail(error.what());
  }
  return circuit;
}

}  // namespace angio::binding
