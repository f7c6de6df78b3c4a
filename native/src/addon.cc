// N-API bindings for the kernels. Arguments are checked here (sizes against buffer lengths) so
// a bad call is a JavaScript exception, never an out-of-bounds read.
#include <napi.h>

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <memory>
#include <utility>
#include <vector>

#include "hamming_index.h"
#include "key_sort.h"
#include "kernels.h"
#include "md5_lanes.h"
#include "sha_ni.h"
#include "json_split.h"
#include "vics_pack.h"

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

bool isTyped(const Napi::Value& value, napi_typedarray_type type) {
  return value.IsTypedArray() && value.As<Napi::TypedArray>().TypedArrayType() == type;
}

// A worker thread that is being terminated (an import stopped, a pool shut down) is refused new
// JavaScript values: its call then returns nothing, as the thread is going away, rather than
// writing through the null pointer of an array that was never made. (Exceptions that cannot be
// thrown then are swallowed: NODE_API_SWALLOW_UNTHROWABLE_EXCEPTIONS in binding.gyp.)
template <typename T>
bool unmade(Napi::Env env, const T& value) {
  return value.IsEmpty() || (value.Data() == nullptr && value.ElementLength() > 0) || env.IsExceptionPending();
}

// A new typed array holding a copy of `values`; an empty one where it could not be made (unmade).
template <typename Array, typename Values>
Array copiedInto(Napi::Env env, const Values& values) {
  Array array = Array::New(env, values.size());
  if (unmade(env, array)) return Array();
  if (!values.empty()) std::memcpy(array.Data(), values.data(), values.size() * sizeof(values[0]));
  return array;
}

Napi::Value SortKeys(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (info.Length() < 3 || !isTyped(info[0], napi_uint8_array) || !info[1].IsNumber() || !isTyped(info[2], napi_float64_array)) {
    return fail(env, "sortKeys(keys: Uint8Array, width, ids: Float64Array)");
  }
  const double w = info[1].As<Napi::Number>().DoubleValue();
  if (!(w >= 1 && w <= 64) || w != static_cast<int>(w)) return fail(env, "key width must be 1-64 bytes");
  Napi::Uint8Array keys = info[0].As<Napi::Uint8Array>();
  Napi::Float64Array ids = info[2].As<Napi::Float64Array>();
  const size_t width = static_cast<size_t>(w);
  if (keys.ElementLength() != ids.ElementLength() * width) return fail(env, "keys must hold exactly one key per id");
  if (ids.ElementLength() > 0xffffffffu) return fail(env, "too many keys for one sort");
  custos::sortKeys(keys.Data(), ids.Data(), ids.ElementLength(), width);
  return env.Undefined();
}

// gatherKeys(records, stride, offset, width, count, zeroWidth, keys, ids, at, firstId): the key at
// `offset` of each record into keys/ids from position `at`, skipping records whose `zeroWidth`
// bytes there are all zero (none skipped when 0; see key_sort.h); returns how many.
Napi::Value GatherKeys(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (info.Length() < 10 || !isTyped(info[0], napi_uint8_array) || !isTyped(info[6], napi_uint8_array) || !isTyped(info[7], napi_float64_array)) {
    return fail(env, "gatherKeys(records: Uint8Array, stride, offset, width, count, zeroWidth, keys: Uint8Array, ids: Float64Array, at, firstId)");
  }
  double numbers[6];
  const size_t positions[6] = {1, 2, 3, 4, 8, 5};
  for (size_t k = 0; k < 6; k++) {
    if (!info[positions[k]].IsNumber()) return fail(env, "stride, offset, width, count, zeroWidth and at must be numbers");
    numbers[k] = info[positions[k]].As<Napi::Number>().DoubleValue();
    if (!(numbers[k] >= 0 && numbers[k] < 4294967296.0) || numbers[k] != static_cast<double>(static_cast<uint64_t>(numbers[k]))) return fail(env, "stride, offset, width, count, zeroWidth and at must be whole numbers");
  }
  const size_t stride = static_cast<size_t>(numbers[0]), offset = static_cast<size_t>(numbers[1]), width = static_cast<size_t>(numbers[2]);
  const size_t count = static_cast<size_t>(numbers[3]), at = static_cast<size_t>(numbers[4]), zeroWidth = static_cast<size_t>(numbers[5]);
  if (!info[9].IsNumber()) return fail(env, "firstId must be a number");
  const double firstId = info[9].As<Napi::Number>().DoubleValue();
  Napi::Uint8Array records = info[0].As<Napi::Uint8Array>();
  Napi::Uint8Array keys = info[6].As<Napi::Uint8Array>();
  Napi::Float64Array ids = info[7].As<Napi::Float64Array>();
  if (width == 0 || offset + width > stride || offset + zeroWidth > stride) return fail(env, "each key and the bytes checked for zeros must lie inside its record");
  if (records.ElementLength() < count * stride) return fail(env, "records must hold count records");
  if (keys.ElementLength() < (at + count) * width || ids.ElementLength() < at + count) return fail(env, "keys and ids must have room for count more");
  const size_t copied = custos::gatherKeys(records.Data(), stride, offset, width, count, zeroWidth, keys.Data() + at * width, ids.Data() + at, firstId);
  return Napi::Number::New(env, static_cast<double>(copied));
}

