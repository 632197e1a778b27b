// Converts N-API values for the training engine, checks shapes, and runs every call longer than a copy on a
// Napi::AsyncWorker (one at a time per session) so neither the main nor a worker thread's event loop blocks.
// Engine failures reach JavaScript as Error objects with `code` (EngineError codes, or session-busy /
// invalid-argument / engine-failure). Results are copied into V8-allocated typed arrays.
#include "binding/engine_binding.h"

#include <atomic>
#include <condition_variable>
#include <exception>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>

#include "engine/engine_error.h"
#include "engine/probes.h"
#include "engine/session.h"

namespace angio::binding {
namespace {

using engine::EngineError;

Napi::Error CodedError(Napi::Env env, const std::string& code, const std::string& message) {
  auto error = Napi::Error::New(env, message);
  error.Set("code", Napi::String::New(env, code));
  return error;
}

[[noreturn]] void ThrowArgument(Napi::Env env, const std::string& message) {
  throw CodedError(env, "invalid-argument", message);
}

Napi::Float32Array CopyFloats(Napi::Env env, const std::vector<float>& values) {
  auto array = Napi::Float32Array::New(env, values.size());
  std::copy(values.begin(), values.end(), array.Data());
  return array;
}

// ---- reading option objects: every field optional, defaults from the engine's structs ----
double Number(const Napi::Object& o, const char* key, double fallback) {
  auto v = o.Get(key);
  if (v.IsUndefined()) return fallback;
  if (!v.IsNumber()) ThrowArgument(o.Env(), std::string(key) + " must be a number");
  return v.As<Napi::Number>().DoubleValue();
}
bool Flag(const Napi::Object& o, const char* key, bool fallback) {
  auto v = o.Get(key);
  if (v.IsUndefined()) return fallback;
  if (!v.IsBoolean()) ThrowArgument(o.Env(), std::string(key) + " must be a boolean");
  return v.As<Napi::Boolean>().Value();
}
std::string Text(const Napi::Object& o, const char* key, const std::string& fallback) {
  auto v = o.Get(key);
  if (v.IsUndefined()) return fallback;
  if (!v.IsString()) ThrowArgument(o.Env(), std::string(key) + " must be a string");
  return v.As<Napi::String>().Utf8Value();
}
Napi::Object Section(const Napi::Object& o, const char* key) {
  auto v = o.Get(key);
  if (v.IsUndefined()) return Napi::Object::New(o.Env());
  if (!v.IsObject()) ThrowArgument(o.Env(), std::string(key) + " must be an object");
  return v.As<Napi::Object>();
}

engine::SessionSpec ReadSessionSpec(const Napi::Object& o) {
  engine::SessionSpec spec;
  auto m = Section(o, "model");
  spec.model.encoder = Text(m, "encoder", spec.model.encoder);
  spec.model.quantumFusion = Flag(m, "quantumFusion", spec.model.quantumFusion);
  spec.model.qubits = static_cast<int>(Number(m, "qubits", spec.model.qubits));
  spec.model.layers = static_cast<int>(Number(m, "layers", spec.model.layers));
  spec.model.rotation = Text(m, "rotation", spec.model.rotation);
  spec.model.entangler = Text(m, "entangler", spec.model.entangler);
  spec.model.reupload = Flag(m, "reupload", spec.model.reupload);
  spec.model.alphaInit = Number(m, "alphaInit", spec.model.alphaInit);
  spec.model.projectionHidden = static_cast<int64_t>(Number(m, "projectionHidden", static_cast<double>(spec.model.projectionHidden)));
  spec.model.projectionDim = static_cast<int64_t>(Number(m, "projectionDim", static_cast<double>(spec.model.projectionDim)));
  spec.model.classifierHidden = static_cast<int64_t>(Number(m, "classifierHidden", static_cast<double>(spec.model.classifierHidden)));
  spec.model.dropout = Number(m, "dropout", spec.model.dropout);
  spec.model.classes = static_cast<int64_t>(Number(m, "classes", static_cast<double>(spec.model.classes)));
  if (spec.model.classes < 2 || spec.model.classes > 64) ThrowArgument(o.Env(), "model.classes must be between 2 and 64");
  auto a = Section(o, "augment");
  spec.augment.rotationDegrees = Number(a, "rotationDegrees", spec.augment.rotationDegrees);
  spec.augment.cropScaleMin = Number(a, "cropScaleMin", spec.augment.cropScaleMin);
  spec.augment.cropRatioMax = Number(a, "cropRatioMax", spec.augment.cropRatioMax);
  spec.augment.translate = Number(a, "translate", spec.augment.translate);
  spec.augment.shearDegrees = Number(a, "shearDegrees", spec.augment.shearDegrees);
  spec.augment.brightness = Number(a, "brightness", spec.augment.brightness);
  spec.augment.contrast = Number(a, "contrast", spec.augment.contrast);
  spec.augment.horizontalFlip = Flag(a, "horizontalFlip", spec.augment.horizontalFlip);
  spec.augment.mean = static_cast<float>(Number(a, "mean", spec.augment.mean));
  spec.augment.std = static_cast<float>(Number(a, "std", spec.augment.std));
  spec.imageSize = static_cast<int>(Number(o, "imageSize", spec.imageSize));
  spec.seed = static_cast<std::uint64_t>(Number(o, "seed", 0));
  spec.threads = static_cast<int>(Number(o, "threads", spec.threads));
  spec.deterministic = Flag(o, "deterministic", spec.deterministic);
  spec.channelsLast = Flag(o, "channelsLast", spec.channelsLast);
  spec.device = Text(o, "device", spec.device);
  return spec;
}

engine::StageSpec ReadStageSpec(const Napi::Object& o) {
  engine::StageSpec stage;
  stage.kind = Text(o, "kind", stage.kind);
  stage.imageSet = Text(o, "imageSet", stage.imageSet);
  stage.learningRate = Number(o, "learningRate", stage.learningRate);
  stage.weightDecay = Number(o, "weightDecay", stage.weightDecay);
  stage.totalSteps = static_cast<int64_t>(Number(o, "totalSteps", static_cast<double>(stage.totalSteps)));
  stage.warmupSteps = static_cast<int64_t>(Number(o, "warmupSteps", static_cast<double>(stage.warmupSteps)));
  stage.trainableBlocks = static_cast<int>(Number(o, "trainableBlocks", stage.trainableBlocks));
  stage.encoderLrScale = Number(o, "encoderLrScale", stage.encoderLrScale);
  stage.temperature = Number(o, "temperature", stage.temperature);
  auto weights = o.Get("classWeights");
  if (weights.IsArray()) {
    auto array = weights.As<Napi::Array>();
    for (uint32_t i = 0; i < array.Length(); ++i) stage.classWeights.push_back(array.Get(i).As<Napi::Number>().DoubleValue());
  }
  return stage;
}

std::string StringArg(const Napi::CallbackInfo& info, std::size_t index, const char* what) {
  if (!info[index].IsString()) ThrowArgument(info.Env(), std::string(what) + " must be a string");
  return info[index].As<Napi::String>().Utf8Value();
}

/**
 * One thread per session that every long call runs on. libuv's pool would spread a session's steps over 4
 * threads, and each thread then keeps its own glibc malloc arena full of step-sized buffers (~2 GB peak RSS
 * for MobileNetV2 at 64², against ~0.8 GB on one thread) and its own OpenMP team. The pool thread only waits.
 */
class SessionThread {
 public:
  SessionThread() : thread_([this] { Loop(); }) {}
  ~SessionThread() {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      stopping_ = true;
    }
    ready_.notify_all();
    thread_.join();
  }
  /** Runs `task` on the session thread and waits; rethrows what it threw. */
  void Run(const std::function<void()>& task) {
    std::exception_ptr failure;
    {
      std::lock_guard<std::mutex> lock(mutex_);
      task_ = [&] {
        try {
          task();
        } catch (...) {
          failure = std::current_exception();
        }
      };
    }
    ready_.notify_all();
    std::unique_lock<std::mutex> lock(mutex_);
    finished_.wait(lock, [&] { return !task_; });
    if (failure) std::rethrow_exception(failure);
  }

