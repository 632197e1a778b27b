// Converts N-API values for the training engine, checks shapes, and runs every call longer than a copy on a
// Napi::AsyncWorker (one at a time per session) so neither the main nor a worker thread's event loop blocks.
// Every argument goes through the checked readers (binding/arguments.h) before a pointer or count reaches the
// engine; typed arrays handed to a worker are copied first. Failures reach JavaScript as Error objects with `code`
// (EngineError codes, or invalid-argument / session-busy / session-closed / engine-failure). Results are copied
// into V8-allocated typed arrays.
#include "binding/engine_binding.h"

#include <atomic>
#include <climits>
#include <condition_variable>
#include <exception>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>
#include <utility>

#include "binding/arguments.h"
#include "binding/engine_specs.h"
#include "engine/engine_error.h"
#include "engine/probes.h"
#include "engine/session.h"
#include "engine/validation.h"

namespace angio::binding {
namespace {

using engine::EngineError;

constexpr const char* kArgument = "invalid-argument";
// Any length a typed array can have: the cores compare counts against their own sizes.
constexpr std::size_t kAnyLength = static_cast<std::size_t>(-1);
constexpr std::int64_t kExact = std::int64_t{1} << 53;

Reader ArgumentReader(Napi::Env env) { return Reader(env, kArgument); }

Napi::Float32Array CopyFloats(Napi::Env env, const std::vector<float>& values) {
  auto array = Napi::Float32Array::New(env, values.size());
  std::copy(values.begin(), values.end(), array.Data());
  return array;
}

/** A path for the engine to write or read: text without NUL, which the C library would cut the path at. */
std::string PathArgument(const Reader& read, const Napi::Value& value, const char* name) {
  auto path = read.String(value, name);
  if (path.empty() || path.find('\0') != std::string::npos) read.Fail(std::string(name) + " must be a non-empty file path");
  return path;
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
  if (r.pseudoLabelShare >= 0) {  // only steps with unlabelled consistency carry these
    o.Set("pseudoLabelShare", r.pseudoLabelShare);
    o.Set("unlabeledLoss", r.unlabeledLoss);
  }
  return o;
}

// Tags every TrainingSession object, so a method called with some other `this` (a plain object, another class's
// instance) is refused before anything is unwrapped as a session.
constexpr napi_type_tag kSessionTag = {0x6a1f2c0e9b3d4c51ull, 0x8e27d6a0f4b1c3e9ull};

class SessionWrap : public Napi::ObjectWrap<SessionWrap> {
  using Method = Napi::Value (SessionWrap::*)(const Napi::CallbackInfo&);

 public:
  static Napi::Function Define(Napi::Env env) {
    // Methods are plain functions on the prototype (not ObjectWrap's InstanceMethod, whose unwrap of a foreign
    // `this` fails with an uncoded error): each checks its `this` first (Bind).
    auto constructor = DefineClass(env, "TrainingSession", {});
    auto prototype = constructor.Get("prototype").As<Napi::Object>();
    const std::pair<const char*, Napi::Function::Callback> methods[] = {
        {"setImages", Bind<&SessionWrap::SetImages>},
        {"imageCount", Bind<&SessionWrap::ImageCount>},
        {"configureStage", Bind<&SessionWrap::ConfigureStage>},
        {"learningRateAt", Bind<&SessionWrap::LearningRateAt>},
        {"step", Bind<&SessionWrap::Step>},
        {"stepOnViews", Bind<&SessionWrap::StepOnViews>},
        {"previewViews", Bind<&SessionWrap::PreviewViews>},
        {"embed", Bind<&SessionWrap::Embed>},
        {"predict", Bind<&SessionWrap::Predict>},
        {"predictClasses", Bind<&SessionWrap::PredictClasses>},
        {"knnScores", Bind<&SessionWrap::KnnScores>},
        {"saveCheckpoint", Bind<&SessionWrap::SaveCheckpoint>},
        {"loadCheckpoint", Bind<&SessionWrap::LoadCheckpoint>},
        {"exportModel", Bind<&SessionWrap::ExportModel>},
        {"importModel", Bind<&SessionWrap::ImportModel>},
        {"parameters", Bind<&SessionWrap::Parameters>},
        {"parameterCount", Bind<&SessionWrap::ParameterCount>},
        {"featureDim", Bind<&SessionWrap::FeatureDim>},
        {"blockCount", Bind<&SessionWrap::BlockCount>},
        {"classCount", Bind<&SessionWrap::ClassCount>},
        {"joinGroup", Bind<&SessionWrap::JoinGroup>},
        {"leaveGroup", Bind<&SessionWrap::LeaveGroup>},
        {"groupStats", Bind<&SessionWrap::GroupStats>},
        {"replicasAgree", Bind<&SessionWrap::ReplicasAgree>},
        {"close", Bind<&SessionWrap::Close, false>},
    };
    for (const auto& [name, callback] : methods) {
      prototype.DefineProperty(
          Napi::PropertyDescriptor::Value(name, Napi::Function::New(env, callback, name), napi_default_method));
    }
    return constructor;
  }

