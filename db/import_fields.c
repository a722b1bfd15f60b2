/* SPDX-License-Identifier: GPL-3.0-or-later */
/* import_fields: parsing and validation of CSV cells (text, numbers, money, percents,
 * dates, booleans, numbers) and lookups of reference codes for the importer. Messages
 * name the column and never echo personal data (numbers, ID numbers, names). */
#include "db/import_int.h"
#include "base/gy_err.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

int
imp_reject(struct import_ctx *ctx, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(ctx->msg, sizeof(ctx->msg), fmt, ap);
    va_end(ap);
    return GY_EPARSE;
}

int
imp_dberr(struct import_ctx *ctx)
{
    snprintf(ctx->msg, sizeof(ctx->msg), "database error: %s", db_errmsg(ctx->db));
    return GY_EDB;
}

const char *
imp_colname(const struct import_ctx *ctx, int col)
{
    return ctx->def->cols[col].name;
}

bool
imp_empty(const struct import_ctx *ctx, int col)
{
    return ctx->val[col][0] == '\0';
}

/* Counts UTF-8 characters (the text is valid UTF-8 by now). */
static size_t
utf8_chars(const char *s)
{
    size_t n = 0;
    for (; *s; s++)
        n += ((unsigned char)*s & 0xC0) != 0x80;
    return n;
}

int
imp_text(struct import_ctx *ctx, int col, size_t maxchars, bool required, const char **out)
{
    const char *v = ctx->val[col];
    if (required && v[0] == '\0')
        return imp_reject(ctx, "%s: must not be empty", imp_colname(ctx, col));
    if (utf8_chars(v) > maxchars)
        return imp_reject(ctx, "%s: longer than %zu characters", imp_colname(ctx, col),
                          maxchars);
    *out = v;
    return 0;
}

int
imp_int(struct import_ctx *ctx, int col, long min, long max, bool required, long def, long *out)
{
    const char *v = ctx->val[col];
    if (v[0] == '\0') {
        if (required)
            return imp_reject(ctx, "%s: must not be empty", imp_colname(ctx, col));
        *out = def;
        return 0;
    }
    const char *p = v;
    if (*p == '-' || *p == '+')
        p++;
    if (*p == '\0' || strspn(p, "0123456789") != strlen(p) || strlen(p) > 9)
        return imp_reject(ctx, "%s: '%.20s' is not a whole number", imp_colname(ctx, col), v);
    long n = strtol(v, NULL, 10);
    if (n < min || n > max)
        return imp_reject(ctx, "%s: %ld is out of range %ld..%ld", imp_colname(ctx, col), n,
                          min, max);
    *out = n;
    return 0;
}

int
imp_cents(struct import_ctx *ctx, int col, long long min, long long max, bool required,
          long long def, long long *out)
{
    const char *v = ctx->val[col];
    if (v[0] == '\0') {
        if (required)
            return imp_reject(ctx, "%s: must not be empty", imp_colname(ctx, col));
        *out = def;
        return 0;
    }
    const char *p = v;
    int neg = 0;
    if (*p == '-' || *p == '+')
        neg = *p++ == '-';
    long long whole = 0;
    int nd = 0, frac = 0, nf = 0;
    while (*p >= '0' && *p <= '9' && nd < 12) {
        whole = whole * 10 + (*p++ - '0');
        nd++;
    }
    if (*p == '.') {
        p++;
        while (*p >= '0' && *p <= '9') {
            if (++nf > 2)
                return imp_reject(ctx, "%s: at most 2 decimals", imp_colname(ctx, col));
            frac = frac * 10 + (*p++ - '0');
        }
        if (nf == 1)
            frac *= 10;
    }
    if (*p == '%' && p[1] == '\0')
        p++;
    if (*p != '\0' || (nd == 0 && nf == 0))
        return imp_reject(ctx, "%s: '%.20s' is not a number", imp_colname(ctx, col), v);
    long long c = whole * 100 + frac;
    if (neg)
        c = -c;
    if (c < min || c > max)
        return imp_reject(ctx, "%s: %.20s is out of range %lld.%02lld..%lld.%02lld",
                          imp_colname(ctx, col), v, min / 100, llabs(min % 100), max / 100,
                          llabs(max % 100));
    *out = c;
    return 0;
}

int
imp_bool(struct import_ctx *ctx, int col, int def, int *out)
{
    static const char *const yes[] = {"1", "yes", "y", "true", "是"};
    static const char *const no[] = {"0", "no", "n", "false", "否"};
    const char *v = ctx->val[col];
    if (v[0] == '\0') {
        *out = def;
        return 0;
    }
    for (size_t i = 0; i < sizeof(yes) / sizeof(yes[0]); i++) {
        if (strcasecmp(v, yes[i]) == 0) {
            *out = 1;
            return 0;
        }
        if (strcasecmp(v, no[i]) == 0) {
            *out = 0;
            return 0;
        }
    }
    return imp_reject(ctx, "%s: '%.20s' is not 0 or 1", imp_colname(ctx, col), v);
}

