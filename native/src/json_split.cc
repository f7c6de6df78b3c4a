// The elements of a VICS #Media array are found here, in the file's bytes, rather than by the
// TypeScript scanner character by character over a decoded string: their bytes then go to the
// media packer (vics_pack.cc) as they lie. Same boundaries and line numbers as json-scan.ts.
#include "json_split.h"

#include <cstring>

namespace custos {

namespace {

bool isSpace(uint8_t c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

// Strict UTF-8: no overlong forms, no surrogates, nothing past U+10FFFF.
bool validUtf8(const uint8_t* p, const uint8_t* end) {
  while (p < end) {
    const uint8_t c = *p;
    if (c < 0x80) {
      p++;
      continue;
    }
    size_t extra = 0;
    uint32_t min = 0, cp = 0;
    if (c >= 0xC2 && c <= 0xDF) extra = 1, min = 0x80, cp = c & 0x1F;
    else if (c >= 0xE0 && c <= 0xEF) extra = 2, min = 0x800, cp = c & 0x0F;
    else if (c >= 0xF0 && c <= 0xF4) extra = 3, min = 0x10000, cp = c & 0x07;
    else return false;
    if (static_cast<size_t>(end - p) <= extra) return false;
    for (size_t k = 1; k <= extra; k++) {
      if ((p[k] & 0xC0) != 0x80) return false;
      cp = (cp << 6) | (p[k] & 0x3F);
    }
    if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return false;
    p += extra + 1;
  }
  return true;
}

bool anyHighBit(const uint8_t* p, size_t n) {
  uint64_t any = 0;
  size_t i = 0;
  for (; i + 8 <= n; i += 8) {
    uint64_t word;
    std::memcpy(&word, p + i, 8);
    any |= word;
  }
  for (; i < n; i++) any |= p[i];
  return (any & 0x8080808080808080ULL) != 0;
}

// Just past the object at `start` ('{'), or 0 when it does not end within the text; its newlines
// outside strings into `lines`. A string is skipped to its closing quote with memchr (the quote
// after an even run of backslashes), as json-scan.ts skips it with indexOf.
size_t objectEnd(const uint8_t* text, size_t length, size_t start, size_t& lines) {
  size_t depth = 0;
  size_t newlines = 0;
  for (size_t i = start; i < length; i++) {
    const uint8_t c = text[i];
    if (c == '"') {
      size_t from = i + 1;
      for (;;) {
        const void* found = from < length ? std::memchr(text + from, '"', length - from) : nullptr;
        if (found == nullptr) return 0;
        const size_t quote = static_cast<size_t>(static_cast<const uint8_t*>(found) - text);
        // The opening quote ends the run of backslashes.
        size_t backslashes = 0;
        while (text[quote - 1 - backslashes] == '\\') backslashes++;
        if (backslashes % 2 == 0) {
          i = quote;
          break;
        }
        from = quote + 1;
      }
    } else if (c == '{' || c == '[') {
      depth++;
    } else if (c == '}' || c == ']') {
      if (--depth == 0) {
        lines = newlines;
        return i + 1;
      }
    } else if (c == '\n') {
      newlines++;
    }
  }
  return 0;
}

}  // namespace

void splitObjects(const uint8_t* text, size_t length, size_t from, size_t maxCount, SplitObjects& out) {
  out.clear();
  out.next = from;
  size_t p = from;
  size_t lines = 0;
  while (out.starts.size() < maxCount) {
    size_t at = p;
    size_t before = lines;
    while (at < length && isSpace(text[at])) before += text[at++] == '\n';
    if (at >= length || text[at] != '{') break;
    size_t inside = 0;
    const size_t end = objectEnd(text, length, at, inside);
    if (end == 0 || (anyHighBit(text + at, end - at) && !validUtf8(text + at, text + end))) break;
    out.starts.push_back(static_cast<uint32_t>(at));
    out.ends.push_back(static_cast<uint32_t>(end));
    out.lineOffsets.push_back(static_cast<uint32_t>(before));
    lines = before + inside;
    out.next = end;
    out.lines = lines;
    // A comma, then the next element; anything else is the scanner's.
    size_t after = end;
    size_t between = lines;
    while (after < length && isSpace(text[after])) between += text[after++] == '\n';
    if (after >= length || text[after] != ',') break;
    p = after + 1;
    lines = between;
  }
}

}  // namespace custos
