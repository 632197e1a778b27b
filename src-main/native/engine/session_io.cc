// Checkpoints and model files. Layout: 8-byte magic, payload length, FNV-1a 64 of the payload, then the payload
// (torch.save-compatible pickle of one dict: names, tensors, stage, counters, RNG, optimizer bytes, meta).
// The hash turns any truncation or bit flip into checkpoint-corrupt instead of a half-loaded model; writing to a
// temporary file, syncing and renaming means a kill at any instant leaves the previous checkpoint intact.
#include <fcntl.h>
#include <unistd.h>

#include <cstdio>
#include <cstring>
#include <fstream>
#include <sstream>

#include <ATen/CPUGeneratorImpl.h>
#include <torch/csrc/jit/serialization/pickle.h>

#include "engine/engine_error.h"
#include "engine/session_state.h"

namespace angio::engine {
namespace {

constexpr char kMagic[8] = {'A', 'N', 'G', 'I', 'O', 'C', 'K', '1'};
constexpr std::size_t kHeader = 24;

std::uint64_t Fnv1a(const char* data, std::size_t size) {
  std::uint64_t hash = 1469598103934665603ull;
  for (std::size_t i = 0; i < size; ++i) hash = (hash ^ static_cast<unsigned char>(data[i])) * 1099511628211ull;
  return hash;
}

void WriteAtomically(const std::string& path, const std::vector<char>& payload) {
  const std::string temporary = path + ".tmp";
  const std::uint64_t length = payload.size(), hash = Fnv1a(payload.data(), payload.size());
  {
    std::ofstream out(temporary, std::ios::binary | std::ios::trunc);
    out.write(kMagic, 8);
    out.write(reinterpret_cast<const char*>(&length), 8);
    out.write(reinterpret_cast<const char*>(&hash), 8);
    out.write(payload.data(), static_cast<std::streamsize>(payload.size()));
    out.close();
    if (!out) throw EngineError("checkpoint-unwritable", "Cannot write " + temporary + ": check free disk space and permissions.");
  }
  const int fd = ::open(temporary.c_str(), O_RDONLY);
  if (fd >= 0) {
    ::fsync(fd);  // the rename must never expose a file whose bytes are still only in the page cache
    ::close(fd);
  }
  if (std::rename(temporary.c_str(), path.c_str()) != 0) {
    throw EngineError("checkpoint-unwritable", "Cannot move " + temporary + " into place: " + std::strerror(errno));
  }
  // The rename itself lives in the folder's entry table: sync the folder too, or a power cut can bring back the
  // previous checkpoint's name (or none) although the new bytes were on disk.
  const auto slash = path.find_last_of('/');
  const std::string folder = slash == std::string::npos ? "." : (slash == 0 ? "/" : path.substr(0, slash));
  const int dir = ::open(folder.c_str(), O_RDONLY | O_DIRECTORY);
  if (dir >= 0) {
    ::fsync(dir);
    ::close(dir);
  }
}

c10::impl::GenericDict ReadVerified(const std::string& path, const char* expectedKind) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw EngineError("checkpoint-corrupt", "Cannot open " + path + ": the file is missing or unreadable.");
  std::vector<char> bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  const std::string damaged = "The file " + path + " is damaged or not an engine file";
  if (bytes.size() < kHeader || std::memcmp(bytes.data(), kMagic, 8) != 0) {
    throw EngineError("checkpoint-corrupt", damaged + " (bad header): resume from an earlier checkpoint or start over.");
  }
  std::uint64_t length = 0, hash = 0;
  std::memcpy(&length, bytes.data() + 8, 8);
  std::memcpy(&hash, bytes.data() + 16, 8);
  if (length != bytes.size() - kHeader || Fnv1a(bytes.data() + kHeader, length) != hash) {
    throw EngineError("checkpoint-corrupt", damaged + " (truncated or altered): resume from an earlier checkpoint or start over.");
  }
  c10::IValue value;
  try {
    value = torch::jit::pickle_load(std::vector<char>(bytes.begin() + kHeader, bytes.end()));
  } catch (const std::exception& error) {
    throw EngineError("checkpoint-corrupt", damaged + ": " + error.what());
  }
  if (!value.isGenericDict()) throw EngineError("checkpoint-corrupt", damaged + " (no dictionary).");
  auto dict = value.toGenericDict();
  if (!dict.contains("kind") || dict.at("kind").toStringRef() != expectedKind) {
    throw EngineError("checkpoint-corrupt", "The file " + path + " is not a " + expectedKind + " file.");
  }
  return dict;
}

// Unpickled lists come back untyped (List[Any]), so numbers are read element by element.
std::vector<double> Doubles(const c10::IValue& value) {
  std::vector<double> out;
  for (const auto& item : value.toListRef()) out.push_back(item.toDouble());
  return out;
}

void PutWeights(c10::impl::GenericDict& dict, Network& network) {
  c10::List<std::string> names;
  c10::List<at::Tensor> tensors;
  for (const auto& item : network->named_parameters()) {
    names.push_back(item.key());
    tensors.push_back(item.value().detach().to(torch::kCPU).clone());
  }
  for (const auto& item : network->named_buffers()) {
    names.push_back(item.key());
    tensors.push_back(item.value().detach().to(torch::kCPU).clone());
  }
  dict.insert("names", names);
  dict.insert("tensors", tensors);
}

bool InParts(const std::string& name, const std::vector<std::string>& parts) {
  if (parts.empty()) return true;
  for (const auto& part : parts) {
    if (name.compare(0, part.size() + 1, part + ".") == 0) return true;
  }
  return false;
}

void TakeWeights(const c10::impl::GenericDict& dict, Network& network, const std::string& path,
                 const std::vector<std::string>& parts = {}) {
  auto names = dict.at("names").toList();
  auto tensors = dict.at("tensors").toList();
  std::map<std::string, at::Tensor> stored;
  for (std::size_t i = 0; i < names.size(); ++i) stored[names.get(i).toStringRef()] = tensors.get(i).toTensor();
  auto copyInto = [&](const std::string& name, at::Tensor target) {
    auto found = stored.find(name);
    if (found == stored.end() || found->second.sizes() != target.sizes()) {
      throw EngineError("checkpoint-corrupt", "The file " + path + " was written for a different model (" + name +
                                                  " missing or of another shape): pick a file from this configuration.");
    }
    torch::NoGradGuard noGrad;
    target.copy_(found->second);
  };
  std::size_t copied = 0;
  for (const auto& item : network->named_parameters()) {
    if (InParts(item.key(), parts)) copyInto(item.key(), item.value()), ++copied;
  }
  for (const auto& item : network->named_buffers()) {
    if (InParts(item.key(), parts)) copyInto(item.key(), item.value()), ++copied;
  }
  if (copied == 0) {
    throw EngineError("checkpoint-corrupt", "The file " + path + " has none of the requested parts of the model.");
  }
}

}  // namespace

