// Thin N-API layer over quantum/circuit.h: converts and checks values (spec, Float64Array shapes, finite angles,
// memory cap), runs the core synchronously or on a worker (promise), and copies results into V8-allocated
// Float64Arrays. Every failure is a JS Error with a `code`: invalid-circuit-spec | invalid-circuit-input |
// circuit-too-large. Units and layouts are those of circuit.h (radians, row-major batch × Q, layer-major θ).
#include "binding/quantum_binding.h"

#include <cstring>
#include <string>
#include <vector>

#include "quantum/circuit.h"
#include "quantum/thread_pool.h"

namespace angio::binding {

namespace {

namespace aq = angio::quantum;

[[noreturn]] void Fail(Napi::Env env, const char* code, const std::string& message) {
  Napi::Error error = Napi::Error::New(env, message);
  error.Set("code", Napi::String::New(env, code));
  throw error;
}

int IntegerField(Napi::Env env, Napi::Object spec, const char* name) {
  Napi::Value value = spec.Get(name);
  if (!value.IsNumber()) Fail(env, "invalid-circuit-spec", std::string("circuit spec needs a number `") + name + "`");
  const double number = value.As<Napi::Number>().DoubleValue();
  if (number != static_cast<double>(static_cast<long long>(number)) || number < -1e9 || number > 1e9) {
    Fail(env, "invalid-circuit-spec", std::string("circuit spec `") + name + "` must be an integer");
  }
  return static_cast<int>(number);
}

aq::CircuitSpec ParseSpec(Napi::Env env, Napi::Value value) {
  if (!value.IsObject()) Fail(env, "invalid-circuit-spec", "circuit spec must be an object {qubits, layers, rotation, entangler, reupload}");
  Napi::Object object = value.As<Napi::Object>();
  aq::CircuitSpec spec;
  spec.qubits = IntegerField(env, object, "qubits");
  spec.layers = IntegerField(env, object, "layers");
  const std::string rotation = object.Get("rotation").ToString().Utf8Value();
  if (rotation == "RX") spec.rotation = aq::Rotation::RX;
  else if (rotation == "RY") spec.rotation = aq::Rotation::RY;
  else if (rotation == "RZ") spec.rotation = aq::Rotation::RZ;
  else if (rotation == "Rot") spec.rotation = aq::Rotation::Rot;
  else Fail(env, "invalid-circuit-spec", "unknown rotation '" + rotation + "': use RX, RY, RZ or Rot");
  const std::string entangler = object.Get("entangler").ToString().Utf8Value();
  if (entangler == "cnot-ring") spec.entangler = aq::Entangler::CnotRing;
  else if (entangler == "cnot-chain") spec.entangler = aq::Entangler::CnotChain;
  else if (entangler == "cz-ring") spec.entangler = aq::Entangler::CzRing;
  else Fail(env, "invalid-circuit-spec", "unknown entangler '" + entangler + "': use cnot-ring, cnot-chain or cz-ring");
  Napi::Value reupload = object.Get("reupload");
  if (!reupload.IsUndefined() && !reupload.IsBoolean()) Fail(env, "invalid-circuit-spec", "circuit spec `reupload` must be a boolean");
  spec.reupload = reupload.IsBoolean() && reupload.As<Napi::Boolean>().Value();
  return spec;
}

Napi::Float64Array RequireFloat64(Napi::Env env, Napi::Value value, const char* what) {
  if (!value.IsTypedArray() || value.As<Napi::TypedArray>().TypedArrayType() != napi_float64_array) {
    Fail(env, "invalid-circuit-input", std::string(what) + " must be a Float64Array");
  }
  return value.As<Napi::Float64Array>();
}

struct Options {
  int threads = 0;
  std::size_t maxWorkingBytes = aq::kMaxWorkingBytes;
};

Options ParseOptions(Napi::Env env, Napi::Value value) {
  Options options;
  if (value.IsUndefined() || value.IsNull()) return options;
  if (!value.IsObject()) Fail(env, "invalid-circuit-input", "options must be an object {threads, maxWorkingBytes}");
  Napi::Object object = value.As<Napi::Object>();
  Napi::Value threads = object.Get("threads");
  if (!threads.IsUndefined()) {
    const double t = threads.IsNumber() ? threads.As<Napi::Number>().DoubleValue() : -1;
    if (!(t >= 0 && t <= 256) || t != static_cast<int>(t)) Fail(env, "invalid-circuit-input", "threads must be an integer 0..256 (0 = all cores)");
    options.threads = static_cast<int>(t);
  }
  Napi::Value cap = object.Get("maxWorkingBytes");
  if (!cap.IsUndefined()) {
    const double bytes = cap.IsNumber() ? cap.As<Napi::Number>().DoubleValue() : -1;
    if (!(bytes > 0)) Fail(env, "invalid-circuit-input", "maxWorkingBytes must be a positive number");
    options.maxWorkingBytes = bytes >= 1.8e19 ? static_cast<std::size_t>(-1) : static_cast<std::size_t>(bytes);
  }
  return options;
}

/** A checked call: spec, sizes and angles validated, arguments copied so a worker thread may own them. */
struct Call {
  aq::CircuitSpec spec;
  std::size_t batch = 0;
  Options options;
  std::vector<double> inputs, params, gradOutput;
};

std::vector<double> Copy(const Napi::Float64Array& array) {
  return std::vector<double>(array.Data(), array.Data() + array.ElementLength());
}

Call ParseCall(const Napi::CallbackInfo& info, bool withGradOutput) {
  Napi::Env env = info.Env();
  Call call;
  call.spec = ParseSpec(env, info[0]);
  Napi::Float64Array inputs = RequireFloat64(env, info[1], "inputs");
  Napi::Float64Array params = RequireFloat64(env, info[2], "params");
  call.options = ParseOptions(env, info[withGradOutput ? 4 : 3]);
  const auto qubits = static_cast<std::size_t>(call.spec.qubits);
  try {
    aq::Validate(call.spec, 0, 1, static_cast<std::size_t>(-1));  // spec alone, before sizes depend on it
    if (inputs.ElementLength() % qubits != 0) {
      Fail(env, "invalid-circuit-input", "inputs has " + std::to_string(inputs.ElementLength())
                                             + " values, not a multiple of " + std::to_string(qubits)
                                             + " qubits (layout batch × Q)");
    }
    call.batch = inputs.ElementLength() / qubits;
    const auto expectedParams = static_cast<std::size_t>(aq::ParamCount(call.spec));
    if (params.ElementLength() != expectedParams) {
      Fail(env, "invalid-circuit-input", "params has " + std::to_string(params.ElementLength())
                                             + " values; this circuit needs " + std::to_string(expectedParams)
                                             + " (layers × qubits × angles per rotation)");
    }
    aq::Validate(call.spec, call.batch, call.options.threads, call.options.maxWorkingBytes);
    aq::RequireFinite(inputs.Data(), inputs.ElementLength(), "inputs");
    aq::RequireFinite(params.Data(), params.ElementLength(), "params");
    if (withGradOutput) {
      Napi::Float64Array grad = RequireFloat64(env, info[3], "gradOutput");
      if (grad.ElementLength() != inputs.ElementLength()) {
        Fail(env, "invalid-circuit-input", "gradOutput has " + std::to_string(grad.ElementLength())
                                               + " values; it must match the outputs (batch × Q = "
                                               + std::to_string(inputs.ElementLength()) + ")");
      }
      aq::RequireFinite(grad.Data(), grad.ElementLength(), "gradOutput");
      call.gradOutput = Copy(grad);
    }
  } catch (const aq::CircuitError& error) {
    Fail(env, error.code, error.what());
  }
  call.inputs = Copy(inputs);
  call.params = Copy(params);
  return call;
}

struct Result {
  std::vector<double> expectations, gradInputs, gradParams;
};

void Execute(const Call& call, bool backward, Result& result) {
  const auto outputs = call.batch * static_cast<std::size_t>(call.spec.qubits);
  result.expectations.resize(outputs);
  if (!backward) {
    aq::Forward(call.spec, call.inputs.data(), call.batch, call.params.data(), result.expectations.data(),
                call.options.threads);
    return;
  }
  result.gradInputs.resize(outputs);
  result.gradParams.resize(call.params.size());
  aq::Backward(call.spec, call.inputs.data(), call.batch, call.params.data(), call.gradOutput.data(),
               result.gradInputs.data(), result.gradParams.data(), result.expectations.data(), call.options.threads);
}

Napi::Float64Array ToArray(Napi::Env env, const std::vector<double>& values) {
  Napi::Float64Array array = Napi::Float64Array::New(env, values.size());  // V8-allocated, never external
  if (!values.empty()) std::memcpy(array.Data(), values.data(), values.size() * sizeof(double));
  return array;
}

Napi::Value ToJs(Napi::Env env, bool backward, const Result& result) {
  if (!backward) return ToArray(env, result.expectations);
  Napi::Object out = Napi::Object::New(env);
  out.Set("expectations", ToArray(env, result.expectations));
  out.Set("gradInputs", ToArray(env, result.gradInputs));
  out.Set("gradParams", ToArray(env, result.gradParams));
  return out;
}

Napi::Value RunSync(const Napi::CallbackInfo& info, bool backward) {
  Call call = ParseCall(info, backward);
  Result result;
  try {
    Execute(call, backward, result);
  } catch (const aq::CircuitError& error) {
    Fail(info.Env(), error.code, error.what());
  } catch (const std::exception& error) {
    Fail(info.Env(), "simulator-failed", std::string("simulator failed: ") + error.what());
  }
  return ToJs(info.Env(), backward, result);
}

class SimulateWorker : public Napi::AsyncWorker {
 public:
  SimulateWorker(Napi::Env env, Call call, bool backward)
      : Napi::AsyncWorker(env), call_(std::move(call)), backward_(backward), deferred_(Napi::Promise::Deferred::New(env)) {}

