/*
 * custos_rds_chunk: the next chunk of an NSRL RDSv3 FILE table's distinct (sha256, sha1, md5)
 * groups, read in one pass along NIST's primary key and packed for the store as a hash-set import
 * writes it (electron/matching/importers/nsrl-rds3.ts). SQLite's own GROUP BY with min(), the
 * hex concatenation and json_group_array() cost twice the walk of the index itself; here each row
 * is looked at once and each group's digests are decoded as they are met.
 *
 *   custos_rds_chunk(table, max_groups, max_name_chars, max_json_bytes [, after_sha256, after_sha1, after_md5])
 *
 * returns a BLOB: six little-endian u32 (status, groups, rows, more, digest bytes, JSON bytes),
 * three u32 key lengths and the last group's sha256, sha1 and md5 as stored (the next chunk's lower
 * bound), then 68 bytes per group (SHA-256, SHA-1, MD5, zeros where a digest is absent) and the
 * JSON array of [file_name, file_size, package_id] per group: the least file name (cut as
 * substr(name, 1, max_name_chars) cuts it) with the size and package of its row. A chunk holds up
 * to max_groups groups, fewer once its JSON reaches max_json_bytes (names of thousands of escaped
 * characters could otherwise make one of hundreds of megabytes).
 *
 * Only the plain shape is taken: every digest absent (NULL or empty, as the exact query takes
 * them) or hex of its length, not all three absent, the name text, the package an integer or NULL.
 * Anything else gives status 1 and nothing else: the caller reads that chunk with its exact SQL
 * query, which counts and reports what is wrong, so both paths store the same entries.
 *
 * A chunk ends only after a group whose digests are all present: the next chunk's lower bound,
 * `(sha256, sha1, md5) > (...)`, then selects exactly the rows after it in index order (a NULL in
 * a row sorts first, so it is never where a row after the bound first differs from it).
 *
 * It is registered with SQLITE_DIRECTONLY: the RDS file is not ours, and a view or trigger in its
 * schema cannot call it.
 */
#include <sqlite3ext.h>
SQLITE_EXTENSION_INIT3

#include <stdint.h>
#include <string.h>

#define STATUS_OK 0
#define STATUS_EXACT 1
/* A chunk that finds no group with all its digests present within this many times its size is read exactly. */
#define MAX_OVERRUN 4
#define HEADER_WORDS 9
#define PACKED 68

static const int DIGEST_HEX[3] = {64, 40, 32};
static const int DIGEST_AT[3] = {0, 32, 52};

typedef struct {
  unsigned char *p;
  size_t n, cap;
  int oom;
} Buf;

static int reserve(Buf *b, size_t more) {
  if (b->oom) return 0;
  if (b->n + more <= b->cap) return 1;
  size_t cap = b->cap == 0 ? 65536 : b->cap;
  while (cap < b->n + more) cap *= 2;
  unsigned char *grown = sqlite3_realloc64(b->p, cap);
  if (grown == NULL) {
    b->oom = 1;
    return 0;
  }
  b->p = grown;
  b->cap = cap;
  return 1;
}

static void put(Buf *b, const void *data, size_t n) {
  if (n == 0 || !reserve(b, n)) return;
  memcpy(b->p + b->n, data, n);
  b->n += n;
}

static void putByte(Buf *b, unsigned char c) {
  if (!reserve(b, 1)) return;
  b->p[b->n++] = c;
}

static void putInt(Buf *b, sqlite3_int64 v) {
  char text[24];
  int n = 0;
  uint64_t u = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
  do {
    text[sizeof text - 1 - n++] = (char)('0' + u % 10);
    u /= 10;
  } while (u != 0);
  if (v < 0) text[sizeof text - 1 - n++] = '-';
  put(b, text + sizeof text - n, (size_t)n);
}

static void putWord(unsigned char *at, uint32_t v) {
  at[0] = (unsigned char)v;
  at[1] = (unsigned char)(v >> 8);
  at[2] = (unsigned char)(v >> 16);
  at[3] = (unsigned char)(v >> 24);
}

