// Checked readers for every value that crosses from JavaScript: type, finiteness, integer range and typed-array
// kind are checked before a number becomes a count or a pointer reaches a core. Each failure is a JS Error whose
// `code` the binding chooses (invalid-argument, invalid-circuit-input, …) and whose message names the argument.
//
// Reading an object's field can run JavaScript (a getter, a Proxy trap) that detaches or resizes any ArrayBuffer,
// so callers read every object field first and take typed arrays last, copying them before JS can run again.
#pragma once

#include <napi.h>

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace angio::binding {

/** A JS Error with `code`, the shape every binding throws and rejects with. */
Napi::Error CodedError(Napi::Env env, const std::string& code, const std::string& message);

/** a × b, or false when the product does not fit in size_t (counts that JS can make arbitrarily large). */
bool CheckedProduct(std::size_t a, std::size_t b, std::size_t& product);

/** The typed-array kind each element type is read from: a Float64Array is never taken for a Float32Array. */
template <typename T>
struct TypedKind;
template <>
struct TypedKind<std::uint8_t> {
  static constexpr napi_typedarray_type type = napi_uint8_array;
  static constexpr const char* name = "Uint8Array";
};
template <>
struct TypedKind<std::int32_t> {
  static constexpr napi_typedarray_type type = napi_int32_array;
  static constexpr const char* name = "Int32Array";
};
template <>
struct TypedKind<float> {
  static constexpr napi_typedarray_type type = napi_float32_array;
  static constexpr const char* name = "Float32Array";
};
template <>
struct TypedKind<double> {
  static constexpr napi_typedarray_type type = napi_float64_array;
  static constexpr const char* name = "Float64Array";
};

/** Reads values for one call or one options object; `code` is what every failure is thrown with. */
class Reader {
 public:
  Reader(Napi::Env env, std::string code) : env_(env), code_(std::move(code)) {}
  Napi::Env Env() const { return env_; }
  [[noreturn]] void Fail(const std::string& message) const;

  /** undefined or null: the caller's default applies. */
  static bool Absent(const Napi::Value& value) { return value.IsUndefined() || value.IsNull(); }

  std::string String(const Napi::Value& value, const std::string& name) const;
  bool Boolean(const Napi::Value& value, const std::string& name) const;
  /** A finite number in [min, max]; NaN, ±Infinity and numbers outside the range are refused. */
  double Number(const Napi::Value& value, const std::string& name, double min, double max) const;
  /** An integer in [min, max] (both within ±2^53, where every JS integer is exact). */
  std::int64_t Integer(const Napi::Value& value, const std::string& name, std::int64_t min, std::int64_t max) const;
  Napi::Object Object(const Napi::Value& value, const std::string& name) const;
  /** A typed array of exactly kind T (a Float64Array is not a Float32Array), at most `maxLength` elements. */
  template <typename T>
  Napi::TypedArrayOf<T> Typed(const Napi::Value& value, const std::string& name, std::size_t maxLength) const;
  /** The same, copied: the copy stays valid whatever JS does to the buffer afterwards. */
  template <typename T>
  std::vector<T> Copied(const Napi::Value& value, const std::string& name, std::size_t maxLength) const;

  // Optional fields of an options object: undefined → fallback; anything else (null included) → checked as
  // above. Messages name the field with the reader's prefix ("model." → "model.qubits must be …").
  std::string StringField(const Napi::Object& object, const char* key, const std::string& fallback) const;
  bool BooleanField(const Napi::Object& object, const char* key, bool fallback) const;
  double NumberField(const Napi::Object& object, const char* key, double fallback, double min, double max) const;
  std::int64_t IntegerField(const Napi::Object& object, const char* key, std::int64_t fallback, std::int64_t min,
                            std::int64_t max) const;
  /** A nested options object; absent → an empty one (every field takes its default). */
  Napi::Object Section(const Napi::Object& object, const char* key) const;
  /** An array of at most maxLength numbers, each finite and in [min, max]; absent → empty. */
  std::vector<double> NumberListField(const Napi::Object& object, const char* key, std::size_t maxLength, double min,
                                      double max) const;

  /** Prefixes field names in messages ("model." for the session spec's model section). */
  Reader Within(const std::string& prefix) const;

 private:
  Napi::Env env_;
  std::string code_;
  std::string prefix_;
};

template <typename T>
Napi::TypedArrayOf<T> Reader::Typed(const Napi::Value& value, const std::string& name, std::size_t maxLength) const {
  if (!value.IsTypedArray() || value.As<Napi::TypedArray>().TypedArrayType() != TypedKind<T>::type) {
    Fail(prefix_ + name + " must be a " + TypedKind<T>::name);
  }
  auto array = value.As<Napi::TypedArrayOf<T>>();
  if (array.ElementLength() > maxLength) {
    Fail(prefix_ + name + " has " + std::to_string(array.ElementLength()) + " values; at most " +
         std::to_string(maxLength) + " are accepted");
  }
  // A detached buffer reads as length 0 with no data; callers then see an empty array, never a dangling pointer.
  return array;
}

template <typename T>
std::vector<T> Reader::Copied(const Napi::Value& value, const std::string& name, std::size_t maxLength) const {
  auto array = Typed<T>(value, name, maxLength);
  if (array.ElementLength() == 0) return {};
  return std::vector<T>(array.Data(), array.Data() + array.ElementLength());
}

}  // namespace angio::binding
