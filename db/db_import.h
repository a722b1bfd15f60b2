/* SPDX-License-Identifier: GPL-3.0-or-later */
/* db_import: CSV import of agency data (workers, certificates, reference tables) into the
 * store. A file is decoded (UTF-8 or GBK), every row validated, and the file applied in
 * one transaction (upserts on natural keys) or not at all. Knows nothing of the CLI:
 * results come back in a report struct; nothing is printed. File formats: docs/import.md. */
#ifndef DB_IMPORT_H
#define DB_IMPORT_H

#include <stdbool.h>
#include <stddef.h>

struct db;

/* The kinds of file, in dependency order. Names (import_kind_name) are the CLI words. */
enum import_kind {
    IMPORT_OCCUPATIONS,   /* "occupations" */
    IMPORT_SHORTAGE,      /* "shortage": the shortage list */
    IMPORT_GUIDE_PRICES,  /* "guide-prices" */
    IMPORT_SCHOOLS,       /* "schools" */
    IMPORT_ROUNDS,        /* "rounds": enrollment rounds */
    IMPORT_SCHOOL_ROUNDS, /* "school-rounds": quota and cut-off per school and year */
    IMPORT_MIN_WAGES,     /* "min-wages" */
    IMPORT_GUIDELINES,    /* "guidelines": wage guidelines */
    IMPORT_SUBSIDIES,     /* "subsidies": subsidy standards */
    IMPORT_WORKERS,       /* "workers" */
    IMPORT_CERTIFICATES,  /* "certificates" */
    IMPORT_CHILDREN,      /* "children" */
    IMPORT_SERVICES,      /* "services": social service records */
    IMPORT_DEDUCTIONS,    /* "deductions" */
    IMPORT_KIND_COUNT
};

enum import_encoding {
    IMPORT_ENC_AUTO,  /* valid UTF-8 (BOM or not) is UTF-8, otherwise GBK (as GB18030) */
    IMPORT_ENC_UTF8,
    IMPORT_ENC_GBK,
};

/* One rejected row (or the whole file when line is 0, e.g. it cannot be read). */
#define IMPORT_MSG_LEN 200
struct import_reject {
    long line;                    /* 1-based line where the record starts; 0: the file */
    enum import_kind kind;        /* the file's kind (import_demo loads several) */
    char message[IMPORT_MSG_LEN]; /* reason, in English; never holds ID numbers or names */
};

/* At most this many rejects are stored; `rejected` counts all of them. */
#define IMPORT_MAX_REJECTS 1000

/* Result of an import. Zero it (or IMPORT_REPORT_INIT) before the first use; it may be
 * passed to several imports in a row (counts add up); release with import_report_fini(). */
struct import_report {
    long rows_read;                /* data records read (header and blank lines excluded) */
    long imported;                 /* rows inserted or updated (0 when anything rejected) */
    long rejected;                 /* rows rejected (every one, even past the stored ones) */
    enum import_encoding encoding; /* encoding used for the last file (never AUTO) */
    bool bom;                      /* the last file started with a UTF-8 byte order mark */
    struct import_reject *rejects; /* owned by the report; nrejects entries, in file order */
    size_t nrejects;
    size_t cap;
};
#define IMPORT_REPORT_INIT {0, 0, 0, IMPORT_ENC_UTF8, false, NULL, 0, 0}

/* Frees the reject list and zeroes the report. NULL is a no-op. */
void import_report_fini(struct import_report *rep);

/* "workers" -> IMPORT_WORKERS (also accepts underscores: "guide_prices"). Returns 0 or
 * GY_EINVAL. */
int import_kind_parse(const char *name, enum import_kind *out);
/* The CLI word of kind ("guide-prices"); "?" for an unknown value. Static string. */
const char *import_kind_name(enum import_kind kind);
/* "auto", "utf-8"/"utf8", "gbk"/"gb18030" (any case). Returns 0 or GY_EINVAL. */
int import_encoding_parse(const char *name, enum import_encoding *out);
/* "auto", "utf-8", "gbk". Static string. */
const char *import_encoding_name(enum import_encoding enc);

/* Imports one CSV file of the given kind. The database must be migrated to the current
 * schema. The file is applied whole in one transaction (a savepoint when the caller
 * already holds one) or not at all. Returns 0 when every row was imported; GY_EPARSE when
 * at least one row (or the file) was rejected and nothing was changed (see rep->rejects);
 * GY_EIO when the file cannot be read; GY_EDB / GY_ENOMEM on a store or memory failure
 * (nothing changed; a reject with line 0 explains). rep must not be NULL. */
int import_file(struct db *db, enum import_kind kind, const char *path,
                enum import_encoding enc, struct import_report *rep);

/* Same as import_file() on a buffer (data[0..len), not necessarily NUL-terminated; the
 * caller keeps ownership). Used by tests and the benchmark generator. */
int import_buffer(struct db *db, enum import_kind kind, const char *data, size_t len,
                  enum import_encoding enc, struct import_report *rep);

/* Loads the demo data set: demo_dir/manifest.txt lists "kind file" lines (# comments),
 * loaded in that order through import_file() with auto-detected encoding, all in one
 * transaction. Re-running is harmless (upserts). Returns 0, or the first failing
 * import's code with every reject in rep (reject messages name the file); GY_EIO when
 * the manifest cannot be read. rep must not be NULL. */
int import_demo(struct db *db, const char *demo_dir, struct import_report *rep);

/* Finds the demo directory: $GONGYOU_DEMO_DIR when set; else db/demo relative to the
 * current directory; else ../../db/demo relative to the directory of exe_path (the
 * build/bin/gongyou layout; exe_path may be NULL or argv[0]; /proc/self/exe is tried
 * first). A candidate counts when it holds manifest.txt. Writes the path into out
 * (outlen bytes). Returns 0 or GY_ENOTFOUND. */
int import_demo_dir_find(const char *exe_path, char *out, size_t outlen);

#endif
