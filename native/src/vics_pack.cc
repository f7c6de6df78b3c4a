// VICS media records packed for the store without a JavaScript object per record: the common,
// well-formed shape only. The TypeScript reader (electron/matching/importers/vics-media.ts and
// reader-thread/pack.ts) is the reference; this gives byte for byte what it gives for the records
// it takes, and declines (stops, for the caller to read that record in TypeScript) any record
// with something it does not take: escapes in a string it keeps or compares (values it leaves
// out, such as odata.id, may have them), numbers that are not plain whole numbers, flags and
// numbers in strings other than the reference's words and digits, AlternativeHashes other than
// PDQ (no quality), PhotoDNA, SHA1, SHA256 and Blockhash under those exact names, MediaFiles that
// add an entry, repeated or integer-like keys, blank strings other than "", and anything
// malformed (so every message about a bad record comes from one place).
#include "vics_pack.h"

#include <cstring>
#include <string_view>

namespace custos {
namespace {

constexpr size_t kStride = 68;  // SHA-256, SHA-1, MD5 (reader-thread/protocol.ts ENTRY_STRIDE)
constexpr size_t kPresent = 132;
constexpr size_t kCategory = 133;
constexpr int64_t kMaxSafe = 9007199254740991LL;

enum class Kind { Absent, Null, True, False, Int, String, Array, Object };

struct Value {
  Kind kind = Kind::Absent;
  int64_t number = 0;
  std::string_view text;  // a string's raw bytes (between the quotes), or an array's / object's whole JSON
  bool escaped = false;   // a string with escapes: its raw bytes are not its value
};

struct Digest {
  bool present = false;
  uint8_t bytes[32];
};

struct HexTable {
  int8_t value[256];
  constexpr HexTable() : value() {
    for (int i = 0; i < 256; i++) value[i] = -1;
    for (int i = 0; i < 10; i++) value['0' + i] = static_cast<int8_t>(i);
    for (int i = 0; i < 6; i++) {
      value['a' + i] = static_cast<int8_t>(10 + i);
      value['A' + i] = static_cast<int8_t>(10 + i);
    }
  }
};
constexpr HexTable kHex;

inline int hexValue(char c) { return kHex.value[static_cast<unsigned char>(c)]; }

// A digest field: absent, null and "" are no digest; anything else must be exactly 2n hex digits.
bool digestOf(const Value& v, size_t n, Digest& out) {
  if (v.kind == Kind::Absent || v.kind == Kind::Null) return true;
  if (v.kind != Kind::String || v.escaped) return false;
  if (v.text.empty()) return true;
  if (v.text.size() != n * 2) return false;
  for (size_t i = 0; i < n; i++) {
    const int hi = hexValue(v.text[2 * i]);
    const int lo = hexValue(v.text[2 * i + 1]);
    if (hi < 0 || lo < 0) return false;
    out.bytes[i] = static_cast<uint8_t>(hi << 4 | lo);
  }
  out.present = true;
  return true;
}

// Text fields (PhotoDNA, Series, a file name): null, absent and "" are none; a string is taken as
// it is unless it is blank (the reference trims to decide that).
bool textOf(const Value& v, std::string_view& out, bool& present) {
  present = false;
  if (v.kind == Kind::Absent || v.kind == Kind::Null) return true;
  if (v.kind != Kind::String || v.escaped) return false;
  if (v.text.empty()) return true;
  for (char c : v.text) {
    if (c != ' ' && c != '\t' && c != '\n' && c != '\r') {
      out = v.text;
      present = true;
      return true;
    }
  }
  return false;
}

// A whole number >= 0 as the reference reads one (values.ts wholeNumber): a JSON number, or 1-15
// digits in a string; null, absent and "" are none. Anything else (a sign, spaces) is declined.
bool wholeOf(const Value& v, int64_t& out, bool& present) {
  present = false;
  if (v.kind == Kind::Absent || v.kind == Kind::Null) return true;
  if (v.kind == Kind::Int) {
    out = v.number;
    present = true;
    return true;
  }
  if (v.kind != Kind::String || v.escaped) return false;
  if (v.text.empty()) return true;
  if (v.text.size() > 15) return false;
  int64_t n = 0;
  for (const char c : v.text) {
    if (c < '0' || c > '9') return false;
    n = n * 10 + (c - '0');
  }
  out = n;
  present = true;
  return true;
}

enum class Flag { None, True, False };

bool wordIs(std::string_view text, const char* word) {
  const size_t n = std::strlen(word);
  if (text.size() != n) return false;
  for (size_t i = 0; i < n; i++) {
    const char c = text[i] >= 'A' && text[i] <= 'Z' ? static_cast<char>(text[i] - 'A' + 'a') : text[i];
    if (c != word[i]) return false;
  }
  return true;
}

// A flag as the reference reads one (values.ts flag): a JSON boolean, 1 or 0, or a word in any
// case; null, absent and "" are none. Anything else is declined.
bool flagOf(const Value& v, Flag& out) {
  out = Flag::None;
  if (v.kind == Kind::Absent || v.kind == Kind::Null) return true;
  if (v.kind == Kind::True || v.kind == Kind::False) {
    out = v.kind == Kind::True ? Flag::True : Flag::False;
    return true;
  }
  if (v.kind == Kind::Int) {
    if (v.number > 1) return false;
    out = v.number == 1 ? Flag::True : Flag::False;
    return true;
  }
  if (v.kind != Kind::String || v.escaped) return false;
  if (v.text.empty()) return true;
  for (const char* word : {"true", "yes", "y", "1", "t"}) {
    if (wordIs(v.text, word)) return (out = Flag::True, true);
  }
  for (const char* word : {"false", "no", "n", "0", "f"}) {
    if (wordIs(v.text, word)) return (out = Flag::False, true);
  }
  return false;
}

class Parser {
 public:
  Parser(const char* p, const char* end) : p_(p), end_(end) {}

