/*
 * custos_rows: a SQLite table-valued function over a JSON array of arrays, one result row per
 * inner array, its first ROW_COLUMNS elements as the columns v0..v9, each the SQL value that
 * `value ->> n` over jsonb_each would give. Given a second argument, 68 bytes a row of packed
 * digests (SHA-256, SHA-1, MD5; zeros where absent), it also gives them as d0..d2, NULL where
 * zeros, as `nullif(substr(...), zeroblob(n))` would, without that expression's cost per row.
 *
 * A hash-set import writes its chunks of entries through it (store/repositories/hashsets.ts):
 * extracting ten fields per row with `->>` cost SQLite more than writing the row, and this reads
 * each row once, in order (ORDER BY key is consumed).
 *
 * Loaded into the store's connections as a SQLite extension (store/database.ts); it is C against
 * sqlite3ext.h alone, so it does not depend on Node's ABI. Values are read as SQLite's own JSON
 * functions read them: null, true (1), false (0), integers (REAL past 64 bits), reals, strings
 * unescaped (a lone surrogate kept as its three-byte form), and an object or array as its text,
 * which the caller normalises with json() where it stores one. Anything else ends the statement
 * with an error naming the offset: chunks are written by the reader thread, so that is a bug.
 */
#include <sqlite3ext.h>
SQLITE_EXTENSION_INIT1

#include <locale.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define ROW_COLUMNS 10
/* With a second argument, each row's digests: 68-byte records (SHA-256, SHA-1, MD5), as columns d0..d2. */
#define DIGEST_RECORD 68
#define DIGEST_COLUMNS 3
#define COLUMN_KEY 0
#define COLUMN_DIGEST0 (1 + ROW_COLUMNS)
#define COLUMN_ROWS (COLUMN_DIGEST0 + DIGEST_COLUMNS)
#define COLUMN_DIGESTS (COLUMN_ROWS + 1)
#define INDEX_ROWS 1
#define INDEX_DIGESTS 2

static const int DIGEST_AT[DIGEST_COLUMNS] = {0, 32, 52};
static const int DIGEST_BYTES[DIGEST_COLUMNS] = {32, 20, 16};
static const unsigned char ZEROS[32] = {0};

typedef enum { KIND_NULL, KIND_INT, KIND_REAL, KIND_TEXT, KIND_JSON } Kind;

typedef struct {
  Kind kind;
  sqlite3_int64 i;
  double r;
  /* Text: from `text` (or the cursor's scratch when it had escapes) at `at`, `n` bytes. */
  int scratch;
  size_t at;
  size_t n;
} Value;

typedef struct {
  sqlite3_vtab_cursor base;
  char *text; /* a copy of the argument, NUL-terminated */
  size_t len;
  size_t pos;
  sqlite3_int64 key;
  int eof;
  int last; /* the row in hand is the array's last */
  Value values[ROW_COLUMNS];
  unsigned char *digests; /* a copy of the second argument, or NULL */
  size_t digestsLen;
  char *scratch;
  size_t scratchLen, scratchCap;
} Cursor;

