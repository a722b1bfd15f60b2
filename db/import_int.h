/* SPDX-License-Identifier: GPL-3.0-or-later */
/* import_int: internals shared by the CSV importer's files: the per-kind column tables,
 * the row context, field parsers and reference lookups. Not for use outside db/. */
#ifndef IMPORT_INT_H
#define IMPORT_INT_H

#include "base/gy_date.h"
#include "db/db_import.h"
#include "db/db_store.h"

#include <stdbool.h>
#include <stddef.h>

#define IMPORT_MAX_COLS 16

/* For the kinds' files: the length of a column table; return a non-zero code at once. */
#define NCOLS(a) (sizeof(a) / sizeof((a)[0]))
#define CHECK(expr)                                                                        \
    do {                                                                                   \
        int check_rc_ = (expr);                                                            \
        if (check_rc_ != 0)                                                                \
            return check_rc_;                                                              \
    } while (0)

/* One column of a kind: its documented header name, another accepted name (or NULL). */
struct import_column {
    const char *name;
    const char *alias;
    bool required; /* the header must have it */
};

/* Natural keys seen in the current file, to refuse duplicates (open addressing over an
 * arena of key bytes). */
struct import_keyset {
    size_t *slots; /* arena offset + 1 of each key; 0 = empty */
    size_t nslots, nused;
    char *arena; /* records: long line, then the NUL-terminated key */
    size_t alen, acap;
};

struct import_kind_def;

struct import_ctx {
    struct db *db;
    const struct import_kind_def *def;
    struct gy_date today;
    char today_s[GY_DATE_STRLEN];
    long line;                             /* line of the current record */
    const char *val[IMPORT_MAX_COLS];      /* current row by column index; "" when absent */
    unsigned present;                      /* bit i: column i is in the header */
    char msg[IMPORT_MSG_LEN];              /* why the current row is rejected */
    struct import_keyset keys;
};

/* What a row handler returns: 0 imported; GY_EPARSE rejected (ctx->msg says why); any
 * other negative code stops the import (database or memory failure, ctx->msg set). */
typedef int (*import_row_fn)(struct import_ctx *ctx);

struct import_kind_def {
    const char *name;
    const struct import_column *cols;
    size_t ncols;
    import_row_fn row;
};

/* The kinds (import_reference.c, import_people.c). */
extern const struct import_kind_def import_def_occupations, import_def_shortage,
    import_def_guide_prices, import_def_schools, import_def_rounds, import_def_school_rounds,
    import_def_min_wages, import_def_guidelines, import_def_subsidies, import_def_workers,
    import_def_certificates, import_def_children, import_def_services, import_def_deductions;

/* Field helpers (import_fields.c). col is the column index of the kind's table. Each
 * returns 0, or GY_EPARSE with ctx->msg naming the column and the reason. */

/* Sets ctx->msg from a format; returns GY_EPARSE. */
int imp_reject(struct import_ctx *ctx, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* Records a database failure in ctx->msg; returns GY_EDB. */
int imp_dberr(struct import_ctx *ctx);
/* The (documented) name of column col, for messages. */
const char *imp_colname(const struct import_ctx *ctx, int col);
bool imp_empty(const struct import_ctx *ctx, int col);

/* Text of at most maxchars characters; required: must not be empty. *out points into
 * the row (valid until the next row). */
int imp_text(struct import_ctx *ctx, int col, size_t maxchars, bool required, const char **out);
/* Decimal integer in [min, max]; an empty cell gives def unless required. */
int imp_int(struct import_ctx *ctx, int col, long min, long max, bool required, long def,
            long *out);
/* Decimal number with at most 2 decimals (yuan or percent; a trailing '%' allowed),
 * returned in hundredths (fen, basis points), within [min, max] hundredths. An empty cell
 * gives def unless required. */
int imp_cents(struct import_ctx *ctx, int col, long long min, long long max, bool required,
              long long def, long long *out);
/* 0/1, yes/no, true/false, y/n, 是/否; empty gives def. */
int imp_bool(struct import_ctx *ctx, int col, int def, int *out);
/* YYYY-MM-DD, from 1900-01-01; not_future: not after today. Empty: *out_s = NULL
 * unless required. out_s receives a pointer to ctx-independent storage buf. */
int imp_date(struct import_ctx *ctx, int col, bool required, bool not_future,
             struct gy_date *out, char buf[GY_DATE_STRLEN], const char **out_s);
/* A number in international form without '+': 8 to 15 digits, no leading 0; Chinese
 * numbers (86...) are 86 and 11 digits starting with 1. */
int imp_msisdn(struct import_ctx *ctx, int col, const char **out);

/* Lookups: resolve a code or Chinese name to the stored code, written into buf. */
int imp_district(struct import_ctx *ctx, int col, char *buf, size_t len);
int imp_occupation(struct import_ctx *ctx, int col, char *buf, size_t len);
int imp_skill_level(struct import_ctx *ctx, int col, char *buf, size_t len);
/* Empty gives *is_null = true. */
int imp_education(struct import_ctx *ctx, int col, char *buf, size_t len, bool *is_null);
/* Worker id of the msisdn in column col (which must be registered). */
int imp_worker(struct import_ctx *ctx, int col, long long *worker_id);

/* Runs sql (a static string for db_stmt()) with key bound to ?1. On a row, copies its
 * first column into buf unless buf is NULL. Returns 1 found, 0 not found, GY_EDB. */
int imp_lookup(struct import_ctx *ctx, const char *sql, const char *key, char *buf, size_t len);
/* Runs sql with key bound to ?1: returns 1 when a row comes back whose first column is
 * not mine (the key belongs to another record), 0 when not, GY_EDB. */
int imp_taken(struct import_ctx *ctx, const char *sql, const char *key, const char *mine);

/* Steps a write statement from db_stmt() to its end and resets it. Returns 0; GY_EPARSE
 * when a constraint refuses the row; GY_EDB. */
int imp_exec(struct import_ctx *ctx, sqlite3_stmt *st);

/* Refuses a natural key already seen in this file: returns 0 (and remembers it) or
 * GY_EPARSE naming the earlier line; GY_ENOMEM. */
int imp_key_once(struct import_ctx *ctx, const char *key);
void imp_keyset_fini(struct import_keyset *ks);

#endif