 private:
  void Loop() {
    std::unique_lock<std::mutex> lock(mutex_);
    for (;;) {
      ready_.wait(lock, [&] { return stopping_ || task_; });
      if (task_) {
        auto task = task_;
        lock.unlock();
        task();
        lock.lock();
        task_ = nullptr;
        finished_.notify_all();
      } else if (stopping_) {
        return;
      }
    }
  }
  std::mutex mutex_;
  std::condition_variable ready_, finished_;
  std::function<void()> task_;
  bool stopping_ = false;
  std::thread thread_;
};

/** Runs `work` off the JS thread; `finish` turns its result into a JS value on the JS thread. */
class EngineTask : public Napi::AsyncWorker {
 public:
  EngineTask(Napi::Env env, Napi::Object owner, std::atomic<bool>* busy, SessionThread* thread,
             std::function<void()> work, std::function<Napi::Value(Napi::Env)> finish)
      : Napi::AsyncWorker(env), deferred_(Napi::Promise::Deferred::New(env)), busy_(busy), thread_(thread),
        work_(std::move(work)), finish_(std::move(finish)) {
    owner_ = Napi::Persistent(owner);  // keeps the session alive while the task runs
  }
  Napi::Promise Promise() const { return deferred_.Promise(); }

 protected:
  void Execute() override {
    try {
      thread_->Run(work_);
    } catch (const EngineError& error) {
      code_ = error.code;
      SetError(error.what());
    } catch (const std::exception& error) {
      code_ = "engine-failure";
      SetError(std::string("The training engine failed: ") + error.what());
    }
  }
  void OnOK() override {
    busy_->store(false);
    deferred_.Resolve(finish_(Env()));
  }
  void OnError(const Napi::Error& error) override {
    busy_->store(false);
    deferred_.Reject(CodedError(Env(), code_, error.Message()).Value());
  }