int
imp_date(struct import_ctx *ctx, int col, bool required, bool not_future, struct gy_date *out,
         char buf[GY_DATE_STRLEN], const char **out_s)
{
    const char *v = ctx->val[col];
    *out_s = NULL;
    if (v[0] == '\0') {
        if (required)
            return imp_reject(ctx, "%s: must not be empty", imp_colname(ctx, col));
        return 0;
    }
    struct gy_date d;
    if (gy_date_parse(v, &d) != 0)
        return imp_reject(ctx, "%s: '%.20s' is not a date YYYY-MM-DD", imp_colname(ctx, col),
                          v);
    if (d.year < 1900)
        return imp_reject(ctx, "%s: %s is before 1900", imp_colname(ctx, col), v);
    if (not_future && gy_date_cmp(d, ctx->today) > 0)
        return imp_reject(ctx, "%s: %s is after today (%s)", imp_colname(ctx, col), v,
                          ctx->today_s);
    if (out != NULL)
        *out = d;
    gy_date_format(d, buf);
    *out_s = buf;
    return 0;
}

int
imp_msisdn(struct import_ctx *ctx, int col, const char **out)
{
    const char *v = ctx->val[col];
    const char *name = imp_colname(ctx, col);
    if (v[0] == '\0')
        return imp_reject(ctx, "%s: must not be empty", name);
    if (v[0] == '+')
        return imp_reject(ctx, "%s: write the number in international form without '+'",
                          name);
    size_t n = strlen(v);
    if (strspn(v, "0123456789") != n)
        return imp_reject(ctx, "%s: a number has digits only", name);
    if (v[0] == '0')
        return imp_reject(ctx, "%s: national form; write it with the country code (86...)",
                          name);
    if (n == 11 && v[0] == '1')
        return imp_reject(ctx, "%s: a Chinese mobile number without 86; write 86 first", name);
    if (n < 8 || n > 15)
        return imp_reject(ctx, "%s: a number has 8 to 15 digits", name);
    if (v[0] == '8' && v[1] == '6' && (n != 13 || v[2] != '1'))
        return imp_reject(ctx, "%s: a Chinese mobile number is 86 and 11 digits from 1", name);
    *out = v;
    return 0;
}

int
imp_lookup(struct import_ctx *ctx, const char *sql, const char *key, char *buf, size_t len)
{
    sqlite3_stmt *st = db_stmt(ctx->db, sql);
    if (st == NULL)
        return imp_dberr(ctx);
    sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
    int rc = sqlite3_step(st);
    int found = 0;
    if (rc == SQLITE_ROW) {
        if (buf != NULL)
            db_col_copy(st, 0, buf, len);
        found = 1;
    } else if (rc != SQLITE_DONE)
        found = imp_dberr(ctx);
    db_stmt_done(st);
    return found;
}

int
imp_taken(struct import_ctx *ctx, const char *sql, const char *key, const char *mine)
{
    sqlite3_stmt *st = db_stmt(ctx->db, sql);
    if (st == NULL)
        return imp_dberr(ctx);
    sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
    int rc = sqlite3_step(st);
    int taken = rc == SQLITE_ROW && strcmp(db_col_text(st, 0), mine) != 0;
    db_stmt_done(st);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        return imp_dberr(ctx);
    return taken;
}

static int
lookup_col(struct import_ctx *ctx, int col, const char *sql, const char *what, char *buf,
           size_t len)
{
    const char *v = ctx->val[col];
    if (v[0] == '\0')
        return imp_reject(ctx, "%s: must not be empty", imp_colname(ctx, col));
    int rc = imp_lookup(ctx, sql, v, buf, len);
    if (rc < 0)
        return rc;
    if (rc == 0)
        return imp_reject(ctx, "%s: unknown %s '%.40s'", imp_colname(ctx, col), what, v);
    return 0;
}

static const char SQL_DISTRICT[] =
    "SELECT name FROM districts WHERE name = ?1 OR lower(name_en) = lower(?1)";
static const char SQL_OCCUPATION[] =
    "SELECT code FROM occupations WHERE code = ?1 UNION ALL "
    "SELECT code FROM occupations WHERE name_zh = ?1 LIMIT 1";
static const char SQL_SKILL[] =
    "SELECT code FROM skill_levels WHERE code = ?1 OR name_zh = ?1";
static const char SQL_EDUCATION[] =
    "SELECT code FROM education_levels WHERE code = ?1 OR name_zh = ?1 UNION ALL "
    "SELECT code FROM education_aliases WHERE alias = ?1 LIMIT 1";
static const char SQL_WORKER[] = "SELECT id FROM workers WHERE msisdn = ?1";