  Napi::Promise Promise() { return deferred_.Promise(); }

 protected:
  void Execute() override {
    try {
      angio::binding::Execute(call_, backward_, result_);
    } catch (const aq::CircuitError& error) {
      code_ = error.code;
      SetError(error.what());
    } catch (const std::exception& error) {
      code_ = "simulator-failed";
      SetError(std::string("simulator failed: ") + error.what());
    }
  }
  void OnOK() override { deferred_.Resolve(ToJs(Env(), backward_, result_)); }
  void OnError(const Napi::Error& error) override {
    Napi::Error typed = Napi::Error::New(Env(), error.Message());
    typed.Set("code", Napi::String::New(Env(), code_));
    deferred_.Reject(typed.Value());
  }

 private:
  Call call_;
  bool backward_;
  Result result_;
  std::string code_ = "simulator-failed";
  Napi::Promise::Deferred deferred_;
};

Napi::Value RunAsync(const Napi::CallbackInfo& info, bool backward) {
  Napi::Env env = info.Env();
  Napi::Promise::Deferred early = Napi::Promise::Deferred::New(env);
  try {
    auto* worker = new SimulateWorker(env, ParseCall(info, backward), backward);
    Napi::Promise promise = worker->Promise();
    worker->Queue();
    return promise;
  } catch (const Napi::Error& error) {  // bad arguments reject the promise rather than throwing synchronously
    early.Reject(error.Value());
    return early.Promise();
  }
}

Napi::Value ForwardSync(const Napi::CallbackInfo& info) { return RunSync(info, false); }
Napi::Value BackwardSync(const Napi::CallbackInfo& info) { return RunSync(info, true); }
Napi::Value ForwardAsync(const Napi::CallbackInfo& info) { return RunAsync(info, false); }
Napi::Value BackwardAsync(const Napi::CallbackInfo& info) { return RunAsync(info, true); }

Napi::Value ParamCount(const Napi::CallbackInfo& info) {
  aq::CircuitSpec spec = ParseSpec(info.Env(), info[0]);
  try {
    aq::Validate(spec, 0, 1, static_cast<std::size_t>(-1));
  } catch (const aq::CircuitError& error) {
    Fail(info.Env(), error.code, error.what());
  }
  return Napi::Number::New(info.Env(), aq::ParamCount(spec));
}

/** quantumState(spec, inputRow, params) → {re, im}: one sample's final statevector (2^Q amplitudes). */
Napi::Value State(const Napi::CallbackInfo& info) {
  Call call = ParseCall(info, false);
  if (call.batch != 1) Fail(info.Env(), "invalid-circuit-input", "quantumState takes one input row of Q angles");
  const std::size_t size = std::size_t{1} << call.spec.qubits;
  Napi::Float64Array re = Napi::Float64Array::New(info.Env(), size);
  Napi::Float64Array im = Napi::Float64Array::New(info.Env(), size);
  aq::FinalState(call.spec, call.inputs.data(), call.params.data(), re.Data(), im.Data());
  Napi::Object out = Napi::Object::New(info.Env());
  out.Set("re", re);
  out.Set("im", im);
  return out;
}

Napi::Value HardwareThreads(const Napi::CallbackInfo& info) {
  return Napi::Number::New(info.Env(), aq::ThreadPool::HardwareThreads());
}

}  // namespace

void RegisterQuantum(Napi::Env env, Napi::Object exports) {
  exports.Set("quantumForward", Napi::Function::New(env, ForwardSync, "quantumForward"));
  exports.Set("quantumForwardAsync", Napi::Function::New(env, ForwardAsync, "quantumForwardAsync"));
  exports.Set("quantumBackward", Napi::Function::New(env, BackwardSync, "quantumBackward"));
  exports.Set("quantumBackwardAsync", Napi::Function::New(env, BackwardAsync, "quantumBackwardAsync"));
  exports.Set("quantumState", Napi::Function::New(env, State, "quantumState"));
  exports.Set("quantumParamCount", Napi::Function::New(env, ParamCount, "quantumParamCount"));
  exports.Set("quantumHardwareThreads", Napi::Function::New(env, HardwareThreads, "quantumHardwareThreads"));
}

}  // namespace angio::binding