Napi::Value RecordKeys(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (info.Length() < 2 || !isTyped(info[0], napi_uint8_array) || !info[1].IsNumber()) {
    return fail(env, "recordKeys(records: Uint8Array, width)");
  }
  const double w = info[1].As<Napi::Number>().DoubleValue();
  if (!(w >= 1 && w <= 4096) || w != static_cast<int>(w)) return fail(env, "record width must be 1-4096 bytes");
  Napi::Uint8Array records = info[0].As<Napi::Uint8Array>();
  const size_t width = static_cast<size_t>(w);
  if (records.ElementLength() % width != 0) return fail(env, "records must be a whole number of records");
  const size_t n = records.ElementLength() / width;
  Napi::Uint8Array out = Napi::Uint8Array::New(env, n * 16);
  if (unmade(env, out)) return Napi::Value();
  custos::recordKeys(records.Data(), n, width, out.Data());
  return out;
}

// digestChunks(states, chunks, totals, sha): stream i's 17 state words are states[17i..]: MD5
// (4), SHA-1 (5), SHA-256 (8). chunks[i] is whole 64-byte blocks, or when totals[i] >= 0 the
// stream's last bytes, totals[i] being its length: padding is added and the state is final.
// With sha false only MD5 is advanced (the caller has SHA-1 and SHA-256 elsewhere).
// Synchronous: a worker thread calls it with the chunks it has just read.
constexpr size_t kStateWords = 17;

void padding(const uint8_t* tail, size_t tailLength, double total, bool bigEndian, std::vector<uint8_t>& out) {
  const size_t length = tailLength < 56 ? 64 : 128;
  out.assign(length, 0);
  std::memcpy(out.data(), tail, tailLength);
  out[tailLength] = 0x80;
  const uint64_t bits = static_cast<uint64_t>(total) * 8;
  for (int k = 0; k < 8; k++) out[bigEndian ? length - 1 - k : length - 8 + k] = static_cast<uint8_t>(bits >> (8 * k));
}