int
imp_district(struct import_ctx *ctx, int col, char *buf, size_t len)
{
    return lookup_col(ctx, col, SQL_DISTRICT, "district", buf, len);
}

int
imp_occupation(struct import_ctx *ctx, int col, char *buf, size_t len)
{
    return lookup_col(ctx, col, SQL_OCCUPATION, "occupation", buf, len);
}

int
imp_skill_level(struct import_ctx *ctx, int col, char *buf, size_t len)
{
    return lookup_col(ctx, col, SQL_SKILL, "skill level", buf, len);
}

int
imp_education(struct import_ctx *ctx, int col, char *buf, size_t len, bool *is_null)
{
    *is_null = imp_empty(ctx, col);
    if (*is_null)
        return 0;
    return lookup_col(ctx, col, SQL_EDUCATION, "education level", buf, len);
}

int
imp_worker(struct import_ctx *ctx, int col, long long *worker_id)
{
    const char *msisdn;
    int rc = imp_msisdn(ctx, col, &msisdn);
    if (rc != 0)
        return rc;
    sqlite3_stmt *st = db_stmt(ctx->db, SQL_WORKER);
    if (st == NULL)
        return imp_dberr(ctx);
    sqlite3_bind_text(st, 1, msisdn, -1, SQLITE_STATIC);
    rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        *worker_id = sqlite3_column_int64(st, 0);
        rc = 0;
    } else if (rc == SQLITE_DONE)
        rc = imp_reject(ctx, "%s: no registered worker has this number (import workers first)",
                        imp_colname(ctx, col));
    else
        rc = imp_dberr(ctx);
    db_stmt_done(st);
    return rc;
}

/* FNV-1a. */
static size_t
key_hash(const char *s)
{
    size_t h = (size_t)1469598103934665603ull;
    for (; *s; s++) {
        h ^= (unsigned char)*s;
        h *= (size_t)1099511628211ull;
    }
    return h;
}

static const char *
key_at(const struct import_keyset *ks, size_t off, long *line)
{
    memcpy(line, ks->arena + off, sizeof(*line));
    return ks->arena + off + sizeof(*line);
}

static int
keyset_grow(struct import_keyset *ks)
{
    size_t n = ks->nslots ? ks->nslots * 2 : 1024;
    size_t *s = calloc(n, sizeof(*s));
    if (s == NULL)
        return GY_ENOMEM;
    for (size_t i = 0; i < ks->nslots; i++) {
        if (ks->slots[i] == 0)
            continue;
        long line;
        size_t h = key_hash(key_at(ks, ks->slots[i] - 1, &line)) & (n - 1);
        while (s[h] != 0)
            h = (h + 1) & (n - 1);
        s[h] = ks->slots[i];
    }
    free(ks->slots);
    ks->slots = s;
    ks->nslots = n;
    return 0;
}

int
imp_key_once(struct import_ctx *ctx, const char *key)
{
    struct import_keyset *ks = &ctx->keys;
    if ((ks->nused + 1) * 2 > ks->nslots && keyset_grow(ks) != 0)
        return GY_ENOMEM;
    size_t mask = ks->nslots - 1;
    size_t h = key_hash(key) & mask;
    while (ks->slots[h] != 0) {
        long line;
        if (strcmp(key_at(ks, ks->slots[h] - 1, &line), key) == 0)
            return imp_reject(ctx, "duplicate of line %ld in this file", line);
        h = (h + 1) & mask;
    }
    size_t need = sizeof(long) + strlen(key) + 1;
    if (ks->alen + need > ks->acap) {
        size_t n = ks->acap ? ks->acap * 2 : 16384;
        while (n < ks->alen + need)
            n *= 2;
        char *a = realloc(ks->arena, n);
        if (a == NULL)
            return GY_ENOMEM;
        ks->arena = a;
        ks->acap = n;
    }
    memcpy(ks->arena + ks->alen, &ctx->line, sizeof(long));
    memcpy(ks->arena + ks->alen + sizeof(long), key, need - sizeof(long));
    ks->slots[h] = ks->alen + 1;
    ks->alen += need;
    ks->nused++;
    return 0;
}

void
imp_keyset_fini(struct import_keyset *ks)
{
    free(ks->slots);
    free(ks->arena);
    memset(ks, 0, sizeof(*ks));
}

int
imp_exec(struct import_ctx *ctx, sqlite3_stmt *st)
{
    int rc = sqlite3_step(st);
    int out = 0;
    if (rc == SQLITE_ROW || rc == SQLITE_DONE)
        out = 0;
    else if ((rc & 0xff) == SQLITE_CONSTRAINT)
        out = imp_reject(ctx, "conflicts with stored data (%s)", db_errmsg(ctx->db));
    else
        out = imp_dberr(ctx);
    db_stmt_done(st);
    return out;
}