static int isSpace(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

static void skipSpace(Cursor *c) {
  while (c->pos < c->len && isSpace(c->text[c->pos])) c->pos++;
}

static int fail(Cursor *c, const char *what) {
  sqlite3_vtab *vtab = c->base.pVtab;
  sqlite3_free(vtab->zErrMsg);
  vtab->zErrMsg = sqlite3_mprintf("custos_rows: %s at byte %lld", what, (long long)c->pos);
  return SQLITE_ERROR;
}

static int scratchReserve(Cursor *c, size_t more) {
  if (c->scratchLen + more <= c->scratchCap) return SQLITE_OK;
  size_t cap = c->scratchCap == 0 ? 4096 : c->scratchCap;
  while (cap < c->scratchLen + more) cap *= 2;
  char *grown = sqlite3_realloc64(c->scratch, cap);
  if (grown == NULL) return SQLITE_NOMEM;
  c->scratch = grown;
  c->scratchCap = cap;
  return SQLITE_OK;
}

static int hexValue(char h) {
  if (h >= '0' && h <= '9') return h - '0';
  if (h >= 'a' && h <= 'f') return h - 'a' + 10;
  if (h >= 'A' && h <= 'F') return h - 'A' + 10;
  return -1;
}

/* Four hex digits at `at`, or -1. */
static long hex4(const Cursor *c, size_t at) {
  if (at + 4 > c->len) return -1;
  long v = 0;
  for (size_t k = 0; k < 4; k++) {
    int d = hexValue(c->text[at + k]);
    if (d < 0) return -1;
    v = v * 16 + d;
  }
  return v;
}

static void putUtf8(Cursor *c, unsigned long cp) {
  char *o = c->scratch + c->scratchLen;
  if (cp < 0x80) {
    o[0] = (char)cp;
    c->scratchLen += 1;
  } else if (cp < 0x800) {
    o[0] = (char)(0xC0 | (cp >> 6));
    o[1] = (char)(0x80 | (cp & 0x3F));
    c->scratchLen += 2;
  } else if (cp < 0x10000) {
    o[0] = (char)(0xE0 | (cp >> 12));
    o[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
    o[2] = (char)(0x80 | (cp & 0x3F));
    c->scratchLen += 3;
  } else {
    o[0] = (char)(0xF0 | (cp >> 18));
    o[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
    o[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
    o[3] = (char)(0x80 | (cp & 0x3F));
    c->scratchLen += 4;
  }
}

/* A string from its opening quote; escapes are written out into the scratch buffer. */
static int readString(Cursor *c, Value *v) {
  size_t start = ++c->pos;
  size_t end = start;
  while (end < c->len && c->text[end] != '"' && c->text[end] != '\\') end++;
  if (end < c->len && c->text[end] == '"') {
    v->kind = KIND_TEXT;
    v->scratch = 0;
    v->at = start;
    v->n = end - start;
    c->pos = end + 1;
    return SQLITE_OK;
  }
  /* Escaped: the unescaped text is never longer than the escaped one. */
  size_t close = end;
  while (close < c->len && c->text[close] != '"') close += c->text[close] == '\\' ? 2 : 1;
  if (close >= c->len) return fail(c, "unterminated string");
  int rc = scratchReserve(c, close - start);
  if (rc != SQLITE_OK) return rc;
  v->kind = KIND_TEXT;
  v->scratch = 1;
  v->at = c->scratchLen;
  memcpy(c->scratch + c->scratchLen, c->text + start, end - start);
  c->scratchLen += end - start;
  size_t p = end;
  while (p < close) {
    char ch = c->text[p];
    if (ch != '\\') {
      c->scratch[c->scratchLen++] = ch;
      p++;
      continue;
    }
    char e = c->text[p + 1];
    p += 2;
    switch (e) {
      case '"': c->scratch[c->scratchLen++] = '"'; break;
      case '\\': c->scratch[c->scratchLen++] = '\\'; break;
      case '/': c->scratch[c->scratchLen++] = '/'; break;
      case 'b': c->scratch[c->scratchLen++] = '\b'; break;
      case 'f': c->scratch[c->scratchLen++] = '\f'; break;
      case 'n': c->scratch[c->scratchLen++] = '\n'; break;
      case 'r': c->scratch[c->scratchLen++] = '\r'; break;
      case 't': c->scratch[c->scratchLen++] = '\t'; break;
      case 'u': {
        long unit = hex4(c, p);
        if (unit < 0) {
          c->pos = p;
          return fail(c, "bad \\u escape");
        }
        p += 4;
        unsigned long cp = (unsigned long)unit;
        if (unit >= 0xD800 && unit <= 0xDBFF && p + 6 <= close && c->text[p] == '\\' && c->text[p + 1] == 'u') {
          long low = hex4(c, p + 2);
          if (low >= 0xDC00 && low <= 0xDFFF) {
            cp = 0x10000 + (((unsigned long)unit - 0xD800) << 10) + ((unsigned long)low - 0xDC00);
            p += 6;
          }
        }
        putUtf8(c, cp);
        break;
      }
      default:
        c->pos = p - 1;
        return fail(c, "unsupported escape");
    }
  }
  v->n = c->scratchLen - v->at;
  c->pos = close + 1;
  return SQLITE_OK;
}

static int isDigit(char ch) { return ch >= '0' && ch <= '9'; }

/* Reals are parsed in the C locale whatever the process's (Chromium keeps LC_NUMERIC as "C", Node too; this does not rely on it). */
static double parseReal(const char *from) {
#if defined(__GLIBC__) || defined(__APPLE__)
  static locale_t cLocale = (locale_t)0;
  if (cLocale == (locale_t)0) cLocale = newlocale(LC_ALL_MASK, "C", (locale_t)0);
  if (cLocale != (locale_t)0) return strtod_l(from, NULL, cLocale);
#elif defined(_WIN32)
  static _locale_t cLocale = NULL;
  if (cLocale == NULL) cLocale = _create_locale(LC_ALL, "C");
  if (cLocale != NULL) return _strtod_l(from, NULL, cLocale);
#endif
  return strtod(from, NULL);
}

static int readNumber(Cursor *c, Value *v) {
  size_t start = c->pos, p = c->pos;
  int negative = 0;
  if (c->text[p] == '-') {
    negative = 1;
    p++;
  }
  if (p >= c->len || !isDigit(c->text[p])) return fail(c, "bad number");
  if (c->text[p] == '0' && p + 1 < c->len && isDigit(c->text[p + 1])) return fail(c, "bad number");
  uint64_t magnitude = 0;
  int overflow = 0;
  while (p < c->len && isDigit(c->text[p])) {
    unsigned d = (unsigned)(c->text[p] - '0');
    if (magnitude > (UINT64_MAX - d) / 10) overflow = 1;
    else magnitude = magnitude * 10 + d;
    p++;
  }
  int real = 0;
  if (p < c->len && c->text[p] == '.') {
    real = 1;
    p++;
    if (p >= c->len || !isDigit(c->text[p])) return fail(c, "bad number");
    while (p < c->len && isDigit(c->text[p])) p++;
  }
  if (p < c->len && (c->text[p] == 'e' || c->text[p] == 'E')) {
    real = 1;
    p++;
    if (p < c->len && (c->text[p] == '+' || c->text[p] == '-')) p++;
    if (p >= c->len || !isDigit(c->text[p])) return fail(c, "bad number");
    while (p < c->len && isDigit(c->text[p])) p++;
  }
  c->pos = p;
  uint64_t limit = negative ? (uint64_t)INT64_MAX + 1 : (uint64_t)INT64_MAX;
  if (!real && !overflow && magnitude <= limit) {
    v->kind = KIND_INT;
    v->i = negative ? (sqlite3_int64)(0 - magnitude) : (sqlite3_int64)magnitude;
    return SQLITE_OK;
  }
  /* The copy is NUL-terminated, and the token ends at a delimiter: strtod stops there. */
  v->kind = KIND_REAL;
  v->r = parseReal(c->text + start);
  return SQLITE_OK;
}

/* An object or array, kept as its text (brackets matched outside strings). */
static int readContainer(Cursor *c, Value *v) {
  size_t start = c->pos;
  size_t depth = 0;
  for (size_t p = c->pos; p < c->len; p++) {
    char ch = c->text[p];
    if (ch == '"') {
      for (p++; p < c->len && c->text[p] != '"'; p++)
        if (c->text[p] == '\\') p++;
      if (p >= c->len) break;
    } else if (ch == '{' || ch == '[') {
      depth++;
    } else if (ch == '}' || ch == ']') {
      if (--depth == 0) {
        v->kind = KIND_JSON;
        v->scratch = 0;
        v->at = start;
        v->n = p + 1 - start;
        c->pos = p + 1;
        return SQLITE_OK;
      }
    }
  }
  return fail(c, "unterminated object or array");
}

static int matchWord(Cursor *c, const char *word) {
  size_t n = strlen(word);
  if (c->pos + n > c->len || memcmp(c->text + c->pos, word, n) != 0) return 0;
  c->pos += n;
  return 1;
}

static int readValue(Cursor *c, Value *v) {
  char ch = c->text[c->pos];
  switch (ch) {
    case '"': return readString(c, v);
    case '{':
    case '[': return readContainer(c, v);
    case 'n':
      if (!matchWord(c, "null")) break;
      v->kind = KIND_NULL;
      return SQLITE_OK;
    case 't':
      if (!matchWord(c, "true")) break;
      v->kind = KIND_INT;
      v->i = 1;
      return SQLITE_OK;
    case 'f':
      if (!matchWord(c, "false")) break;
      v->kind = KIND_INT;
      v->i = 0;
      return SQLITE_OK;
    default:
      if (ch == '-' || isDigit(ch)) return readNumber(c, v);
  }
  return fail(c, "unexpected value");
}

/* Past whitespace, and past `ch` when it comes next. */
static int take(Cursor *c, char ch) {
  skipSpace(c);
  if (c->pos >= c->len || c->text[c->pos] != ch) return 0;
  c->pos++;
  return 1;
}

/* After the outer array's ']' only whitespace may come. */
static int endOfText(Cursor *c) {
  skipSpace(c);
  return c->pos == c->len ? SQLITE_OK : fail(c, "text after the array");
}

/* The inner array at pos into values[]; then past its ',' (or the outer ']', setting last). */
static int readRow(Cursor *c) {
  if (c->digests != NULL && (size_t)(c->key + 1) * DIGEST_RECORD > c->digestsLen) return fail(c, "more rows than digest records");
  c->scratchLen = 0;
  for (int k = 0; k < ROW_COLUMNS; k++) c->values[k].kind = KIND_NULL;
  if (!take(c, '[')) return fail(c, "expected a row array");
  if (!take(c, ']')) {
    for (int k = 0;; k++) {
      skipSpace(c);
      if (c->pos >= c->len) return fail(c, "unterminated row");
      Value spare;
      int rc = readValue(c, k < ROW_COLUMNS ? &c->values[k] : &spare);
      if (rc != SQLITE_OK) return rc;
      if (take(c, ',')) continue;
      if (take(c, ']')) break;
      return fail(c, "expected ',' or ']' in a row");
    }
  }
  if (take(c, ',')) return SQLITE_OK;
  if (take(c, ']')) {
    c->last = 1;
    return endOfText(c);
  }
  return fail(c, "expected ',' or ']' between rows");
}

static int rowsConnect(sqlite3 *db, void *aux, int argc, const char *const *argv, sqlite3_vtab **out, char **err) {
  (void)aux;
  (void)argc;
  (void)argv;
  (void)err;
  int rc = sqlite3_declare_vtab(db, "CREATE TABLE x(key INTEGER, v0, v1, v2, v3, v4, v5, v6, v7, v8, v9, d0 BLOB, d1 BLOB, d2 BLOB, rows HIDDEN, digests HIDDEN)");
  if (rc != SQLITE_OK) return rc;
  sqlite3_vtab *vtab = sqlite3_malloc(sizeof(*vtab));
  if (vtab == NULL) return SQLITE_NOMEM;
  memset(vtab, 0, sizeof(*vtab));
  sqlite3_vtab_config(db, SQLITE_VTAB_INNOCUOUS);
  *out = vtab;
  return SQLITE_OK;
}

static int rowsDisconnect(sqlite3_vtab *vtab) {
  sqlite3_free(vtab);
  return SQLITE_OK;
}

static int rowsOpen(sqlite3_vtab *vtab, sqlite3_vtab_cursor **out) {
  (void)vtab;
  Cursor *c = sqlite3_malloc(sizeof(*c));
  if (c == NULL) return SQLITE_NOMEM;
  memset(c, 0, sizeof(*c));
  c->eof = 1;
  *out = &c->base;
  return SQLITE_OK;
}

static int rowsClose(sqlite3_vtab_cursor *cursor) {
  Cursor *c = (Cursor *)cursor;
  sqlite3_free(c->text);
  sqlite3_free(c->digests);
  sqlite3_free(c->scratch);
  sqlite3_free(c);
  return SQLITE_OK;
}

static int rowsFilter(sqlite3_vtab_cursor *cursor, int idxNum, const char *idxStr, int argc, sqlite3_value **argv) {
  (void)idxStr;
  Cursor *c = (Cursor *)cursor;
  sqlite3_free(c->text);
  c->text = NULL;
  sqlite3_free(c->digests);
  c->digests = NULL;
  c->digestsLen = 0;
  c->len = c->pos = 0;
  c->key = 0;
  c->last = 0;
  c->eof = 1;
  if ((idxNum & INDEX_ROWS) == 0 || argc < 1 || sqlite3_value_type(argv[0]) == SQLITE_NULL) return SQLITE_OK;
  if ((idxNum & INDEX_DIGESTS) != 0 && argc >= 2 && sqlite3_value_type(argv[1]) != SQLITE_NULL) {
    int n = sqlite3_value_bytes(argv[1]);
    const void *blob = sqlite3_value_blob(argv[1]);
    /* Never NULL, even when empty: its presence is what says rows have digests. */
    c->digests = sqlite3_malloc64((sqlite3_uint64)n + 1);
    if (c->digests == NULL || (blob == NULL && n > 0)) return SQLITE_NOMEM;
    if (n > 0) memcpy(c->digests, blob, (size_t)n);
    c->digestsLen = (size_t)n;
  }
  const unsigned char *text = sqlite3_value_text(argv[0]);
  int bytes = sqlite3_value_bytes(argv[0]);
  if (text == NULL) return SQLITE_NOMEM;
  /* The argument lives only for this call: the rows are read from a copy. */
  c->text = sqlite3_malloc64((sqlite3_uint64)bytes + 1);
  if (c->text == NULL) return SQLITE_NOMEM;
  memcpy(c->text, text, (size_t)bytes);
  c->text[bytes] = '\0';
  c->len = (size_t)bytes;
  if (!take(c, '[')) return fail(c, "expected an array of rows");
  if (take(c, ']')) return endOfText(c);
  c->eof = 0;
  return readRow(c);
}

static int rowsNext(sqlite3_vtab_cursor *cursor) {
  Cursor *c = (Cursor *)cursor;
  if (c->last) {
    c->eof = 1;
    return SQLITE_OK;
  }
  c->key++;
  return readRow(c);
}

static int rowsEof(sqlite3_vtab_cursor *cursor) { return ((Cursor *)cursor)->eof; }

static int rowsColumn(sqlite3_vtab_cursor *cursor, sqlite3_context *ctx, int column) {
  Cursor *c = (Cursor *)cursor;
  if (column == COLUMN_KEY) {
    sqlite3_result_int64(ctx, c->key);
    return SQLITE_OK;
  }
  if (column >= COLUMN_DIGEST0 && column < COLUMN_DIGEST0 + DIGEST_COLUMNS) {
    /* A digest of all zeros is one the entry does not have. readRow made sure the record is there. */
    int d = column - COLUMN_DIGEST0;
    const unsigned char *digest = c->digests == NULL ? NULL : c->digests + (size_t)c->key * DIGEST_RECORD + DIGEST_AT[d];
    if (digest == NULL || memcmp(digest, ZEROS, (size_t)DIGEST_BYTES[d]) == 0)
      sqlite3_result_null(ctx);
    else
      sqlite3_result_blob(ctx, digest, DIGEST_BYTES[d], SQLITE_TRANSIENT);
    return SQLITE_OK;
  }
  if (column < 1 || column > ROW_COLUMNS) {
    sqlite3_result_null(ctx);
    return SQLITE_OK;
  }
  const Value *v = &c->values[column - 1];
  switch (v->kind) {
    case KIND_NULL: sqlite3_result_null(ctx); break;
    case KIND_INT: sqlite3_result_int64(ctx, v->i); break;
    case KIND_REAL: sqlite3_result_double(ctx, v->r); break;
    case KIND_TEXT:
    case KIND_JSON:
      sqlite3_result_text64(ctx, (v->scratch ? c->scratch : c->text) + v->at, v->n, SQLITE_TRANSIENT, SQLITE_UTF8);
      break;
  }
  return SQLITE_OK;
}

static int rowsRowid(sqlite3_vtab_cursor *cursor, sqlite_int64 *rowid) {
  *rowid = ((Cursor *)cursor)->key;
  return SQLITE_OK;
}

/* Needs rows = ? (and takes digests = ?); rows come in key order, so ORDER BY key needs no sort. */
static int rowsBestIndex(sqlite3_vtab *vtab, sqlite3_index_info *info) {
  (void)vtab;
  int rowsConstraint = -1, digestsConstraint = -1;
  for (int k = 0; k < info->nConstraint; k++) {
    const struct sqlite3_index_constraint *con = &info->aConstraint[k];
    if (con->iColumn != COLUMN_ROWS && con->iColumn != COLUMN_DIGESTS) continue;
    if (!con->usable) return SQLITE_CONSTRAINT;
    if (con->op != SQLITE_INDEX_CONSTRAINT_EQ) continue;
    if (con->iColumn == COLUMN_ROWS)
      rowsConstraint = k;
    else
      digestsConstraint = k;
  }
  if (rowsConstraint < 0) {
    info->idxNum = 0;
    info->estimatedCost = 1e99;
    return SQLITE_OK;
  }
  info->aConstraintUsage[rowsConstraint].argvIndex = 1;
  info->aConstraintUsage[rowsConstraint].omit = 1;
  info->idxNum = INDEX_ROWS;
  if (digestsConstraint >= 0) {
    info->aConstraintUsage[digestsConstraint].argvIndex = 2;
    info->aConstraintUsage[digestsConstraint].omit = 1;
    info->idxNum |= INDEX_DIGESTS;
  }
  info->estimatedCost = 1000;
  info->estimatedRows = 10000;
  if (info->nOrderBy == 1 && info->aOrderBy[0].iColumn == COLUMN_KEY && !info->aOrderBy[0].desc) info->orderByConsumed = 1;
  return SQLITE_OK;
}

static sqlite3_module rowsModule = {
    0,             /* iVersion */
    0,             /* xCreate: eponymous only */
    rowsConnect,   /* xConnect */
    rowsBestIndex, /* xBestIndex */
    rowsDisconnect,
    0, /* xDestroy */
    rowsOpen,
    rowsClose,
    rowsFilter,
    rowsNext,
    rowsEof,
    rowsColumn,
    rowsRowid,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
};

#ifdef _WIN32
__declspec(dllexport)
#endif
int sqlite3_custosrows_init(sqlite3 *db, char **err, const sqlite3_api_routines *api) {
  (void)err;
  SQLITE_EXTENSION_INIT2(api);
  return sqlite3_create_module(db, "custos_rows", &rowsModule, 0);
}