  explicit SessionWrap(const Napi::CallbackInfo& info) : Napi::ObjectWrap<SessionWrap>(info) {
    const auto read = ArgumentReader(info.Env());
    auto spec = ReadSessionSpec(read, read.Object(info[0], "the session spec"));
    Guard(info.Env(), [&] { session_ = std::make_unique<engine::TrainingSession>(spec); });
    info.This().As<Napi::Object>().TypeTag(&kSessionTag);
  }

 private:
  std::unique_ptr<engine::TrainingSession> session_;  // null once closed
  std::atomic<bool> busy_{false};
  SessionThread thread_;

  /** A prototype method that first checks `this` is a session (and, unless `requireOpen` is false, an open one). */
  template <Method method, bool requireOpen = true>
  static Napi::Value Bind(const Napi::CallbackInfo& info) {
    auto self = info.This();
    if (!self.IsObject() || !self.As<Napi::Object>().CheckTypeTag(&kSessionTag)) {
      throw CodedError(info.Env(), kArgument, "This method belongs to a TrainingSession: call it on one.");
    }
    auto* wrap = Unwrap(self.As<Napi::Object>());
    if (requireOpen && !wrap->session_) {
      throw CodedError(info.Env(), "session-closed", "The training session was closed: start a new one.");
    }
    return (wrap->*method)(info);
  }

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

  /** Frees the model and its image sets now rather than at garbage collection; later calls are session-closed. */
  Napi::Value Close(const Napi::CallbackInfo& info) {
    Guard(info.Env(), [&] { session_.reset(); });
    return info.Env().Undefined();
  }

  // setImages(name, pixels: Uint8Array count × S × S, labels: Int32Array count | null, imageSize S) → count
  Napi::Value SetImages(const Napi::CallbackInfo& info) {
    const auto read = ArgumentReader(info.Env());
    auto name = read.String(info[0], "name");
    const auto size = read.Integer(info[3], "imageSize", 1, INT_MAX);
    if (size != session_->ImageSize()) {
      read.Fail("imageSize is " + std::to_string(size) + " but the session was made for " +
                std::to_string(session_->ImageSize()) + " px images");
    }
    auto pixels = read.Typed<std::uint8_t>(info[1], "pixels", kAnyLength);
    Napi::Int32Array labels;
    if (!Reader::Absent(info[2])) labels = read.Typed<std::int32_t>(info[2], "labels", kAnyLength);
    Guard(info.Env(), [&] {
      session_->SetImages(name, pixels.Data(), pixels.ElementLength(), labels.IsEmpty() ? nullptr : labels.Data(),
                          labels.IsEmpty() ? 0 : labels.ElementLength());
    });
    return Napi::Number::New(info.Env(), static_cast<double>(session_->ImageCount(name)));
  }

  Napi::Value ImageCount(const Napi::CallbackInfo& info) {
    std::size_t count = 0;
    auto name = ArgumentReader(info.Env()).String(info[0], "name");
    Guard(info.Env(), [&] { count = session_->ImageCount(name); });
    return Napi::Number::New(info.Env(), static_cast<double>(count));
  }