 private:
  Napi::Promise::Deferred deferred_;
  Napi::ObjectReference owner_;
  std::atomic<bool>* busy_;
  SessionThread* thread_;
  std::function<void()> work_;
  std::function<Napi::Value(Napi::Env)> finish_;
  std::string code_;
};

Napi::Object StepObject(Napi::Env env, const engine::StepResult& r) {
  auto o = Napi::Object::New(env);
  o.Set("loss", r.loss);
  o.Set("learningRate", r.learningRate);
  o.Set("stageStep", static_cast<double>(r.stageStep));
  o.Set("globalStep", static_cast<double>(r.globalStep));
  return o;
}

class SessionWrap : public Napi::ObjectWrap<SessionWrap> {
 public:
  static Napi::Function Define(Napi::Env env) {
    return DefineClass(env, "TrainingSession",
                       {InstanceMethod("setImages", &SessionWrap::SetImages),
                        InstanceMethod("imageCount", &SessionWrap::ImageCount),
                        InstanceMethod("configureStage", &SessionWrap::ConfigureStage),
                        InstanceMethod("learningRateAt", &SessionWrap::LearningRateAt),
                        InstanceMethod("step", &SessionWrap::Step),
                        InstanceMethod("stepOnViews", &SessionWrap::StepOnViews),
                        InstanceMethod("previewViews", &SessionWrap::PreviewViews),
                        InstanceMethod("embed", &SessionWrap::Embed),
                        InstanceMethod("predict", &SessionWrap::Predict),
                        InstanceMethod("predictClasses", &SessionWrap::PredictClasses),
                        InstanceMethod("knnScores", &SessionWrap::KnnScores),
                        InstanceMethod("saveCheckpoint", &SessionWrap::SaveCheckpoint),
                        InstanceMethod("loadCheckpoint", &SessionWrap::LoadCheckpoint),
                        InstanceMethod("exportModel", &SessionWrap::ExportModel),
                        InstanceMethod("importModel", &SessionWrap::ImportModel),
                        InstanceMethod("parameters", &SessionWrap::Parameters),
                        InstanceMethod("parameterCount", &SessionWrap::ParameterCount),
                        InstanceMethod("featureDim", &SessionWrap::FeatureDim),
                        InstanceMethod("blockCount", &SessionWrap::BlockCount),
                        InstanceMethod("classCount", &SessionWrap::ClassCount)});
  }