/* The length substr(z, 1, chars) keeps: SQLite counts a lead byte and its continuation bytes as one character, and stops at a NUL. */
static size_t cutChars(const unsigned char *z, size_t n, sqlite3_int64 chars) {
  size_t at = 0;
  while (at < n && z[at] != 0 && chars > 0) {
    if (z[at++] >= 0xC0) {
      while (at < n && (z[at] & 0xC0) == 0x80) at++;
    }
    chars--;
  }
  return at;
}

static void putJsonString(Buf *b, const unsigned char *z, size_t n) {
  static const char HEX[] = "0123456789abcdef";
  putByte(b, '"');
  size_t from = 0;
  for (size_t i = 0; i < n; i++) {
    unsigned char c = z[i];
    if (c >= 0x20 && c != '"' && c != '\\') continue;
    put(b, z + from, i - from);
    if (c == '"' || c == '\\') {
      unsigned char escaped[2] = {'\\', c};
      put(b, escaped, 2);
    } else {
      unsigned char escaped[6] = {'\\', 'u', '0', '0', (unsigned char)HEX[c >> 4], (unsigned char)HEX[c & 15]};
      put(b, escaped, 6);
    }
    from = i + 1;
  }
  put(b, z + from, n - from);
  putByte(b, '"');
}

/* Hex digit values, -1 elsewhere: a table, as digits and letters alternate at random (branches mispredicted half the time). */
static const signed char NIBBLE[256] = {
    -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1,
    -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1,
    -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1,
    0, 1, 2, 3, 4, 5, 6, 7, 8, 9, -1, -1, -1, -1, -1, -1,
    -1, 10, 11, 12, 13, 14, 15, -1, -1, -1, -1, -1, -1, -1, -1, -1,
    -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1,
    -1, 10, 11, 12, 13, 14, 15, -1, -1, -1, -1, -1, -1, -1, -1, -1,
    -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1,
    -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1,
    -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1,
    -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1,
    -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1,
    -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1,
    -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1,
    -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1,
    -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1,
};

/* A digest's bytes into `out`, zeros when empty; 0 when it is neither empty nor hex of its length. */
static int decodeDigest(const unsigned char *hex, int n, int want, unsigned char *out) {
  if (n == 0) {
    memset(out, 0, (size_t)want / 2);
    return 1;
  }
  if (n != want) return 0;
  int bad = 0;
  for (int i = 0; i < want; i += 2) {
    int hi = NIBBLE[hex[i]];
    int lo = NIBBLE[hex[i + 1]];
    bad |= hi | lo;
    out[i / 2] = (unsigned char)(hi << 4 | (lo & 15));
  }
  return bad >= 0;
}

/* The group being read: its key as stored (copied: a step moves the statement's values), and its least name's row. */
typedef struct {
  Buf key[3];
  int null[3]; /* NULL and '' are both absent, yet group apart (as GROUP BY does) */
  unsigned char packed[PACKED];
  Buf name;
  int hasSize;
  sqlite3_int64 size;
  int hasPackage;
  sqlite3_int64 package;
  uint32_t rows;
} Group;

static void groupFree(Group *g) {
  for (int k = 0; k < 3; k++) sqlite3_free(g->key[k].p);
  sqlite3_free(g->name.p);
}

/* The row's name, size and package (its values: see rdsChunk) become the group's. */
static void takeRow(Group *g, sqlite3_value *const *row, const unsigned char *name, size_t nameBytes) {
  g->name.n = 0;
  put(&g->name, name, nameBytes);
  g->hasSize = sqlite3_value_type(row[4]) == SQLITE_INTEGER;
  g->size = g->hasSize ? sqlite3_value_int64(row[4]) : 0;
  g->hasPackage = sqlite3_value_type(row[5]) == SQLITE_INTEGER;
  g->package = g->hasPackage ? sqlite3_value_int64(row[5]) : 0;
}

static int sameKey(const Group *g, const unsigned char *const key[3], const int bytes[3], const int null[3]) {
  for (int k = 0; k < 3; k++) {
    if (null[k] != g->null[k] || (size_t)bytes[k] != g->key[k].n || (bytes[k] > 0 && memcmp(g->key[k].p, key[k], (size_t)bytes[k]) != 0)) return 0;
  }
  return 1;
}