Napi::Value DigestChunks(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (info.Length() < 4 || !isTyped(info[0], napi_uint32_array) || !info[1].IsArray() || !isTyped(info[2], napi_float64_array)) {
    return fail(env, "digestChunks(states: Uint32Array, chunks: Uint8Array[], totals: Float64Array, sha: boolean)");
  }
  Napi::Uint32Array states = info[0].As<Napi::Uint32Array>();
  Napi::Array chunks = info[1].As<Napi::Array>();
  Napi::Float64Array totals = info[2].As<Napi::Float64Array>();
  const bool sha = info[3].ToBoolean().Value();
  if (sha && !custos::shaExtensions()) return fail(env, "this CPU has no SHA extensions");
  const uint32_t count = chunks.Length();
  if (states.ElementLength() != count * kStateWords || totals.ElementLength() != count) return fail(env, "states and totals must match the chunks");
  std::vector<custos::Md5Stream> bodies, finals;
  std::vector<std::vector<uint8_t>> md5Pads(count), shaPads(count);
  for (uint32_t i = 0; i < count; i++) {
    Napi::Value chunk = chunks.Get(i);
    if (!isTyped(chunk, napi_uint8_array)) return fail(env, "every chunk must be a Uint8Array");
    Napi::Uint8Array bytes = chunk.As<Napi::Uint8Array>();
    const double total = totals[i];
    const size_t length = bytes.ElementLength();
    const size_t whole = length / 64;
    uint32_t* state = states.Data() + kStateWords * i;
    if (total < 0) {
      if (length % 64 != 0) return fail(env, "chunks before the last must be whole 64-byte blocks");
    } else if (!(total >= static_cast<double>(length) && total < 9007199254740992.0) || total != static_cast<uint64_t>(total)) {
      return fail(env, "a stream's total length must be a whole number of bytes, at least its last chunk");
    }
    if (whole > 0) bodies.push_back({state, bytes.Data(), whole});
    if (total >= 0) {
      padding(bytes.Data() + whole * 64, length - whole * 64, total, false, md5Pads[i]);
      finals.push_back({state, md5Pads[i].data(), md5Pads[i].size() / 64});
      if (sha) padding(bytes.Data() + whole * 64, length - whole * 64, total, true, shaPads[i]);
    }
  }
  // A slice of every stream at a time: the MD5 lanes bring it into cache and the SHAs find it
  // there. Over whole chunks of megabytes each, the SHAs would read memory again and run about
  // 40 % slower here.
  constexpr size_t kSliceBlocks = 1024;
  for (size_t first = 0;; first += kSliceBlocks) {
    std::vector<custos::Md5Stream> slice;
    for (const custos::Md5Stream& body : bodies) {
      if (body.blocks > first) slice.push_back({body.state, body.data + first * 64, std::min(kSliceBlocks, body.blocks - first)});
    }
    if (slice.empty()) break;
    custos::md5Blocks(slice.data(), slice.size());
    if (sha) {
      for (const custos::Md5Stream& part : slice) {
        custos::sha1Blocks(part.state + 4, part.data, part.blocks);
        custos::sha256Blocks(part.state + 9, part.data, part.blocks);
      }
    }
  }
  custos::md5Blocks(finals.data(), finals.size());
  if (sha) {
    for (uint32_t i = 0; i < count; i++) {
      if (shaPads[i].empty()) continue;
      uint32_t* state = states.Data() + kStateWords * i;
      custos::sha1Blocks(state + 4, shaPads[i].data(), shaPads[i].size() / 64);
      custos::sha256Blocks(state + 9, shaPads[i].data(), shaPads[i].size() / 64);
    }
  }
  return env.Undefined();
}

// sha256Update(state, data, total): SHA-256 alone on the SHA extensions. `state` is 8 words;
// `data` whole 64-byte blocks, or when total >= 0 the stream's last bytes, total its length (the
// padding is added and the state is final). The state may live in a SharedArrayBuffer: an
// import's two threads take turns advancing the digest of its source file.
Napi::Value Sha256Update(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (info.Length() < 3 || !isTyped(info[0], napi_uint32_array) || !isTyped(info[1], napi_uint8_array) || !info[2].IsNumber()) {
    return fail(env, "sha256Update(state: Uint32Array, data: Uint8Array, total: number)");
  }
  if (!custos::shaExtensions()) return fail(env, "this CPU has no SHA extensions");
  Napi::Uint32Array state = info[0].As<Napi::Uint32Array>();
  Napi::Uint8Array data = info[1].As<Napi::Uint8Array>();
  const double total = info[2].As<Napi::Number>().DoubleValue();
  if (state.ElementLength() != 8) return fail(env, "a SHA-256 state is 8 words");
  const size_t length = data.ElementLength();
  const size_t whole = length / 64;
  if (total < 0) {
    if (length % 64 != 0) return fail(env, "data before the last must be whole 64-byte blocks");
  } else if (!(total >= static_cast<double>(length) && total < 9007199254740992.0) || total != static_cast<uint64_t>(total)) {
    return fail(env, "the total length must be a whole number of bytes, at least the last data");
  }
  custos::sha256Blocks(state.Data(), data.Data(), whole);
  if (total >= 0) {
    std::vector<uint8_t> pad;
    padding(data.Data() + whole * 64, length - whole * 64, total, true, pad);
    custos::sha256Blocks(state.Data(), pad.data(), pad.size() / 64);
  }
  return env.Undefined();
}