  explicit SessionWrap(const Napi::CallbackInfo& info) : Napi::ObjectWrap<SessionWrap>(info) {
    if (!info[0].IsObject()) ThrowArgument(info.Env(), "TrainingSession needs a spec object");
    Guard(info.Env(), [&] { session_ = std::make_unique<engine::TrainingSession>(ReadSessionSpec(info[0].As<Napi::Object>())); });
  }

 private:
  std::unique_ptr<engine::TrainingSession> session_;
  std::atomic<bool> busy_{false};
  SessionThread thread_;

  /** Synchronous calls: engine errors become coded JS errors; refuses while an async task owns the session. */
  template <typename F>
  void Guard(Napi::Env env, F&& body) {
    if (busy_.load()) throw CodedError(env, "session-busy", "The training session is busy with another call; await it first.");
    try {
      body();
    } catch (const EngineError& error) {
      throw CodedError(env, error.code, error.what());
    } catch (const Napi::Error&) {
      throw;
    } catch (const std::exception& error) {
      throw CodedError(env, "engine-failure", std::string("The training engine failed: ") + error.what());
    }
  }

  Napi::Value Async(const Napi::CallbackInfo& info, std::function<void()> work, std::function<Napi::Value(Napi::Env)> finish) {
    bool expected = false;
    if (!busy_.compare_exchange_strong(expected, true)) {
      auto deferred = Napi::Promise::Deferred::New(info.Env());
      deferred.Reject(CodedError(info.Env(), "session-busy", "The training session is busy with another call; await it first.").Value());
      return deferred.Promise();
    }
    auto* task = new EngineTask(info.Env(), info.This().As<Napi::Object>(), &busy_, &thread_, std::move(work),
                                std::move(finish));
    auto promise = task->Promise();
    task->Queue();
    return promise;
  }

  Napi::Value SetImages(const Napi::CallbackInfo& info) {
    auto name = StringArg(info, 0, "name");
    if (!info[1].IsTypedArray() || info[1].As<Napi::TypedArray>().TypedArrayType() != napi_uint8_array) {
      ThrowArgument(info.Env(), "pixels must be a Uint8Array");
    }
    auto pixels = info[1].As<Napi::Uint8Array>();
    const std::int32_t* labels = nullptr;
    Napi::Int32Array labelArray;
    std::size_t count = 0;
    Guard(info.Env(), [&] {
      if (!info[2].IsNull() && !info[2].IsUndefined()) {
        if (!info[2].IsTypedArray() || info[2].As<Napi::TypedArray>().TypedArrayType() != napi_int32_array) {
          ThrowArgument(info.Env(), "labels must be an Int32Array or null");
        }
        labelArray = info[2].As<Napi::Int32Array>();
        labels = labelArray.Data();
      }
      const double size = info[3].IsNumber() ? info[3].As<Napi::Number>().DoubleValue() : 0;
      const std::size_t perImage = static_cast<std::size_t>(size * size);
      if (perImage == 0 || pixels.ElementLength() % perImage != 0) {
        ThrowArgument(info.Env(), "pixels length must be a multiple of imageSize² (pass imageSize as 4th argument)");
      }
      count = pixels.ElementLength() / perImage;
      if (labels != nullptr && labelArray.ElementLength() != count) ThrowArgument(info.Env(), "labels must have one entry per image");
      session_->SetImages(name, pixels.Data(), count, labels);
    });
    return Napi::Number::New(info.Env(), static_cast<double>(count));
  }

  Napi::Value ImageCount(const Napi::CallbackInfo& info) {
    std::size_t count = 0;
    auto name = StringArg(info, 0, "name");
    Guard(info.Env(), [&] { count = session_->ImageCount(name); });
    return Napi::Number::New(info.Env(), static_cast<double>(count));
  }