  void ws() {
    while (p_ < end_ && (*p_ == ' ' || *p_ == '\t' || *p_ == '\n' || *p_ == '\r')) p_++;
  }
  bool eat(char c) {
    ws();
    if (p_ < end_ && *p_ == c) {
      p_++;
      return true;
    }
    return false;
  }
  bool peek(char c) {
    ws();
    return p_ < end_ && *p_ == c;
  }
  bool atEnd() {
    ws();
    return p_ == end_;
  }

  // A string with valid escapes and no control characters (valid UTF-8 is the caller's: it
  // encoded it); `escaped` says whether it has escapes, which only values left out may have.
  bool string(std::string_view& out, bool& escaped) {
    if (!eat('"')) return false;
    const char* start = p_;
    escaped = false;
    while (p_ < end_ && *p_ != '"') {
      const unsigned char c = static_cast<unsigned char>(*p_);
      if (c < 0x20) return false;
      if (c == '\\') {
        escaped = true;
        if (++p_ == end_) return false;
        const char e = *p_;
        if (e == 'u') {
          if (end_ - p_ < 5) return false;
          for (int i = 1; i <= 4; i++) {
            if (hexValue(p_[i]) < 0) return false;
          }
          p_ += 4;
        } else if (e != '"' && e != '\\' && e != '/' && e != 'b' && e != 'f' && e != 'n' && e != 'r' && e != 't') {
          return false;
        }
      }
      p_++;
    }
    if (p_ == end_) return false;
    out = std::string_view(start, static_cast<size_t>(p_ - start));
    p_++;
    return true;
  }

  bool literal(const char* word) {
    const size_t n = std::strlen(word);
    if (static_cast<size_t>(end_ - p_) < n || std::memcmp(p_, word, n) != 0) return false;
    p_ += n;
    return true;
  }

