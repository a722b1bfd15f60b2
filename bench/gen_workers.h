/* SPDX-License-Identifier: GPL-3.0-or-later */
/* gen_workers: a deterministic generator of synthetic (fictional) workers for benchmarks
 * and tests. It writes CSV files in the importer's formats (the headers of the demo CSV
 * files in db/demo) and knows nothing of the database; the same seed, N and reference
 * date give the same bytes. */
#ifndef GEN_WORKERS_H
#define GEN_WORKERS_H

#include "base/gy_date.h"

#include <stddef.h>
#include <stdint.h>

/* File names written into the output directory (the kinds of `gongyou import`). */
#define GEN_FILE_WORKERS      "workers.csv"      /* kind "workers" */
#define GEN_FILE_CERTIFICATES "certificates.csv" /* kind "certificates" */
#define GEN_FILE_CHILDREN     "children.csv"     /* kind "children" */
#define GEN_FILE_SERVICES     "services.csv"     /* kind "services" */

/* At most this many workers (msisdns 86139xxxxxxxx, never 8613900000000 nor a demo one). */
#define GEN_MAX_WORKERS 99999999UL
#define GEN_MSISDN_LEN  14 /* 13 digits and NUL */

struct gen_config {
    uint64_t seed;         /* any value; same seed, same output */
    unsigned long first;   /* index of the first worker written (0 for a whole set); a big
                              set can be written in chunks [first, first + workers) */
    unsigned long workers; /* N, 1..GEN_MAX_WORKERS - first */
    struct gy_date today;  /* reference date: ages, grades, claim windows, service dates */
    const char *ref_dir;   /* directory holding occupations.csv and shortage.csv (borrowed);
                              certificates use the occupations listed there */
};

struct gen_counts {
    unsigned long workers;
    unsigned long certificates;
    unsigned long children;
    unsigned long services;
};

/* Writes the four GEN_FILE_* files into out_dir (an existing directory), replacing them.
 * counts (may be NULL) receives the rows written (headers excluded). Returns 0, GY_EINVAL
 * for a bad configuration, GY_EIO/GY_EPARSE for unreadable reference files or a write
 * error; a message goes into err (errlen bytes) when given. */
int gen_workers_write(const struct gen_config *cfg, const char *out_dir, struct gen_counts *counts,
                      char *err, size_t errlen);

/* The msisdn of worker index i (any i < GEN_MAX_WORKERS; cfg->first and cfg->workers
 * play no part) as the generator writes it, into
 * buf (GEN_MSISDN_LEN bytes). Returns buf. Lets benchmarks pick registered workers
 * without a query. */
char *gen_worker_msisdn(const struct gen_config *cfg, unsigned long i, char *buf);

/* The GB 11643 check character for the first 17 digits of id17 ('0'..'9' or 'X'), or 0
 * when id17 is not 17 digits. */
char gen_idnum_check(const char *id17);

#endif