  Napi::Value ConfigureStage(const Napi::CallbackInfo& info) {
    if (!info[0].IsObject()) ThrowArgument(info.Env(), "configureStage needs a stage object");
    auto stage = ReadStageSpec(info[0].As<Napi::Object>());
    Guard(info.Env(), [&] { session_->ConfigureStage(stage); });
    return info.Env().Undefined();
  }

  Napi::Value LearningRateAt(const Napi::CallbackInfo& info) {
    double lr = 0;
    Guard(info.Env(), [&] { lr = session_->LearningRateAt(static_cast<int64_t>(info[0].As<Napi::Number>().Int64Value())); });
    return Napi::Number::New(info.Env(), lr);
  }

  Napi::Value Step(const Napi::CallbackInfo& info) {
    if (!info[0].IsTypedArray() || info[0].As<Napi::TypedArray>().TypedArrayType() != napi_int32_array) {
      ThrowArgument(info.Env(), "step needs an Int32Array of image indices");
    }
    auto array = info[0].As<Napi::Int32Array>();
    auto indices = std::make_shared<std::vector<std::int32_t>>(array.Data(), array.Data() + array.ElementLength());
    auto result = std::make_shared<engine::StepResult>();
    return Async(info, [this, indices, result] { *result = session_->Step(indices->data(), indices->size()); },
                 [result](Napi::Env env) { return StepObject(env, *result); });
  }

  Napi::Value StepOnViews(const Napi::CallbackInfo& info) {
    if (!info[0].IsTypedArray() || info[0].As<Napi::TypedArray>().TypedArrayType() != napi_float32_array) {
      ThrowArgument(info.Env(), "stepOnViews needs a Float32Array of normalised views");
    }
    auto array = info[0].As<Napi::Float32Array>();
    const auto count = static_cast<std::size_t>(info[1].As<Napi::Number>().Int64Value());
    auto views = std::make_shared<std::vector<float>>(array.Data(), array.Data() + array.ElementLength());
    auto labels = std::make_shared<std::vector<std::int32_t>>();
    if (info[2].IsTypedArray()) {
      auto l = info[2].As<Napi::Int32Array>();
      labels->assign(l.Data(), l.Data() + l.ElementLength());
    }
    auto result = std::make_shared<engine::StepResult>();
    return Async(info, [this, views, count, labels, result] {
      *result = session_->StepOnViews(views->data(), count, labels->empty() ? nullptr : labels->data());
    }, [result](Napi::Env env) { return StepObject(env, *result); });
  }

  Napi::Value PreviewViews(const Napi::CallbackInfo& info) {
    auto name = StringArg(info, 0, "name");
    if (!info[1].IsTypedArray() || info[1].As<Napi::TypedArray>().TypedArrayType() != napi_int32_array) {
      ThrowArgument(info.Env(), "previewViews needs an Int32Array of image indices");
    }
    auto indices = info[1].As<Napi::Int32Array>();
    const auto stream = static_cast<std::uint64_t>(info[2].As<Napi::Number>().Int64Value());
    const auto view = static_cast<std::uint64_t>(info[3].As<Napi::Number>().Int64Value());
    const bool augment = info[4].ToBoolean().Value();
    std::vector<float> views;
    Guard(info.Env(), [&] { views = session_->PreviewViews(name, indices.Data(), indices.ElementLength(), stream, view, augment); });
    return CopyFloats(info.Env(), views);
  }

  Napi::Value FloatsAsync(const Napi::CallbackInfo& info, std::function<std::vector<float>()> work) {
    auto out = std::make_shared<std::vector<float>>();
    return Async(info, [out, work] { *out = work(); }, [out](Napi::Env env) { return CopyFloats(env, *out); });
  }

  Napi::Value Embed(const Napi::CallbackInfo& info) {
    auto name = StringArg(info, 0, "name");
    return FloatsAsync(info, [this, name] { return session_->Embed(name); });
  }

  Napi::Value Predict(const Napi::CallbackInfo& info) {
    auto name = StringArg(info, 0, "name");
    return FloatsAsync(info, [this, name] { return session_->Predict(name); });
  }