void TrainingSession::SaveCheckpoint(const std::string& path, const std::string& meta) {
  if (!state_->stage) throw EngineError("stage-not-configured", "Nothing to checkpoint: no stage has been configured.");
  const auto& s = *state_->stage;
  c10::impl::GenericDict dict(c10::StringType::get(), c10::AnyType::get());
  dict.insert("kind", std::string("checkpoint"));
  dict.insert("meta", meta);
  PutWeights(dict, state_->network);
  dict.insert("stage.kind", s.kind);
  dict.insert("stage.imageSet", s.imageSet);
  dict.insert("stage.numbers", c10::List<double>({s.learningRate, s.weightDecay, static_cast<double>(s.totalSteps),
                                                  static_cast<double>(s.warmupSteps), static_cast<double>(s.trainableBlocks),
                                                  s.encoderLrScale, s.temperature}));
  dict.insert("stage.classWeights", c10::List<double>(s.classWeights));
  if (!s.unlabeled.imageSet.empty()) {  // checkpoints without semi-supervised fine-tuning stay as they were
    dict.insert("stage.unlabeled.imageSet", s.unlabeled.imageSet);
    dict.insert("stage.unlabeled.numbers", c10::List<double>({s.unlabeled.weight, s.unlabeled.threshold,
                                                              static_cast<double>(s.unlabeled.ratio)}));
  }
  if (s.objective != "simclr") {  // SimCLR checkpoints stay as they were
    dict.insert("stage.objective", s.objective);
    dict.insert("stage.emaMomentum", s.emaMomentum);
  }
  if (state_->byol) PutByolState(dict, *state_->byol);
  dict.insert("stageStep", state_->stageStep);
  dict.insert("globalStep", state_->globalStep);
  {
    auto generator = at::detail::getDefaultCPUGenerator();
    std::lock_guard<std::mutex> lock(generator.mutex());
    dict.insert("rng.torch", generator.get_state());
  }
  if (!state_->device.is_cpu()) {  // dropout on a GPU draws from that device's generator
    at::Generator generator = at::globalContext().defaultGenerator(state_->device);
    std::lock_guard<std::mutex> lock(generator.mutex());
    dict.insert("rng.device", generator.get_state());
  }
  torch::serialize::OutputArchive archive;
  state_->optimizer->save(archive);
  std::ostringstream optimizerBytes;
  archive.save_to(optimizerBytes);
  const std::string bytes = optimizerBytes.str();
  dict.insert("optimizer", torch::from_blob(const_cast<char*>(bytes.data()), {static_cast<int64_t>(bytes.size())},
                                            torch::kUInt8).clone());
  WriteAtomically(path, torch::jit::pickle_save(dict));
}