  // Any value; numbers only as plain whole numbers up to 2^53 - 1 (no sign, fraction or exponent).
  bool value(Value& v) {
    ws();
    if (p_ == end_) return false;
    const char c = *p_;
    if (c == '"') {
      v.kind = Kind::String;
      return string(v.text, v.escaped);
    }
    if (c == '{' || c == '[') {
      const char* start = p_;
      // Deeper than any record of the shape taken here: the reference reads it, on its own stack.
      if (depth_ == kMaxDepth) return false;
      depth_++;
      const bool ok = skipContainer();
      depth_--;
      if (!ok) return false;
      v.kind = c == '{' ? Kind::Object : Kind::Array;
      v.text = std::string_view(start, static_cast<size_t>(p_ - start));
      return true;
    }
    if (c == 'n') return (v.kind = Kind::Null, literal("null"));
    if (c == 't') return (v.kind = Kind::True, literal("true"));
    if (c == 'f') return (v.kind = Kind::False, literal("false"));
    if (c >= '0' && c <= '9') {
      const char* start = p_;
      int64_t n = 0;
      while (p_ < end_ && *p_ >= '0' && *p_ <= '9') {
        if (p_ - start >= 16) return false;
        n = n * 10 + (*p_ - '0');
        p_++;
      }
      if ((p_ - start > 1 && *start == '0') || n > kMaxSafe) return false;
      if (p_ < end_ && (*p_ == '.' || *p_ == 'e' || *p_ == 'E')) return false;
      v.kind = Kind::Int;
      v.number = n;
      v.text = std::string_view(start, static_cast<size_t>(p_ - start));
      return true;
    }
    return false;
  }

  // The members of the object that comes next, each handed to `each(key, value)`; false when the
  // object is not well formed or `each` says no. Keys with escapes only where `escapedKeys`.
  template <typename Each>
  bool members(bool escapedKeys, Each&& each) {
    if (!eat('{')) return false;
    if (eat('}')) return true;
    for (;;) {
      std::string_view name;
      bool escaped = false;
      Value v;
      if (!string(name, escaped) || (escaped && !escapedKeys) || !eat(':') || !value(v) || !each(name, v)) return false;
      if (eat('}')) return true;
      if (!eat(',')) return false;
    }
  }

  // The elements of the array that comes next, each read by `each()` from this parser.
  template <typename Each>
  bool elements(Each&& each) {
    if (!eat('[')) return false;
    if (eat(']')) return true;
    for (;;) {
      if (!each()) return false;
      if (eat(']')) return true;
      if (!eat(',')) return false;
    }
  }

 private:
  bool skipContainer() {
    if (*p_ == '{') return members(true, [](std::string_view, const Value&) { return true; });
    return elements([this] {
      Value v;
      return value(v);
    });
  }