  Napi::Value PredictClasses(const Napi::CallbackInfo& info) {
    auto name = StringArg(info, 0, "name");
    return FloatsAsync(info, [this, name] { return session_->PredictClasses(name); });
  }

  Napi::Value KnnScores(const Napi::CallbackInfo& info) {
    auto bank = StringArg(info, 0, "bank"), query = StringArg(info, 1, "query");
    const int k = info[2].As<Napi::Number>().Int32Value();
    const bool leaveOneOut = info[3].ToBoolean().Value();
    return FloatsAsync(info, [this, bank, query, k, leaveOneOut] { return session_->KnnScores(bank, query, k, leaveOneOut); });
  }

  Napi::Value SaveCheckpoint(const Napi::CallbackInfo& info) {
    auto path = StringArg(info, 0, "path"), meta = StringArg(info, 1, "meta");
    return Async(info, [this, path, meta] { session_->SaveCheckpoint(path, meta); },
                 [](Napi::Env env) { return env.Undefined(); });
  }

  Napi::Value LoadCheckpoint(const Napi::CallbackInfo& info) {
    auto path = StringArg(info, 0, "path");
    auto meta = std::make_shared<std::string>();
    return Async(info, [this, path, meta] { *meta = session_->LoadCheckpoint(path); },
                 [meta](Napi::Env env) { return Napi::String::New(env, *meta); });
  }

  Napi::Value ExportModel(const Napi::CallbackInfo& info) {
    auto path = StringArg(info, 0, "path"), meta = StringArg(info, 1, "meta");
    return Async(info, [this, path, meta] { session_->ExportModel(path, meta); },
                 [](Napi::Env env) { return env.Undefined(); });
  }

  Napi::Value ImportModel(const Napi::CallbackInfo& info) {
    auto path = StringArg(info, 0, "path");
    std::vector<std::string> parts;
    if (info.Length() > 1 && info[1].IsArray()) {
      auto list = info[1].As<Napi::Array>();
      for (std::uint32_t i = 0; i < list.Length(); ++i) parts.push_back(list.Get(i).ToString().Utf8Value());
    }
    auto meta = std::make_shared<std::string>();
    return Async(info, [this, path, parts, meta] { *meta = session_->ImportModel(path, parts); },
                 [meta](Napi::Env env) { return Napi::String::New(env, *meta); });
  }

  Napi::Value Parameters(const Napi::CallbackInfo& info) {
    std::vector<engine::NamedArray> params;
    Guard(info.Env(), [&] { params = session_->Parameters(info[0].ToBoolean().Value()); });
    auto list = Napi::Array::New(info.Env(), params.size());
    for (std::size_t i = 0; i < params.size(); ++i) {
      auto o = Napi::Object::New(info.Env());
      o.Set("name", params[i].name);
      auto shape = Napi::Array::New(info.Env(), params[i].shape.size());
      for (std::size_t d = 0; d < params[i].shape.size(); ++d) shape.Set(d, static_cast<double>(params[i].shape[d]));
      o.Set("shape", shape);
      o.Set("values", CopyFloats(info.Env(), params[i].values));
      list.Set(i, o);
    }
    return list;
  }

  Napi::Value ParameterCount(const Napi::CallbackInfo& info) {
    int64_t count = 0;
    auto part = info[0].IsString() ? info[0].As<Napi::String>().Utf8Value() : std::string("all");
    Guard(info.Env(), [&] { count = session_->ParameterCount(part); });
    return Napi::Number::New(info.Env(), static_cast<double>(count));
  }

  Napi::Value FeatureDim(const Napi::CallbackInfo& info) {
    return Napi::Number::New(info.Env(), static_cast<double>(session_->FeatureDim()));
  }

  Napi::Value ClassCount(const Napi::CallbackInfo& info) {
    return Napi::Number::New(info.Env(), static_cast<double>(session_->ClassCount()));
  }