std::string TrainingSession::LoadCheckpoint(const std::string& path) {
  state_->UseThreads();
  auto dict = ReadVerified(path, "checkpoint");
  try {
    StageSpec stage;
    stage.kind = dict.at("stage.kind").toStringRef();
    stage.imageSet = dict.at("stage.imageSet").toStringRef();
    auto numbers = Doubles(dict.at("stage.numbers"));
    stage.learningRate = numbers.at(0);
    stage.weightDecay = numbers.at(1);
    stage.totalSteps = static_cast<std::int64_t>(numbers.at(2));
    stage.warmupSteps = static_cast<std::int64_t>(numbers.at(3));
    stage.trainableBlocks = static_cast<int>(numbers.at(4));
    stage.encoderLrScale = numbers.at(5);
    stage.temperature = numbers.at(6);
    stage.classWeights = Doubles(dict.at("stage.classWeights"));
    if (dict.contains("stage.unlabeled.imageSet")) {
      stage.unlabeled.imageSet = dict.at("stage.unlabeled.imageSet").toStringRef();
      auto unlabeled = Doubles(dict.at("stage.unlabeled.numbers"));
      stage.unlabeled.weight = unlabeled.at(0);
      stage.unlabeled.threshold = unlabeled.at(1);
      stage.unlabeled.ratio = static_cast<int>(unlabeled.at(2));
    }
    if (dict.contains("stage.objective")) {
      stage.objective = dict.at("stage.objective").toStringRef();
      stage.emaMomentum = dict.at("stage.emaMomentum").toDouble();
    }
    ConfigureStage(stage);  // rebuilds the optimizer over this stage's parameters before its state is loaded
    TakeWeights(dict, state_->network, path);
    if (state_->byol) TakeByolState(dict, *state_->byol, path);
    auto optimizerBytes = dict.at("optimizer").toTensor().contiguous();
    std::istringstream stream(std::string(reinterpret_cast<const char*>(optimizerBytes.data_ptr<std::uint8_t>()),
                                          static_cast<std::size_t>(optimizerBytes.numel())));
    torch::serialize::InputArchive archive;
    archive.load_from(stream, state_->device);  // optimizer moments come to this session's device, wherever saved
    state_->optimizer->load(archive);
    state_->stageStep = dict.at("stageStep").toInt();
    state_->globalStep = dict.at("globalStep").toInt();
    {
      auto generator = at::detail::getDefaultCPUGenerator();
      std::lock_guard<std::mutex> lock(generator.mutex());
      generator.set_state(dict.at("rng.torch").toTensor());
    }
    if (!state_->device.is_cpu() && dict.contains("rng.device")) {
      at::Generator generator = at::globalContext().defaultGenerator(state_->device);
      std::lock_guard<std::mutex> lock(generator.mutex());
      generator.set_state(dict.at("rng.device").toTensor());
    }
  } catch (const EngineError&) {
    throw;
  } catch (const std::exception& error) {
    throw EngineError("checkpoint-corrupt", "The checkpoint " + path + " could not be restored: " + error.what());
  }
  return dict.at("meta").toStringRef();
}

void TrainingSession::ExportModel(const std::string& path, const std::string& meta) {
  c10::impl::GenericDict dict(c10::StringType::get(), c10::AnyType::get());
  dict.insert("kind", std::string("model"));
  dict.insert("meta", meta);
  PutWeights(dict, state_->network);
  WriteAtomically(path, torch::jit::pickle_save(dict));
}

std::string TrainingSession::ImportModel(const std::string& path, const std::vector<std::string>& parts) {
  auto dict = ReadVerified(path, "model");
  try {
    TakeWeights(dict, state_->network, path, parts);
  } catch (const EngineError&) {
    throw;
  } catch (const std::exception& error) {
    throw EngineError("checkpoint-corrupt", "The model " + path + " could not be loaded: " + error.what());
  }
  return dict.at("meta").toStringRef();
}

}  // namespace angio::engine