Napi::Value PdqDownsample(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (info.Length() < 5 || !isTyped(info[0], napi_uint8_array)) {
    return fail(env, "pdqDownsample(data: Uint8Array, width, height, channels, blur)");
  }
  int width = 0, height = 0;
  if (!dimensions(info, 1, width, height)) return fail(env, "invalid image size");
  const int channels = info[3].IsNumber() ? info[3].As<Napi::Number>().Int32Value() : 0;
  if (channels != 3 && channels != 4) return fail(env, "channels must be 3 or 4");
  Napi::Uint8Array data = info[0].As<Napi::Uint8Array>();
  if (data.ElementLength() < static_cast<size_t>(width) * height * channels) return fail(env, "pixel buffer too small for the size given");
  Napi::Float32Array out = Napi::Float32Array::New(env, 64 * 64);
  if (unmade(env, out)) return Napi::Value();
  custos::PdqDownscaler pdq(width, height, channels, info[4].ToBoolean().Value());
  custos::streamRows(data.Data(), width, height, channels, &pdq, nullptr, nullptr);
  pdq.finish(out.Data());
  return out;
}

Napi::Value BlockhashBlocks(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (info.Length() < 4 || !isTyped(info[0], napi_uint8_array)) {
    return fail(env, "blockhashBlocks(data: Uint8Array, width, height, bits)");
  }
  int width = 0, height = 0;
  if (!dimensions(info, 1, width, height)) return fail(env, "invalid image size");
  const int bits = info[3].IsNumber() ? info[3].As<Napi::Number>().Int32Value() : 0;
  if (bits < 2 || bits > 64) return fail(env, "bits must be between 2 and 64");
  Napi::Uint8Array data = info[0].As<Napi::Uint8Array>();
  if (data.ElementLength() < static_cast<size_t>(width) * height * 4) return fail(env, "pixel buffer too small for the size given");
  Napi::Float64Array out = Napi::Float64Array::New(env, static_cast<size_t>(bits) * bits);
  if (unmade(env, out)) return Napi::Value();
  custos::blockhashBlocks(data.Data(), width, height, bits, out.Data());
  return out;
}

