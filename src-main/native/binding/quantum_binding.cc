// Thin N-API layer over quantum/circuit.h: converts and checks values (spec, Float64Array shapes, finite angles,
// memory cap), runs the core synchronously or on a worker (promise), and copies results into V8-allocated
// Float64Arrays. Every failure is a JS Error with a `code`: invalid-circuit-spec | invalid-circuit-input |
// circuit-too-large. Units and layouts are those of circuit.h (radians, row-major batch × Q, layer-major θ).
#include "binding/quantum_binding.h"

#include <climits>
#include <cstring>
#include <string>
#include <vector>

#include "binding/arguments.h"
#include "quantum/circuit.h"
#include "quantum/thread_pool.h"

namespace angio::binding {

namespace {

namespace aq = angio::quantum;

constexpr const char* kSpecError = "invalid-circuit-spec";
constexpr const char* kInputError = "invalid-circuit-input";

[[noreturn]] void Fail(Napi::Env env, const char* code, const std::string& message) {
  throw CodedError(env, code, message);
}

aq::CircuitSpec ParseSpec(Napi::Env env, Napi::Value value) {
  const Reader read(env, kSpecError);
  if (!value.IsObject()) read.Fail("circuit spec must be an object {qubits, layers, rotation, entangler, reupload}");
  Napi::Object object = value.As<Napi::Object>();
  aq::CircuitSpec spec;
  // Any int reaches Validate, which names the supported range; beyond int it could not be represented.
  spec.qubits = static_cast<int>(read.Integer(object.Get("qubits"), "circuit spec `qubits`", INT_MIN, INT_MAX));
  spec.layers = static_cast<int>(read.Integer(object.Get("layers"), "circuit spec `layers`", INT_MIN, INT_MAX));
  const std::string rotation = read.String(object.Get("rotation"), "circuit spec `rotation`");
  if (rotation == "RX") spec.rotation = aq::Rotation::RX;
  else if (rotation == "RY") spec.rotation = aq::Rotation::RY;
  else if (rotation == "RZ") spec.rotation = aq::Rotation::RZ;
  else if (rotation == "Rot") spec.rotation = aq::Rotation::Rot;
  else read.Fail("unknown rotation '" + rotation + "': use RX, RY, RZ or Rot");
  const std::string entangler = read.String(object.Get("entangler"), "circuit spec `entangler`");
  if (entangler == "cnot-ring") spec.entangler = aq::Entangler::CnotRing;
  else if (entangler == "cnot-chain") spec.entangler = aq::Entangler::CnotChain;
  else if (entangler == "cz-ring") spec.entangler = aq::Entangler::CzRing;
  else read.Fail("unknown entangler '" + entangler + "': use cnot-ring, cnot-chain or cz-ring");
  Napi::Value reupload = object.Get("reupload");
  spec.reupload = !reupload.IsUndefined() && read.Boolean(reupload, "circuit spec `reupload`");
  return spec;
}

struct Options {
  int threads = 0;
  std::size_t maxWorkingBytes = aq::kMaxWorkingBytes;
};

Options ParseOptions(Napi::Env env, Napi::Value value) {
  Options options;
  if (Reader::Absent(value)) return options;
  const Reader read(env, kInputError);
  Napi::Object object = read.Object(value, "options {threads, maxWorkingBytes}");
  options.threads = static_cast<int>(read.IntegerField(object, "threads", 0, 0, 256));
  // Any positive byte count; those beyond size_t mean "no cap".
  const double bytes = read.NumberField(object, "maxWorkingBytes", static_cast<double>(aq::kMaxWorkingBytes), 1, 1e300);
  options.maxWorkingBytes = bytes >= 1.8e19 ? static_cast<std::size_t>(-1) : static_cast<std::size_t>(bytes);
  return options;
}

/** A checked call: spec, sizes and angles validated, arguments copied so a worker thread may own them. */
struct Call {
  aq::CircuitSpec spec;
  std::size_t batch = 0;
  Options options;
  std::vector<double> inputs, params, gradOutput;
};

Call ParseCall(const Napi::CallbackInfo& info, bool withGradOutput) {
  Napi::Env env = info.Env();
  Call call;
  // The spec and options objects may run JS (getters) that detaches a buffer: read them before the arrays,
  // then copy the arrays with no JS in between.
  call.spec = ParseSpec(env, info[0]);
  call.options = ParseOptions(env, info[withGradOutput ? 4 : 3]);
  const Reader read(env, kInputError);
  const auto any = static_cast<std::size_t>(-1);
  call.inputs = read.Copied<double>(info[1], "inputs", any);
  call.params = read.Copied<double>(info[2], "params", any);
  if (withGradOutput) call.gradOutput = read.Copied<double>(info[3], "gradOutput", any);
  const std::vector<double>& inputs = call.inputs;
  const std::vector<double>& params = call.params;
  const auto qubits = static_cast<std::size_t>(call.spec.qubits);
  try {
    aq::Validate(call.spec, 0, 1, static_cast<std::size_t>(-1));  // spec alone, before sizes depend on it
    if (inputs.size() % qubits != 0) {
      Fail(env, "invalid-circuit-input", "inputs has " + std::to_string(inputs.size())
                                             + " values, not a multiple of " + std::to_string(qubits)
                                             + " qubits (layout batch × Q)");
    }
    call.batch = inputs.size() / qubits;
    const auto expectedParams = static_cast<std::size_t>(aq::ParamCount(call.spec));
    if (params.size() != expectedParams) {
      Fail(env, "invalid-circuit-input", "params has " + std::to_string(params.size())
                                             + " values; this circuit needs " + std::to_string(expectedParams)
                                             + " (layers × qubits × angles per rotation)");
    }
    aq::Validate(call.spec, call.batch, call.options.threads, call.options.maxWorkingBytes);
    aq::RequireFinite(inputs.data(), inputs.size(), "inputs");
    aq::RequireFinite(params.data(), params.size(), "params");
    if (withGradOutput) {
      if (call.gradOutput.size() != inputs.size()) {
        Fail(env, "invalid-circuit-input", "gradOutput has " + std::to_string(call.gradOutput.size())
                                               + " values; it must match the outputs (batch × Q = "
                                               + std::to_string(inputs.size()) + ")");
      }
      aq::RequireFinite(call.gradOutput.data(), call.gradOutput.size(), "gradOutput");
    }
  } catch (const aq::CircuitError& error) {
    Fail(env, error.code, error.what());
  }
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