  Napi::Value ConfigureStage(const Napi::CallbackInfo& info) {
    const auto read = ArgumentReader(info.Env());
    auto stage = ReadStageSpec(read, read.Object(info[0], "the stage"));
    Guard(info.Env(), [&] { session_->ConfigureStage(stage); });
    return info.Env().Undefined();
  }

  Napi::Value LearningRateAt(const Napi::CallbackInfo& info) {
    const auto step = ArgumentReader(info.Env()).Integer(info[0], "stageStep", 0, kExact);
    double lr = 0;
    Guard(info.Env(), [&] { lr = session_->LearningRateAt(step); });
    return Napi::Number::New(info.Env(), lr);
  }

  // step(indices: Int32Array) → Promise<StepResult>
  Napi::Value Step(const Napi::CallbackInfo& info) {
    auto indices = std::make_shared<std::vector<std::int32_t>>(
        ArgumentReader(info.Env()).Copied<std::int32_t>(info[0], "indices", engine::kMaxBatchImages));
    auto result = std::make_shared<engine::StepResult>();
    return Async(info, [this, indices, result] { *result = session_->Step(indices->data(), indices->size()); },
                 [result](Napi::Env env) { return StepObject(env, *result); });
  }

  // stepOnViews(views: Float32Array (2 ×) count × S × S, count, labels: Int32Array count | null) → Promise<StepResult>
  Napi::Value StepOnViews(const Napi::CallbackInfo& info) {
    const auto read = ArgumentReader(info.Env());
    const auto count = static_cast<std::size_t>(read.Integer(info[1], "count", 0, engine::kMaxBatchImages));
    std::size_t side = static_cast<std::size_t>(session_->ImageSize()), maxFloats = 0;
    if (!CheckedProduct(2 * count, side * side, maxFloats)) read.Fail("count is too large");
    auto views = std::make_shared<std::vector<float>>(read.Copied<float>(info[0], "views", maxFloats));
    auto labels = std::make_shared<std::vector<std::int32_t>>();
    if (!Reader::Absent(info[2])) *labels = read.Copied<std::int32_t>(info[2], "labels", count);
    const bool labelled = !Reader::Absent(info[2]);
    auto result = std::make_shared<engine::StepResult>();
    return Async(info, [this, views, count, labels, labelled, result] {
      *result = session_->StepOnViews(views->data(), views->size(), count, labelled ? labels->data() : nullptr,
                                      labels->size());
    }, [result](Napi::Env env) { return StepObject(env, *result); });
  }

  // previewViews(name, indices: Int32Array, stream, view, augment) → Float32Array count × S × S
  Napi::Value PreviewViews(const Napi::CallbackInfo& info) {
    const auto read = ArgumentReader(info.Env());
    auto name = read.String(info[0], "name");
    const auto stream = static_cast<std::uint64_t>(read.Integer(info[2], "stream", 0, kExact));
    const auto view = static_cast<std::uint64_t>(read.Integer(info[3], "view", 0, kExact));
    const bool augment = read.Boolean(info[4], "augment");
    auto indices = read.Copied<std::int32_t>(info[1], "indices", engine::kMaxBatchImages);
    std::vector<float> views;
    Guard(info.Env(), [&] { views = session_->PreviewViews(name, indices.data(), indices.size(), stream, view, augment); });
    return CopyFloats(info.Env(), views);
  }

  Napi::Value FloatsAsync(const Napi::CallbackInfo& info, std::function<std::vector<float>()> work) {
    auto out = std::make_shared<std::vector<float>>();
    return Async(info, [out, work] { *out = work(); }, [out](Napi::Env env) { return CopyFloats(env, *out); });
  }

  Napi::Value Embed(const Napi::CallbackInfo& info) {
    auto name = ArgumentReader(info.Env()).String(info[0], "name");
    return FloatsAsync(info, [this, name] { return session_->Embed(name); });
  }

  Napi::Value Predict(const Napi::CallbackInfo& info) {
    auto name = ArgumentReader(info.Env()).String(info[0], "name");
    return FloatsAsync(info, [this, name] { return session_->Predict(name); });
  }