/* Appends a finished group: its digests to `digests`, [name, size, package] to `json`. */
static void emitGroup(const Group *g, Buf *digests, Buf *json, sqlite3_int64 maxChars, int first) {
  put(digests, g->packed, PACKED);
  put(json, first ? "[[" : ",[", 2);
  putJsonString(json, g->name.p, cutChars(g->name.p, g->name.n, maxChars));
  putByte(json, ',');
  if (g->hasSize)
    putInt(json, g->size);
  else
    put(json, "null", 4);
  putByte(json, ',');
  if (g->hasPackage)
    putInt(json, g->package);
  else
    put(json, "null", 4);
  putByte(json, ']');
}

static void rdsChunk(sqlite3_context *ctx, int argc, sqlite3_value **argv) {
  if (argc != 4 && argc != 7) {
    sqlite3_result_error(ctx, "custos_rds_chunk: takes a table, a group count, a name length, a JSON size and optionally a lower bound", -1);
    return;
  }
  const char *table = (const char *)sqlite3_value_text(argv[0]);
  sqlite3_int64 maxGroups = sqlite3_value_int64(argv[1]);
  sqlite3_int64 maxChars = sqlite3_value_int64(argv[2]);
  sqlite3_int64 maxJson = sqlite3_value_int64(argv[3]);
  const int bounded = argc == 7;
  if (table == NULL || maxGroups < 1 || maxGroups > 0x1FFFFFFF || maxChars < 1 || maxJson < 1 || maxJson > 0x7FFFFFFF) {
    sqlite3_result_error(ctx, "custos_rds_chunk: bad arguments", -1);
    return;
  }
  char *sql = sqlite3_mprintf("SELECT sha256, sha1, md5, file_name, file_size, package_id FROM \"%w\"%s ORDER BY sha256, sha1, md5", table,
                              bounded ? " WHERE (sha256, sha1, md5) > (?1, ?2, ?3)" : "");
  if (sql == NULL) {
    sqlite3_result_error_nomem(ctx);
    return;
  }
  sqlite3_stmt *s = NULL;
  int rc = sqlite3_prepare_v2(sqlite3_context_db_handle(ctx), sql, -1, &s, NULL);
  sqlite3_free(sql);
  if (rc != SQLITE_OK) {
    sqlite3_result_error(ctx, sqlite3_errmsg(sqlite3_context_db_handle(ctx)), -1);
    return;
  }
  for (int k = 0; bounded && k < 3; k++) sqlite3_bind_value(s, k + 1, argv[4 + k]);

  Buf digests = {0}, json = {0};
  Group g;
  memset(&g, 0, sizeof g);
  uint32_t groups = 0, rows = 0, more = 0, status = STATUS_OK;
  int open = 0;
  while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
    /* The row's values, taken once: each sqlite3_column_* call checks the statement again. They are
     * unprotected values, read only here, on the one thread that uses this connection. */
    sqlite3_value *row[6];
    for (int k = 0; k < 6; k++) row[k] = sqlite3_column_value(s, k);
    const unsigned char *key[3];
    int bytes[3], null[3];
    for (int k = 0; k < 3; k++) {
      int type = sqlite3_value_type(row[k]);
      if (type != SQLITE_TEXT && type != SQLITE_NULL) status = STATUS_EXACT;
      null[k] = type == SQLITE_NULL;
      key[k] = sqlite3_value_text(row[k]);
      bytes[k] = sqlite3_value_bytes(row[k]);
    }
    if (sqlite3_value_type(row[3]) != SQLITE_TEXT) status = STATUS_EXACT;
    int packageType = sqlite3_value_type(row[5]);
    if (packageType != SQLITE_INTEGER && packageType != SQLITE_NULL) status = STATUS_EXACT;
    if (status != STATUS_OK) break;
    const unsigned char *name = sqlite3_value_text(row[3]);
    size_t nameBytes = (size_t)sqlite3_value_bytes(row[3]);
    if (open && sameKey(&g, key, bytes, null)) {
      g.rows++;
      /* min() under BINARY: bytes, then length; the first of equal names keeps its row. */
      size_t common = nameBytes < g.name.n ? nameBytes : g.name.n;
      int order = common == 0 ? 0 : memcmp(name, g.name.p, common);
      if (order < 0 || (order == 0 && nameBytes < g.name.n)) takeRow(&g, row, name, nameBytes);
      continue;
    }
    if (open) {
      emitGroup(&g, &digests, &json, maxChars, groups == 0);
      groups++;
      rows += g.rows;
      if ((groups >= (uint32_t)maxGroups || json.n >= (size_t)maxJson) && !g.null[0] && !g.null[1] && !g.null[2]) {
        more = 1;
        break;
      }
      if (groups >= (uint32_t)maxGroups * MAX_OVERRUN) {
        status = STATUS_EXACT;
        break;
      }
    }
    int empty = 0;
    for (int k = 0; k < 3; k++) {
      if (!decodeDigest(key[k], bytes[k], DIGEST_HEX[k], g.packed + DIGEST_AT[k])) status = STATUS_EXACT;
      empty += bytes[k] == 0;
      g.null[k] = null[k];
      g.key[k].n = 0;
      put(&g.key[k], key[k], (size_t)bytes[k]);
    }
    if (empty == 3) status = STATUS_EXACT;
    if (status != STATUS_OK) break;
    g.rows = 1;
    takeRow(&g, row, name, nameBytes);
    open = 1;
  }
  if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
    sqlite3_result_error(ctx, sqlite3_errmsg(sqlite3_context_db_handle(ctx)), -1);
    goto done;
  }
  if (status == STATUS_OK && !more && open) {
    emitGroup(&g, &digests, &json, maxChars, groups == 0);
    groups++;
    rows += g.rows;
  }
  if (status == STATUS_OK && groups > 0) putByte(&json, ']');
  int oom = digests.oom || json.oom || g.name.oom || g.key[0].oom || g.key[1].oom || g.key[2].oom;
  if (oom) {
    sqlite3_result_error_nomem(ctx);
    goto done;
  }
  if (status != STATUS_OK) {
    groups = rows = more = 0;
    digests.n = json.n = 0;
  }
  size_t keyBytes = status == STATUS_OK && groups > 0 ? g.key[0].n + g.key[1].n + g.key[2].n : 0;
  size_t total = HEADER_WORDS * 4 + keyBytes + digests.n + json.n;
  unsigned char *out = sqlite3_malloc64(total);
  if (out == NULL) {
    sqlite3_result_error_nomem(ctx);
    goto done;
  }
  uint32_t header[HEADER_WORDS] = {status, groups, rows, more, (uint32_t)digests.n, (uint32_t)json.n, 0, 0, 0};
  for (int k = 0; keyBytes > 0 && k < 3; k++) header[6 + k] = (uint32_t)g.key[k].n;
  for (int w = 0; w < HEADER_WORDS; w++) putWord(out + w * 4, header[w]);
  size_t at = HEADER_WORDS * 4;
  for (int k = 0; keyBytes > 0 && k < 3; k++) {
    if (g.key[k].n > 0) memcpy(out + at, g.key[k].p, g.key[k].n);
    at += g.key[k].n;
  }
  if (digests.n > 0) memcpy(out + at, digests.p, digests.n);
  at += digests.n;
  if (json.n > 0) memcpy(out + at, json.p, json.n);
  sqlite3_result_blob64(ctx, out, total, sqlite3_free);
done:
  sqlite3_finalize(s);
  sqlite3_free(digests.p);
  sqlite3_free(json.p);
  groupFree(&g);
}

#ifdef _WIN32
__declspec(dllexport)
#endif
int sqlite3_custosrds_init(sqlite3 *db, char **err, const sqlite3_api_routines *api) {
  (void)err;
  SQLITE_EXTENSION_INIT2(api);
  return sqlite3_create_function(db, "custos_rds_chunk", -1, SQLITE_UTF8 | SQLITE_DIRECTONLY, NULL, rdsChunk, NULL, NULL);
}