Napi::Value BoxShrink(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (info.Length() < 5 || !isTyped(info[0], napi_uint8_array)) {
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
  if (unmade(env, out)) return Napi::Value();
  custos::BoxShrinker shrink(width, height, channels, factor, out.Data());
  custos::streamRows(data.Data(), width, height, channels, nullptr, nullptr, &shrink);
  return out;
}

Napi::Value AreaResize(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (info.Length() < 6 || !isTyped(info[0], napi_uint8_array)) {
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
  if (unmade(env, out)) return Napi::Value();
  custos::areaResize(data.Data(), width, height, channels, outWidth, outHeight, out.Data());
  return out;
}

// All three kernels over one RGBA image in a single pass: { pdq: Float32Array(4096),
// blockhash: Float64Array(bits * bits), shrunk: Uint8Array | null (when factor < 2) }.
Napi::Value ImagePass(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (info.Length() < 6 || !isTyped(info[0], napi_uint8_array)) {
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
  if (unmade(env, pdqOut)) return Napi::Value();
  Napi::Float64Array blocksOut = Napi::Float64Array::New(env, static_cast<size_t>(bits) * bits);
  if (unmade(env, blocksOut)) return Napi::Value();
  Napi::Object result = Napi::Object::New(env);
  custos::PdqDownscaler pdq(width, height, 4, info[3].ToBoolean().Value());
  custos::BlockhashAccumulator blocks(width, height, bits);
  if (factor >= 2) {
    Napi::Uint8Array shrunk = Napi::Uint8Array::New(env, static_cast<size_t>(width / factor) * (height / factor) * 4);
    if (unmade(env, shrunk)) return Napi::Value();
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

bool integerIn(const Napi::Value& value, int low, int high, int& out) {
  if (!value.IsNumber()) return false;
  const double number = value.As<Napi::Number>().DoubleValue();
  if (!(number >= low && number <= high) || number != static_cast<int>(number)) return false;
  out = static_cast<int>(number);
  return true;
}

struct SearchArgs {
  Napi::Uint8Array queries;
  std::size_t groups;
  int variants, maxDistance, threads;
};

// search(queries: Uint8Array, variantsPerQuery: 1 | 8, maxDistance: 0..256, threads = 1).
bool searchArgs(const Napi::CallbackInfo& info, SearchArgs& args) {
  Napi::Env env = info.Env();
  if (info.Length() < 3 || !isTyped(info[0], napi_uint8_array)) {
    fail(env, "search(queries: Uint8Array, variantsPerQuery: 1 | 8, maxDistance: number, threads?: number)");
    return false;
  }
  if (!integerIn(info[1], 1, 8, args.variants) || (args.variants != 1 && args.variants != 8)) {
    fail(env, "variantsPerQuery must be 1 or 8");
    return false;
  }
  if (!integerIn(info[2], 0, 256, args.maxDistance)) {
    fail(env, "maxDistance must be an integer from 0 to 256");
    return false;
  }
  args.threads = 1;
  if (info.Length() > 3 && !info[3].IsUndefined() && !integerIn(info[3], 1, 256, args.threads)) {
    fail(env, "threads must be an integer from 1 to 256");
    return false;
  }
  args.queries = info[0].As<Napi::Uint8Array>();
  const std::size_t groupBytes = custos::HammingIndex::kCodeBytes * static_cast<std::size_t>(args.variants);
  if (args.queries.ElementLength() % groupBytes != 0) {
    fail(env, "queries must hold 32 bytes per code and variantsPerQuery codes per query");
    return false;
  }
  args.groups = args.queries.ElementLength() / groupBytes;
  return true;
}

// { offsets: Uint32Array(Q + 1), ids: Uint32Array, distances: Uint16Array, variants: Uint8Array }.
Napi::Value matchesObject(Napi::Env env, const custos::HammingMatches& matches) {
  if (matches.tooMany) return fail(env, "the search would return more than 2^26 matches: lower maxDistance or search fewer queries at once");
  const auto offsets = copiedInto<Napi::Uint32Array>(env, matches.offsets);
  const auto ids = copiedInto<Napi::Uint32Array>(env, matches.ids);
  const auto distances = copiedInto<Napi::Uint16Array>(env, matches.distances);
  const auto variants = copiedInto<Napi::Uint8Array>(env, matches.variants);
  if (offsets.IsEmpty() || ids.IsEmpty() || distances.IsEmpty() || variants.IsEmpty()) return Napi::Value();
  Napi::Object result = Napi::Object::New(env);
  result.Set("offsets", offsets);
  result.Set("ids", ids);
  result.Set("distances", distances);
  result.Set("variants", variants);
  return result;
}

// Searches off the JavaScript thread. It holds the index and its own copy of the queries, so
// neither dropping the index object nor reusing the query buffer meanwhile can pull data away.
class HammingSearch : public Napi::AsyncWorker {
 public:
  HammingSearch(Napi::Env env, std::shared_ptr<const custos::HammingIndex> index, const SearchArgs& args)
      : Napi::AsyncWorker(env, "custos.HammingIndex.search"),
        deferred_(Napi::Promise::Deferred::New(env)),
        index_(std::move(index)),
        queries_(args.queries.Data(), args.queries.Data() + args.queries.ElementLength()),
        groups_(args.groups),
        variants_(args.variants),
        maxDistance_(args.maxDistance),
        threads_(args.threads) {}

  Napi::Promise Promise() const { return deferred_.Promise(); }

  void Execute() override { matches_ = index_->search(queries_.data(), groups_, variants_, maxDistance_, threads_); }

  void OnOK() override {
    Napi::Env env = Env();
    Napi::Value result = matchesObject(env, matches_);
    if (env.IsExceptionPending()) {
      deferred_.Reject(env.GetAndClearPendingException().Value());
    } else {
      deferred_.Resolve(result);
    }
  }

 private:
  Napi::Promise::Deferred deferred_;
  std::shared_ptr<const custos::HammingIndex> index_;
  std::vector<std::uint8_t> queries_;
  std::size_t groups_;
  int variants_, maxDistance_, threads_;
  custos::HammingMatches matches_;
};

// new HammingIndex(codes: Uint8Array): N codes of 32 bytes, copied; id i is the i-th.
struct AddonData {
  Napi::FunctionReference hammingIndex;
};

/** Builds an index off the JavaScript thread (ten million codes take seconds) and resolves with it. */
class HammingBuild : public Napi::AsyncWorker {
 public:
  HammingBuild(Napi::Env env, Napi::Uint8Array codes)
      : Napi::AsyncWorker(env), deferred_(Napi::Promise::Deferred::New(env)), codes_(Napi::Persistent(codes)), data_(codes.Data()),
        count_(codes.ElementLength() / custos::HammingIndex::kCodeBytes) {}

  Napi::Promise Promise() { return deferred_.Promise(); }

 protected:
  void Execute() override { index_ = std::make_shared<const custos::HammingIndex>(data_, count_); }

  void OnOK() override {
    Napi::Env env = Env();
    auto* held = new std::shared_ptr<const custos::HammingIndex>(index_);
    auto external = Napi::External<std::shared_ptr<const custos::HammingIndex>>::New(
        env, held, [](Napi::Env, std::shared_ptr<const custos::HammingIndex>* p) { delete p; });
    deferred_.Resolve(env.GetInstanceData<AddonData>()->hammingIndex.New({external}));
  }

  void OnError(const Napi::Error& error) override { deferred_.Reject(error.Value()); }

 private:
  Napi::Promise::Deferred deferred_;
  Napi::Reference<Napi::Uint8Array> codes_;
  const uint8_t* data_;
  std::size_t count_;
  std::shared_ptr<const custos::HammingIndex> index_;
};

class HammingIndexObject : public Napi::ObjectWrap<HammingIndexObject> {
 public:
  static Napi::Function Define(Napi::Env env) {
    return DefineClass(env, "HammingIndex",
                       {StaticMethod<&HammingIndexObject::Build>("build"),
                        InstanceAccessor<&HammingIndexObject::Size>("size"),
                        InstanceMethod<&HammingIndexObject::MemoryBytes>("memoryBytes"),
                        InstanceMethod<&HammingIndexObject::Search>("search"),
                        InstanceMethod<&HammingIndexObject::SearchSync>("searchSync"),
                        StaticValue("popcount", Napi::String::New(env, custos::HammingIndex::popcountKind()))});
  }

  explicit HammingIndexObject(const Napi::CallbackInfo& info) : Napi::ObjectWrap<HammingIndexObject>(info) {
    // From HammingIndex.build: the index was built on a worker thread and arrives ready.
    if (info.Length() == 1 && info[0].IsExternal()) {
      index_ = *info[0].As<Napi::External<std::shared_ptr<const custos::HammingIndex>>>().Data();
      return;
    }
    if (info.Length() < 1 || !isTyped(info[0], napi_uint8_array)) {
      fail(info.Env(), "new HammingIndex(codes: Uint8Array)");
      return;
    }
    Napi::Uint8Array codes = info[0].As<Napi::Uint8Array>();
    const std::size_t count = codes.ElementLength() / custos::HammingIndex::kCodeBytes;
    if (codes.ElementLength() % custos::HammingIndex::kCodeBytes != 0 || count > UINT32_MAX) {
      fail(info.Env(), "codes must hold 32 bytes per code, at most 2^32 - 1 codes");
      return;
    }
    index_ = std::make_shared<const custos::HammingIndex>(codes.Data(), count);
  }

  static Napi::Value Build(const Napi::CallbackInfo& info) {
    if (info.Length() < 1 || !isTyped(info[0], napi_uint8_array)) return fail(info.Env(), "HammingIndex.build(codes: Uint8Array)");
    Napi::Uint8Array codes = info[0].As<Napi::Uint8Array>();
    if (codes.ElementLength() % custos::HammingIndex::kCodeBytes != 0 || codes.ElementLength() / custos::HammingIndex::kCodeBytes > UINT32_MAX) {
      return fail(info.Env(), "codes must hold 32 bytes per code, at most 2^32 - 1 codes");
    }
    auto* worker = new HammingBuild(info.Env(), codes);
    Napi::Promise promise = worker->Promise();
    worker->Queue();
    return promise;
  }

 private:
  Napi::Value Size(const Napi::CallbackInfo& info) { return Napi::Number::New(info.Env(), static_cast<double>(index_->size())); }

  Napi::Value MemoryBytes(const Napi::CallbackInfo& info) {
    return Napi::Number::New(info.Env(), static_cast<double>(index_->memoryBytes()));
  }

  Napi::Value Search(const Napi::CallbackInfo& info) {
    SearchArgs args;
    if (!searchArgs(info, args)) return info.Env().Undefined();
    auto* worker = new HammingSearch(info.Env(), index_, args);
    Napi::Promise promise = worker->Promise();
    worker->Queue();
    return promise;
  }

  Napi::Value SearchSync(const Napi::CallbackInfo& info) {
    SearchArgs args;
    if (!searchArgs(info, args)) return info.Env().Undefined();
    return matchesObject(info.Env(), index_->search(args.queries.Data(), args.groups, args.variants, args.maxDistance, args.threads));
  }

  std::shared_ptr<const custos::HammingIndex> index_;
};

Napi::Value PackVicsMedia(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (info.Length() < 3 || !isTyped(info[0], napi_uint8_array) || !isTyped(info[1], napi_uint32_array) || !info[2].IsNumber() ||
      (info.Length() > 3 && !info[3].IsUndefined() && !isTyped(info[3], napi_uint32_array))) {
    return fail(env, "packVicsMedia(text: Uint8Array, ends: Uint32Array, start, starts?: Uint32Array)");
  }
  Napi::Uint8Array text = info[0].As<Napi::Uint8Array>();
  Napi::Uint32Array ends = info[1].As<Napi::Uint32Array>();
  const double start = info[2].As<Napi::Number>().DoubleValue();
  const size_t count = ends.ElementLength();
  if (!(start >= 0 && start <= static_cast<double>(count)) || start != static_cast<size_t>(start)) return fail(env, "start must be a record index");
  const uint32_t* starts = nullptr;
  if (info.Length() > 3 && info[3].IsTypedArray()) {
    Napi::Uint32Array given = info[3].As<Napi::Uint32Array>();
    if (given.ElementLength() != count) return fail(env, "starts must match ends");
    for (size_t i = 0; i < count; i++) {
      if (given[i] > ends[i] || ends[i] > text.ByteLength()) return fail(env, "each record must lie within the text");
    }
    starts = given.Data();
  } else {
    uint32_t previous = 0;
    for (size_t i = 0; i < count; i++) {
      if (ends[i] < previous || ends[i] > text.ByteLength()) return fail(env, "record ends must rise within the text");
      previous = ends[i];
    }
  }
  // Kept between calls: their memory is reused rather than mapped afresh (and faulted in) each time.
  static thread_local custos::VicsPacked packed;
  packed.clear();
  const size_t next = custos::packVicsMedia(reinterpret_cast<const char*>(text.Data()), starts, ends.Data(), count, static_cast<size_t>(start), packed);
  Napi::Object out = Napi::Object::New(env);
  out.Set("next", Napi::Number::New(env, static_cast<double>(next)));
  out.Set("entries", Napi::Number::New(env, packed.entries));
  out.Set("categorised", Napi::Boolean::New(env, packed.categorised));
  const auto digests = copiedInto<Napi::Uint8Array>(env, packed.digests);
  const auto identities = copiedInto<Napi::Uint8Array>(env, packed.identities);
  // As UTF-8 bytes, not a string: they go to SQLite as they are, transferred between threads.
  const auto rows = copiedInto<Napi::Uint8Array>(env, packed.rows);
  if (digests.IsEmpty() || identities.IsEmpty() || rows.IsEmpty()) return Napi::Value();
  out.Set("rows", rows);
  out.Set("digests", digests);
  out.Set("identityRecords", identities);
  return out;
}

// splitJsonObjects(bytes, from, maxCount): whole JSON objects in a row from an array element's
// start (json_split.h): { count, next, lines, starts, ends, lineOffsets }.
Napi::Value SplitJsonObjects(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (info.Length() < 3 || !isTyped(info[0], napi_uint8_array) || !info[1].IsNumber() || !info[2].IsNumber()) {
    return fail(env, "splitJsonObjects(bytes: Uint8Array, from, maxCount)");
  }
  Napi::Uint8Array bytes = info[0].As<Napi::Uint8Array>();
  const double from = info[1].As<Napi::Number>().DoubleValue();
  const double maxCount = info[2].As<Napi::Number>().DoubleValue();
  if (!(from >= 0 && from <= static_cast<double>(bytes.ByteLength())) || from != static_cast<size_t>(from)) return fail(env, "from must be a position in the bytes");
  if (!(maxCount >= 0 && maxCount < 4294967296.0) || maxCount != static_cast<size_t>(maxCount)) return fail(env, "maxCount must be a whole number");
  if (bytes.ByteLength() > 0xffffffffu) return fail(env, "at most 4 GiB of bytes at a time");
  static thread_local custos::SplitObjects split;
  custos::splitObjects(bytes.Data(), bytes.ByteLength(), static_cast<size_t>(from), static_cast<size_t>(maxCount), split);
  const auto starts = copiedInto<Napi::Uint32Array>(env, split.starts);
  const auto ends = copiedInto<Napi::Uint32Array>(env, split.ends);
  const auto lineOffsets = copiedInto<Napi::Uint32Array>(env, split.lineOffsets);
  if (starts.IsEmpty() || ends.IsEmpty() || lineOffsets.IsEmpty()) return Napi::Value();
  Napi::Object out = Napi::Object::New(env);
  out.Set("count", Napi::Number::New(env, static_cast<double>(split.starts.size())));
  out.Set("next", Napi::Number::New(env, static_cast<double>(split.next)));
  out.Set("lines", Napi::Number::New(env, static_cast<double>(split.lines)));
  out.Set("starts", starts);
  out.Set("ends", ends);
  out.Set("lineOffsets", lineOffsets);
  return out;
}

Napi::Object Init(Napi::Env env, Napi::Object exports) {
  exports.Set("boxShrink", Napi::Function::New(env, BoxShrink));
  exports.Set("sortKeys", Napi::Function::New(env, SortKeys));
  exports.Set("recordKeys", Napi::Function::New(env, RecordKeys));
  exports.Set("gatherKeys", Napi::Function::New(env, GatherKeys));
  exports.Set("packVicsMedia", Napi::Function::New(env, PackVicsMedia));
  exports.Set("splitJsonObjects", Napi::Function::New(env, SplitJsonObjects));
  exports.Set("pdqDownsample", Napi::Function::New(env, PdqDownsample));
  exports.Set("blockhashBlocks", Napi::Function::New(env, BlockhashBlocks));
  exports.Set("areaResize", Napi::Function::New(env, AreaResize));
  exports.Set("imagePass", Napi::Function::New(env, ImagePass));
  exports.Set("digestChunks", Napi::Function::New(env, DigestChunks));
  exports.Set("sha256Update", Napi::Function::New(env, Sha256Update));
  exports.Set("md5Lanes", Napi::Number::New(env, custos::md5Lanes()));
  exports.Set("shaExtensions", Napi::Boolean::New(env, custos::shaExtensions()));
  Napi::Function hammingIndex = HammingIndexObject::Define(env);
  auto* data = new AddonData();
  data->hammingIndex = Napi::Persistent(hammingIndex);
  env.SetInstanceData(data);
  exports.Set("HammingIndex", hammingIndex);
  return exports;
}

}  // namespace

NODE_API_MODULE(custos_native, Init)