  Napi::Value BlockCount(const Napi::CallbackInfo& info) {
    return Napi::Number::New(info.Env(), static_cast<double>(session_->BlockCount()));
  }
};

// ---- parity probes: small synchronous calls used by the checks against PyTorch ----
Napi::Value NtXent(const Napi::CallbackInfo& info) {
  auto z1 = info[0].As<Napi::Float32Array>(), z2 = info[1].As<Napi::Float32Array>();
  const auto n = info[2].As<Napi::Number>().Int64Value(), d = info[3].As<Napi::Number>().Int64Value();
  if (static_cast<int64_t>(z1.ElementLength()) != n * d || static_cast<int64_t>(z2.ElementLength()) != n * d) {
    ThrowArgument(info.Env(), "z1 and z2 must each hold n × d floats");
  }
  engine::NtXentProbe probe{};
  try {
    probe = engine::ProbeNtXent(z1.Data(), z2.Data(), n, d, info[4].As<Napi::Number>().DoubleValue());
  } catch (const EngineError& error) {
    throw CodedError(info.Env(), error.code, error.what());
  }
  auto o = Napi::Object::New(info.Env());
  o.Set("loss", probe.loss);
  o.Set("gradZ1", CopyFloats(info.Env(), probe.gradZ1));
  o.Set("gradZ2", CopyFloats(info.Env(), probe.gradZ2));
  return o;
}

Napi::Value QuantumLayer(const Napi::CallbackInfo& info) {
  auto spec = info[0].As<Napi::Object>();
  quantum::CircuitSpec circuit;
  circuit.qubits = static_cast<int>(Number(spec, "qubits", circuit.qubits));
  circuit.layers = static_cast<int>(Number(spec, "layers", circuit.layers));
  const auto rotation = Text(spec, "rotation", "Rot");
  circuit.rotation = rotation == "RX" ? quantum::Rotation::RX : rotation == "RY" ? quantum::Rotation::RY
                   : rotation == "RZ" ? quantum::Rotation::RZ : quantum::Rotation::Rot;
  const auto entangler = Text(spec, "entangler", "CnotRing");
  circuit.entangler = entangler == "CnotChain" ? quantum::Entangler::CnotChain
                    : entangler == "CzRing" ? quantum::Entangler::CzRing : quantum::Entangler::CnotRing;
  circuit.reupload = Flag(spec, "reupload", false);
  auto angles = info[1].As<Napi::Float32Array>(), weights = info[2].As<Napi::Float32Array>();
  auto gradOut = info[3].As<Napi::Float32Array>();
  const std::size_t batch = angles.ElementLength() / static_cast<std::size_t>(circuit.qubits);
  if (batch * circuit.qubits != angles.ElementLength() || gradOut.ElementLength() != angles.ElementLength() ||
      static_cast<int>(weights.ElementLength()) != quantum::ParamCount(circuit)) {
    ThrowArgument(info.Env(), "angles and gradOut must be batch × qubits and weights ParamCount(spec) floats");
  }
  engine::QuantumProbe probe;
  try {
    probe = engine::ProbeQuantumLayer(circuit, angles.Data(), batch, weights.Data(), gradOut.Data(), 1);
  } catch (const EngineError& error) {
    throw CodedError(info.Env(), error.code, error.what());
  } catch (const std::invalid_argument& error) {
    throw CodedError(info.Env(), "invalid-argument", error.what());
  }
  auto o = Napi::Object::New(info.Env());
  o.Set("expectations", CopyFloats(info.Env(), probe.expectations));
  o.Set("gradAngles", CopyFloats(info.Env(), probe.gradAngles));
  o.Set("gradWeights", CopyFloats(info.Env(), probe.gradWeights));
  return o;
}

}  // namespace

void RegisterEngine(Napi::Env env, Napi::Object exports) {
  exports.Set("TrainingSession", SessionWrap::Define(env));
  auto probes = Napi::Object::New(env);
  probes.Set("ntXent", Napi::Function::New(env, NtXent, "ntXent"));
  probes.Set("quantumLayer", Napi::Function::New(env, QuantumLayer, "quantumLayer"));
  exports.Set("engineProbes", probes);
}

}  // namespace angio::binding