  Napi::Value PredictClasses(const Napi::CallbackInfo& info) {
    auto name = ArgumentReader(info.Env()).String(info[0], "name");
    return FloatsAsync(info, [this, name] { return session_->PredictClasses(name); });
  }

  Napi::Value KnnScores(const Napi::CallbackInfo& info) {
    const auto read = ArgumentReader(info.Env());
    auto bank = read.String(info[0], "bank"), query = read.String(info[1], "query");
    const int k = static_cast<int>(read.Integer(info[2], "k", 1, INT_MAX));
    const bool leaveOneOut = read.Boolean(info[3], "leaveOneOut");
    return FloatsAsync(info, [this, bank, query, k, leaveOneOut] { return session_->KnnScores(bank, query, k, leaveOneOut); });
  }

  Napi::Value SaveCheckpoint(const Napi::CallbackInfo& info) {
    const auto read = ArgumentReader(info.Env());
    auto path = PathArgument(read, info[0], "path");
    auto meta = read.String(info[1], "meta");
    return Async(info, [this, path, meta] { session_->SaveCheckpoint(path, meta); },
                 [](Napi::Env env) { return env.Undefined(); });
  }

  Napi::Value LoadCheckpoint(const Napi::CallbackInfo& info) {
    auto path = PathArgument(ArgumentReader(info.Env()), info[0], "path");
    auto meta = std::make_shared<std::string>();
    return Async(info, [this, path, meta] { *meta = session_->LoadCheckpoint(path); },
                 [meta](Napi::Env env) { return Napi::String::New(env, *meta); });
  }

  Napi::Value ExportModel(const Napi::CallbackInfo& info) {
    const auto read = ArgumentReader(info.Env());
    auto path = PathArgument(read, info[0], "path");
    auto meta = read.String(info[1], "meta");
    return Async(info, [this, path, meta] { session_->ExportModel(path, meta); },
                 [](Napi::Env env) { return env.Undefined(); });
  }

  // importModel(path, parts?: ('encoder' | 'projector' | 'classifier')[]) → Promise<meta>
  Napi::Value ImportModel(const Napi::CallbackInfo& info) {
    const auto read = ArgumentReader(info.Env());
    auto path = PathArgument(read, info[0], "path");
    std::vector<std::string> parts;
    if (!Reader::Absent(info[1])) {
      if (!info[1].IsArray()) read.Fail("parts must be an array of model parts");
      auto list = info[1].As<Napi::Array>();
      if (list.Length() > 3) read.Fail("parts lists at most the 3 model parts");
      for (std::uint32_t i = 0; i < list.Length(); ++i) {
        auto part = read.String(list.Get(i), "parts[" + std::to_string(i) + "]");
        if (part != "encoder" && part != "projector" && part != "classifier") {
          read.Fail("parts[" + std::to_string(i) + "] is '" + part + "': use encoder, projector or classifier");
        }
        parts.push_back(part);
      }
    }
    auto meta = std::make_shared<std::string>();
    return Async(info, [this, path, parts, meta] { *meta = session_->ImportModel(path, parts); },
                 [meta](Napi::Env env) { return Napi::String::New(env, *meta); });
  }

  // joinGroup(spec) → Promise<void>: resolves once every rank has joined (engine/distributed.h).
  Napi::Value JoinGroup(const Napi::CallbackInfo& info) {
    const auto read = ArgumentReader(info.Env());
    auto spec = ReadDistributedSpec(read, read.Object(info[0], "the distributed spec"));
    return Async(info, [this, spec] { session_->JoinGroup(spec); }, [](Napi::Env env) { return env.Undefined(); });
  }

  Napi::Value LeaveGroup(const Napi::CallbackInfo& info) {
    Guard(info.Env(), [&] { session_->LeaveGroup(); });
    return info.Env().Undefined();
  }

