// Checked readers (binding/arguments.h): one place decides what a valid number, string or array from JS is.
#include "binding/arguments.h"

#include <cmath>
#include <cstdio>

namespace angio::binding {
namespace {

// Every integer up to 2^53 is exact in a double; beyond it a JS "integer" may already be rounded.
constexpr double kExactIntegers = 9007199254740992.0;

std::string Shown(double value) {
  if (std::isnan(value)) return "NaN";
  if (std::isinf(value)) return value > 0 ? "Infinity" : "-Infinity";
  char text[32];
  std::snprintf(text, sizeof text, "%.17g", value);
  return text;
}

}  // namespace

Napi::Error CodedError(Napi::Env env, const std::string& code, const std::string& message) {
  auto error = Napi::Error::New(env, message);
  error.Set("code", Napi::String::New(env, code));
  return error;
}

bool CheckedProduct(std::size_t a, std::size_t b, std::size_t& product) {
  return !__builtin_mul_overflow(a, b, &product);
}

void Reader::Fail(const std::string& message) const { throw CodedError(env_, code_, message); }

std::string Reader::String(const Napi::Value& value, const std::string& name) const {
  if (!value.IsString()) Fail(prefix_ + name + " must be a string");
  return value.As<Napi::String>().Utf8Value();
}

bool Reader::Boolean(const Napi::Value& value, const std::string& name) const {
  if (!value.IsBoolean()) Fail(prefix_ + name + " must be true or false");
  return value.As<Napi::Boolean>().Value();
}

double Reader::Number(const Napi::Value& value, const std::string& name, double min, double max) const {
  if (!value.IsNumber()) Fail(prefix_ + name + " must be a number");
  const double number = value.As<Napi::Number>().DoubleValue();
  if (!std::isfinite(number)) Fail(prefix_ + name + " must be a finite number, not " + Shown(number));
  if (number < min || number > max) {
    Fail(prefix_ + name + " is " + Shown(number) + "; it must be between " + Shown(min) + " and " + Shown(max));
  }
  return number;
}

std::int64_t Reader::Integer(const Napi::Value& value, const std::string& name, std::int64_t min,
                             std::int64_t max) const {
  const double number = Number(value, name, std::fmax(static_cast<double>(min), -kExactIntegers),
                               std::fmin(static_cast<double>(max), kExactIntegers));
  if (number != std::trunc(number)) Fail(prefix_ + name + " must be an integer, not " + Shown(number));
  return static_cast<std::int64_t>(number);
}

Napi::Object Reader::Object(const Napi::Value& value, const std::string& name) const {
  // Arrays and functions are objects to N-API; an options object is neither.
  if (!value.IsObject() || value.IsArray() || value.IsFunction() || value.IsTypedArray() || value.IsArrayBuffer()) {
    Fail(prefix_ + name + " must be an object");
  }
  return value.As<Napi::Object>();
}

std::string Reader::StringField(const Napi::Object& object, const char* key, const std::string& fallback) const {
  auto value = object.Get(key);
  return value.IsUndefined() ? fallback : String(value, key);
}

bool Reader::BooleanField(const Napi::Object& object, const char* key, bool fallback) const {
  auto value = object.Get(key);
  return value.IsUndefined() ? fallback : Boolean(value, key);
}

double Reader::NumberField(const Napi::Object& object, const char* key, double fallback, double min,
                           double max) const {
  auto value = object.Get(key);
  return value.IsUndefined() ? fallback : Number(value, key, min, max);
}

std::int64_t Reader::IntegerField(const Napi::Object& object, const char* key, std::int64_t fallback,
                                  std::int64_t min, std::int64_t max) const {
  auto value = object.Get(key);
  return value.IsUndefined() ? fallback : Integer(value, key, min, max);
}

Napi::Object Reader::Section(const Napi::Object& object, const char* key) const {
  auto value = object.Get(key);
  return value.IsUndefined() ? Napi::Object::New(env_) : Object(value, key);
}

std::vector<double> Reader::NumberListField(const Napi::Object& object, const char* key, std::size_t maxLength,
                                            double min, double max) const {
  auto value = object.Get(key);
  if (value.IsUndefined()) return {};
  if (!value.IsArray()) Fail(prefix_ + key + " must be an array of numbers");
  auto array = value.As<Napi::Array>();
  const std::uint32_t length = array.Length();
  if (length > maxLength) {
    Fail(prefix_ + key + " has " + std::to_string(length) + " entries; at most " + std::to_string(maxLength));
  }
  std::vector<double> numbers;
  numbers.reserve(length);
  for (std::uint32_t i = 0; i < length; ++i) {
    numbers.push_back(Number(array.Get(i), std::string(key) + "[" + std::to_string(i) + "]", min, max));
  }
  return numbers;
}

Reader Reader::Within(const std::string& prefix) const {
  Reader nested(env_, code_);
  nested.prefix_ = prefix_ + prefix;
  return nested;
}

}  // namespace angio::binding
