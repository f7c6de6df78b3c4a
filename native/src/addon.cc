// N-API bindings for the kernels. Arguments are checked here (sizes against buffer lengths) so
// a bad call is a JavaScript exception, never an out-of-bounds read.
#include <napi.h>

#include <cstdint>

#include "kernels.h"

namespace {

bool dimensions(const Napi::CallbackInfo& info, int first, int& width, int& height) {
  if (!info[first].IsNumber() || !info[first + 1].IsNumber()) return false;
  const double w = info[first].As<Napi::Number>().DoubleValue();
  const double h = info[first + 1].As<Napi::Number>().DoubleValue();
  if (!(w >= 1 && h >= 1 && w <= 1e6 && h <= 1e6) || w != static_cast<int>(w) || h != static_cast<int>(h)) return false;
  width = static_cast<int>(w);
  height = static_cast<int>(h);
  return true;
}

Napi::Value fail(Napi::Env env, const char* message) {
  Napi::RangeError::New(env, message).ThrowAsJavaScriptException();
  return env.Undefined();
}

Napi::Value PdqDownsample(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (info.Length() < 5 || !info[0].IsTypedArray() || info[0].As<Napi::TypedArray>().TypedArrayType() != napi_uint8_array) {
    return fail(env, "pdqDownsample(data: Uint8Array, width, height, channels, blur)");
  }
  int width = 0, height = 0;
  if (!dimensions(info, 1, width, height)) return fail(env, "invalid image size");
  const int channels = info[3].IsNumber() ? info[3].As<Napi::Number>().Int32Value() : 0;
  if (channels != 3 && channels != 4) return fail(env, "channels must be 3 or 4");
  Napi::Uint8Array data = info[0].As<Napi::Uint8Array>();
  if (data.ElementLength() < static_cast<size_t>(width) * height * channels) return fail(env, "pixel buffer too small for the size given");
  Napi::Float32Array out = Napi::Float32Array::New(env, 64 * 64);
  custos::PdqDownscaler pdq(width, height, channels, info[4].ToBoolean().Value());
  custos::streamRows(data.Data(), width, height, channels, &pdq, nullptr, nullptr);
  pdq.finish(out.Data());
  return out;
}

Napi::Value BlockhashBlocks(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (info.Length() < 4 || !info[0].IsTypedArray() || info[0].As<Napi::TypedArray>().TypedArrayType() != napi_uint8_array) {
    return fail(env, "blockhashBlocks(data: Uint8Array, width, height, bits)");
  }
  int width = 0, height = 0;
  if (!dimensions(info, 1, width, height)) return fail(env, "invalid image size");
  const int bits = info[3].IsNumber() ? info[3].As<Napi::Number>().Int32Value() : 0;
  if (bits < 2 || bits > 64) return fail(env, "bits must be between 2 and 64");
  Napi::Uint8Array data = info[0].As<Napi::Uint8Array>();
  if (data.ElementLength() < static_cast<size_t>(width) * height * 4) return fail(env, "pixel buffer too small for the size given");
  Napi::Float64Array out = Napi::Float64Array::New(env, static_cast<size_t>(bits) * bits);
  custos::blockhashBlocks(data.Data(), width, height, bits, out.Data());
  return out;
}

Napi::Value BoxShrink(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (info.Length() < 5 || !info[0].IsTypedArray() || info[0].As<Napi::TypedArray>().TypedArrayType() != napi_uint8_array) {
    return fail(env, "boxShrink(data: Uint8Array, width, height, channels, factor)");
  }
  int width = 0, height = 0;
  if (!dimensions(info, 1, width, height)) return fail(env, "invalid image size");
  const int channels = info[3].IsNumber() ? info[3].As<Napi::Number>().Int32Value() : 0;
  const int factor = info[4].IsNumber() ? info[4].As<Napi::Number>().Int32Value() : 0;
  if (channels < 1 || channels > 4) return fail(env, "channels must be 1 to 4");
  if (factor < 1 || factor > width || factor > height) return fail(env, "factor must be between 1 and the smaller side");
  Napi::Uint8Array data = info[0].As<Napi::Uint8Array>();
  if (data.ElementLength() < static_cast<size_t>(width) * height * channels) return fail(env, "pixel buffer too small for the size given");
  Napi::Uint8Array out = Napi::Uint8Array::New(env, static_cast<size_t>(width / factor) * (height / factor) * channels);
  custos::BoxShrinker shrink(width, height, channels, factor, out.Data());
  custos::streamRows(data.Data(), width, height, channels, nullptr, nullptr, &shrink);
  return out;
}

Napi::Value AreaResize(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (info.Length() < 6 || !info[0].IsTypedArray() || info[0].As<Napi::TypedArray>().TypedArrayType() != napi_uint8_array) {
    return fail(env, "areaResize(data: Uint8Array, width, height, channels, outWidth, outHeight)");
  }
  int width = 0, height = 0, outWidth = 0, outHeight = 0;
  if (!dimensions(info, 1, width, height) || !dimensions(info, 4, outWidth, outHeight)) return fail(env, "invalid image size");
  const int channels = info[3].IsNumber() ? info[3].As<Napi::Number>().Int32Value() : 0;
  if (channels < 1 || channels > 4) return fail(env, "channels must be 1 to 4");
  if (outWidth > width || outHeight > height) return fail(env, "areaResize only reduces");
  Napi::Uint8Array data = info[0].As<Napi::Uint8Array>();
  if (data.ElementLength() < static_cast<size_t>(width) * height * channels) return fail(env, "pixel buffer too small for the size given");
  Napi::Uint8Array out = Napi::Uint8Array::New(env, static_cast<size_t>(outWidth) * outHeight * channels);
  custos::areaResize(data.Data(), width, height, channels, outWidth, outHeight, out.Data());
  return out;
}

// All three kernels over one RGBA image in a single pass: { pdq: Float32Array(4096),
// blockhash: Float64Array(bits * bits), shrunk: Uint8Array | null (when factor < 2) }.
Napi::Value ImagePass(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (info.Length() < 6 || !info[0].IsTypedArray() || info[0].As<Napi::TypedArray>().TypedArrayType() != napi_uint8_array) {
    return fail(env, "imagePass(rgba: Uint8Array, width, height, pdqBlur, blockhashBits, shrinkFactor)");
  }
  int width = 0, height = 0;
  if (!dimensions(info, 1, width, height)) return fail(env, "invalid image size");
  const int bits = info[4].IsNumber() ? info[4].As<Napi::Number>().Int32Value() : 0;
  if (!custos::blockhashExactInIntegers(bits) || bits < 2 || bits > 64) return fail(env, "bits must be a power of two between 2 and 64");
  const int factor = info[5].IsNumber() ? info[5].As<Napi::Number>().Int32Value() : 0;
  if (factor < 0 || factor > width || factor > height) return fail(env, "factor must be between 0 and the smaller side");
  Napi::Uint8Array data = info[0].As<Napi::Uint8Array>();
  if (data.ElementLength() < static_cast<size_t>(width) * height * 4) return fail(env, "pixel buffer too small for the size given");
  Napi::Float32Array pdqOut = Napi::Float32Array::New(env, 64 * 64);
  Napi::Float64Array blocksOut = Napi::Float64Array::New(env, static_cast<size_t>(bits) * bits);
  Napi::Object result = Napi::Object::New(env);
  custos::PdqDownscaler pdq(width, height, 4, info[3].ToBoolean().Value());
  custos::BlockhashAccumulator blocks(width, height, bits);
  if (factor >= 2) {
    Napi::Uint8Array shrunk = Napi::Uint8Array::New(env, static_cast<size_t>(width / factor) * (height / factor) * 4);
    custos::BoxShrinker shrink(width, height, 4, factor, shrunk.Data());
    custos::streamRows(data.Data(), width, height, 4, &pdq, &blocks, &shrink);
    result.Set("shrunk", shrunk);
  } else {
    custos::streamRows(data.Data(), width, height, 4, &pdq, &blocks, nullptr);
    result.Set("shrunk", env.Null());
  }
  pdq.finish(pdqOut.Data());
  blocks.finish(blocksOut.Data());
  result.Set("pdq", pdqOut);
  result.Set("blockhash", blocksOut);
  return result;
}

Napi::Object Init(Napi::Env env, Napi::Object exports) {
  exports.Set("boxShrink", Napi::Function::New(env, BoxShrink));
  exports.Set("pdqDownsample", Napi::Function::New(env, PdqDownsample));
  exports.Set("blockhashBlocks", Napi::Function::New(env, BlockhashBlocks));
  exports.Set("areaResize", Napi::Function::New(env, AreaResize));
  exports.Set("imagePass", Napi::Function::New(env, ImagePass));
  return exports;
}

}  // namespace

NODE_API_MODULE(custos_native, Init)