  Napi::Value GroupStats(const Napi::CallbackInfo& info) {
    engine::DistributedStats stats;
    Guard(info.Env(), [&] { stats = session_->GroupStats(); });
    auto o = Napi::Object::New(info.Env());
    o.Set("rank", stats.rank);
    o.Set("worldSize", stats.worldSize);
    o.Set("steps", static_cast<double>(stats.steps));
    o.Set("allReduceSeconds", stats.allReduceSeconds);
    o.Set("allGatherSeconds", stats.allGatherSeconds);
    o.Set("bytesPerStep", static_cast<double>(stats.bytesPerStep));
    o.Set("buckets", static_cast<double>(stats.buckets));
    return o;
  }

  Napi::Value ReplicasAgree(const Napi::CallbackInfo& info) {
    auto agree = std::make_shared<bool>(false);
    return Async(info, [this, agree] { *agree = session_->ReplicasAgree(); },
                 [agree](Napi::Env env) { return Napi::Boolean::New(env, *agree); });
  }

  Napi::Value Parameters(const Napi::CallbackInfo& info) {
    const bool includeBuffers = ArgumentReader(info.Env()).Boolean(info[0], "includeBuffers");
    std::vector<engine::NamedArray> params;
    Guard(info.Env(), [&] { params = session_->Parameters(includeBuffers); });
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
    auto part = Reader::Absent(info[0]) ? std::string("all") : ArgumentReader(info.Env()).String(info[0], "part");
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

/** Runs a probe: engine and simulator failures become coded errors like the session's. */
template <typename F>
auto Probe(Napi::Env env, F&& body) -> decltype(body()) {
  try {
    return body();
  } catch (const EngineError& error) {
    throw CodedError(env, error.code, error.what());
  } catch (const std::exception& error) {
    throw CodedError(env, "engine-failure", std::string("The training engine failed: ") + error.what());
  }
}

// ntXent(z1, z2: Float32Array n × d, n, d, temperature)
Napi::Value NtXent(const Napi::CallbackInfo& info) {
  const auto read = ArgumentReader(info.Env());
  const auto n = read.Integer(info[2], "n", 2, 65536), d = read.Integer(info[3], "d", 1, 65536);
  const double temperature = read.Number(info[4], "temperature", 1e-6, 1e6);
  std::size_t floats = 0;
  if (!CheckedProduct(static_cast<std::size_t>(n), static_cast<std::size_t>(d), floats)) read.Fail("n × d is too large");
  auto z1 = read.Copied<float>(info[0], "z1", floats), z2 = read.Copied<float>(info[1], "z2", floats);
  if (z1.size() != floats || z2.size() != floats) read.Fail("z1 and z2 must each hold n × d floats");
  auto probe = Probe(info.Env(), [&] { return engine::ProbeNtXent(z1.data(), z2.data(), n, d, temperature); });
  auto o = Napi::Object::New(info.Env());
  o.Set("loss", probe.loss);
  o.Set("gradZ1", CopyFloats(info.Env(), probe.gradZ1));
  o.Set("gradZ2", CopyFloats(info.Env(), probe.gradZ2));
  return o;
}

// quantumLayer(spec, angles: Float32Array batch × Q, weights: ParamCount(spec), gradOut: batch × Q)
Napi::Value QuantumLayer(const Napi::CallbackInfo& info) {
  const auto read = ArgumentReader(info.Env());
  const auto circuit = ReadProbeCircuit(read, read.Object(info[0], "the circuit spec"));
  const auto qubits = static_cast<std::size_t>(circuit.qubits), params = static_cast<std::size_t>(quantum::ParamCount(circuit));
  auto angles = read.Copied<float>(info[1], "angles", kAnyLength);
  auto weights = read.Copied<float>(info[2], "weights", params);
  auto gradOut = read.Copied<float>(info[3], "gradOut", angles.size());
  const std::size_t batch = angles.size() / qubits;
  if (batch == 0 || batch * qubits != angles.size() || gradOut.size() != angles.size() || weights.size() != params) {
    read.Fail("angles and gradOut must be batch × qubits and weights ParamCount(spec) floats");
  }
  auto probe = Probe(info.Env(), [&] {
    return engine::ProbeQuantumLayer(circuit, angles.data(), batch, weights.data(), gradOut.data(), 1);
  });
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