  static constexpr int kMaxDepth = 16;
  const char* p_;
  const char* end_;
  int depth_ = 0;
};

bool isFlagKey(std::string_view k) {
  return k == "IsPrecategorized" || k == "IsDistributed" || k == "OffenderIdentified" || k == "IsSuspected" || k == "SelfGenerated";
}

bool isMappedKey(std::string_view k) {
  return k == "MD5" || k == "SHA1" || k == "SHA256" || k == "PhotoDNA" || k == "PDQ" || k == "PDQQuality" || k == "Category" || k == "Series" ||
         k == "VictimIdentified" || k == "MediaSize";
}

bool integerLike(std::string_view k) {
  if (k.empty()) return false;
  for (char c : k) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

void appendHex(std::string& out, const uint8_t* bytes, size_t n) {
  static const char* digits = "0123456789abcdef";
  char buffer[2 * 32 + 2];
  buffer[0] = '"';
  for (size_t i = 0; i < n; i++) {
    buffer[1 + 2 * i] = digits[bytes[i] >> 4];
    buffer[2 + 2 * i] = digits[bytes[i] & 15];
  }
  buffer[1 + 2 * n] = '"';
  out.append(buffer, 2 * n + 2);
}

void appendText(std::string& out, std::string_view text) {
  out.push_back('"');
  out.append(text);
  out.push_back('"');
}

void appendHexOrNull(std::string& out, const Digest& d, size_t n) {
  if (d.present) appendHex(out, d.bytes, n);
  else out.append("null");
}

void appendTextOrNull(std::string& out, bool present, std::string_view text) {
  if (present) appendText(out, text);
  else out.append("null");
}

void appendNumberOrNull(std::string& out, bool present, int64_t n) {
  out.append(present ? std::to_string(n) : "null");
}

struct Alternatives {
  Digest sha1, sha256, pdq, blockhash;
  bool photoDnaPresent = false;
  std::string_view photoDna;
};

// One alternative hash under the reference's exact spellings; a blank value is passed over
// whatever its name, as the reference does.
bool alternative(const Value& name, const Value& hash, Alternatives& alt) {
  if (hash.kind == Kind::Absent || hash.kind == Kind::Null || (hash.kind == Kind::String && hash.text.empty())) return true;
  if (name.kind != Kind::String || hash.kind != Kind::String) return false;
  Digest d;
  if (name.text == "PDQ") {
    if (hash.text.size() != 64 || !digestOf(hash, 32, d)) return false;
    alt.pdq = d;
  } else if (name.text == "SHA1") {
    if (!digestOf(hash, 20, d)) return false;
    alt.sha1 = d;
  } else if (name.text == "SHA256") {
    if (!digestOf(hash, 32, d)) return false;
    alt.sha256 = d;
  } else if (name.text == "Blockhash") {
    if (!digestOf(hash, 32, d)) return false;
    alt.blockhash = d;
  } else if (name.text == "PhotoDNA") {
    bool present = false;
    if (!textOf(hash, alt.photoDna, present) || !present) return false;
    alt.photoDnaPresent = true;
  } else {
    return false;  // kept in extra by the reference
  }
  return true;
}

// AlternativeHashes: an array of { HashName, HashValue }.
bool alternatives(const Value& v, Alternatives& alt) {
  if (v.kind == Kind::Absent || v.kind == Kind::Null) return true;
  if (v.kind != Kind::Array) return false;
  Parser p(v.text.data(), v.text.data() + v.text.size());
  return p.elements([&] {
    Value name, hash;
    const bool read = p.members(false, [&](std::string_view key, const Value& item) {
      if (item.escaped) return false;
      if (key == "HashName" && name.kind == Kind::Absent) name = item;
      else if (key == "HashValue" && hash.kind == Kind::Absent) hash = item;
      else return false;
      return true;
    });
    return read && alternative(name, hash, alt);
  });
}

bool sameValue(const Value& a, const Value& b) {
  if (a.kind != b.kind || a.escaped || b.escaped) return false;
  if (a.kind == Kind::String || a.kind == Kind::Int) return a.text == b.text;
  return a.kind == Kind::Absent || a.kind == Kind::Null || a.kind == Kind::True || a.kind == Kind::False;
}

// MediaFiles that add no entry (each the media's MD5, no SHA1 or SHA256): the first gives the name.
bool mediaFiles(const Value& v, const Value& mediaMd5, std::string_view& firstName, bool& hasName) {
  hasName = false;
  if (v.kind == Kind::Absent || v.kind == Kind::Null) return true;
  // Not an array: the reference reads no files (a scalar is kept in extra, an object left out).
  if (v.kind != Kind::Array) return true;
  Parser p(v.text.data(), v.text.data() + v.text.size());
  bool firstFile = true;
  return p.elements([&] {
    Value md5;
    Value fileName;
    bool other = false;
    const bool read = p.members(false, [&](std::string_view key, const Value& item) {
      if (key == "MD5") {
        if (md5.kind != Kind::Absent) return false;
        md5 = item;
      } else if (key == "SHA1" || key == "SHA256") {
        other = true;
      } else if (key == "FileName") {
        if (fileName.kind != Kind::Absent) return false;
        fileName = item;
      }
      return true;
    });
    if (!read || other || !sameValue(md5, mediaMd5)) return false;
    if (firstFile && !textOf(fileName, firstName, hasName)) return false;
    firstFile = false;
    return true;
  });
}

// One record into `out`; false (and `out` untouched) when the reference must read it.
bool packRecord(const char* begin, const char* end, VicsPacked& out) {
  Parser p(begin, end);
  Value md5v, sha1v, sha256v, pdqv, qualityv, photoDnav, categoryv, seriesv, victimv, sizev, altv, filesv;
  std::string_view keys[64];
  size_t keyCount = 0;
  // Reused from record to record: no allocation per record.
  static thread_local std::string extra;
  extra.clear();
  const bool read = p.members(false, [&](std::string_view key, const Value& v) {
    // JavaScript puts integer-like keys first and drops __proto__ from a plain object: not ours to mimic.
    if (keyCount == 64 || integerLike(key) || key == "__proto__") return false;
    for (size_t i = 0; i < keyCount; i++) {
      if (keys[i] == key) return false;
    }
    keys[keyCount++] = key;
    if (key == "MD5") md5v = v;
    else if (key == "SHA1") sha1v = v;
    else if (key == "SHA256") sha256v = v;
    else if (key == "PDQ") pdqv = v;
    else if (key == "PDQQuality") qualityv = v;
    else if (key == "PhotoDNA") photoDnav = v;
    else if (key == "Category") categoryv = v;
    else if (key == "Series") seriesv = v;
    else if (key == "VictimIdentified") victimv = v;
    else if (key == "MediaSize") sizev = v;
    else if (key == "AlternativeHashes") altv = v;
    else if (key == "MediaFiles") filesv = v;
    if (!isMappedKey(key) && key.find('@') == std::string_view::npos && key.substr(0, 6) != "odata.") {
      // extra: scalars under their names; null, "", objects and arrays left out.
      const bool skipped = v.kind == Kind::Null || v.kind == Kind::Object || v.kind == Kind::Array || (v.kind == Kind::String && v.text.empty());
      if (!skipped) {
        if (v.escaped) return false;
        extra.push_back(extra.empty() ? '{' : ',');
        appendText(extra, key);
        extra.push_back(':');
        if (isFlagKey(key)) {
          // Schema booleans, words and 1/0 normalised (a blank or unknown word: declined).
          Flag f;
          if (!flagOf(v, f) || f == Flag::None) return false;
          extra.append(f == Flag::True ? "true" : "false");
        } else if (key == "MediaID") {
          int64_t n = 0;
          bool present = false;
          if (!wholeOf(v, n, present) || !present) return false;
          extra.append(std::to_string(n));
        } else if (v.kind == Kind::String) {
          appendText(extra, v.text);
        } else if (v.kind == Kind::Int) {
          extra.append(v.text);
        } else {
          extra.append(v.kind == Kind::True ? "true" : "false");
        }
      }
    }
    return true;
  });
  if (!read) return false;
  if (!p.atEnd()) return false;

  Alternatives alt;
  if (!alternatives(altv, alt)) return false;
  Digest md5, sha1, sha256, pdq;
  if (!digestOf(md5v, 16, md5) || !digestOf(sha1v, 20, sha1) || !digestOf(sha256v, 32, sha256) || !digestOf(pdqv, 32, pdq)) return false;
  if (!sha1.present) sha1 = alt.sha1;
  if (!sha256.present) sha256 = alt.sha256;
  if (!pdq.present) pdq = alt.pdq;
  int64_t quality = 0, category = 0, size = 0;
  bool hasQuality = false, hasCategory = false, hasSize = false, hasPhotoDna = false, hasSeries = false;
  if (!wholeOf(qualityv, quality, hasQuality) || (hasQuality && quality > 100)) return false;
  if (!wholeOf(categoryv, category, hasCategory) || !wholeOf(sizev, size, hasSize)) return false;
  std::string_view photoDna, series, fileName;
  if (photoDnav.kind == Kind::String && photoDnav.text.empty()) return false;  // the reference's blank: take the alternative
  if (!textOf(photoDnav, photoDna, hasPhotoDna)) return false;
  if (!hasPhotoDna && alt.photoDnaPresent) {
    photoDna = alt.photoDna;
    hasPhotoDna = true;
  }
  if (!textOf(seriesv, series, hasSeries)) return false;
  Flag victim = Flag::None;
  if (!flagOf(victimv, victim)) return false;
  bool hasName = false;
  if (!mediaFiles(filesv, md5v, fileName, hasName)) return false;
  if (!md5.present && !sha1.present && !sha256.present && !pdq.present && !alt.blockhash.present && !hasPhotoDna) return false;

  // The entry, as pack.ts writes it.
  const size_t at = out.digests.size();
  out.digests.resize(at + kStride, 0);
  if (sha256.present) std::memcpy(&out.digests[at], sha256.bytes, 32);
  if (sha1.present) std::memcpy(&out.digests[at + 32], sha1.bytes, 20);
  if (md5.present) std::memcpy(&out.digests[at + 52], md5.bytes, 16);

  const size_t id = out.identities.size();
  out.identities.resize(id + kVicsIdentityWidth, 0);
  uint8_t present = 0;
  const Digest* fields[5] = {&md5, &sha1, &sha256, &pdq, &alt.blockhash};
  const size_t offsets[5] = {0, 16, 36, 68, 100};
  const size_t widths[5] = {16, 20, 32, 32, 32};
  for (int k = 0; k < 5; k++) {
    if (!fields[k]->present) continue;
    present |= static_cast<uint8_t>(1 << k);
    std::memcpy(&out.identities[id + offsets[k]], fields[k]->bytes, widths[k]);
  }
  if (hasCategory) {
    present |= 1 << 5;
    // As Buffer.writeDoubleLE writes it, whatever the host's byte order.
    const double c = static_cast<double>(category);
    uint64_t bits;
    std::memcpy(&bits, &c, 8);
    for (int b = 0; b < 8; b++) out.identities[id + kCategory + b] = static_cast<uint8_t>(bits >> (8 * b));
  }
  out.identities[id + kPresent] = present;

  // [pdq, quality, PhotoDNA, category, series, victim, file name, size, extra, blockhash], as pack.ts writes it.
  std::string& r = out.rows;
  if (out.entries > 0) r.push_back(',');
  r.push_back('[');
  appendHexOrNull(r, pdq, 32);
  r.push_back(',');
  appendNumberOrNull(r, pdq.present && hasQuality, quality);
  r.push_back(',');
  appendTextOrNull(r, hasPhotoDna, photoDna);
  r.push_back(',');
  appendNumberOrNull(r, hasCategory, category);
  r.push_back(',');
  appendTextOrNull(r, hasSeries, series);
  r.push_back(',');
  r.append(victim == Flag::True ? "1" : victim == Flag::False ? "0" : "null");
  r.push_back(',');
  appendTextOrNull(r, hasName, fileName);
  r.push_back(',');
  appendNumberOrNull(r, hasSize, size);
  r.push_back(',');
  if (extra.empty()) r.append("null");
  else r.append(extra).push_back('}');
  r.push_back(',');
  appendHexOrNull(r, alt.blockhash, 32);
  r.push_back(']');
  out.entries++;
  out.categorised = out.categorised || hasCategory;
  return true;
}

}  // namespace

size_t packVicsMedia(const char* text, const uint32_t* starts, const uint32_t* ends, size_t count, size_t start, VicsPacked& out) {
  size_t i = start;
  for (; i < count; i++) {
    const char* begin = text + (starts != nullptr ? starts[i] : i == 0 ? 0 : ends[i - 1]);
    const char* end = text + ends[i];
    if (!packRecord(begin, end, out)) break;
  }
  return i;
}

}  // namespace custos
