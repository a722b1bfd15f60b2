/* SPDX-License-Identifier: GPL-3.0-or-later */
/* gongyou-gen: command-line front end of the synthetic worker generator (gen_workers).
 * Writes workers.csv, certificates.csv, children.csv and services.csv into a directory,
 * ready for `gongyou import KIND FILE`. */
#include "bench/gen_workers.h"
#include "base/gy_err.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#ifndef GY_GEN_REF_DIR
#define GY_GEN_REF_DIR "db/demo"
#endif

static void
usage(FILE *fp)
{
    fprintf(fp, "usage: gongyou-gen --out DIR [--workers N] [--first I] [--seed S]\n"
                "                   [--today YYYY-MM-DD] [--ref-dir DIR]\n"
                "Writes N fictional workers (default 1000) with certificates, children and\n"
                "service records as CSV into DIR (created if missing), deterministic for a seed\n"
                "(default 1) and a reference date (default: GONGYOU_TODAY or today).\n"
                "--first I: start at worker index I (default 0), to write a big set in chunks.\n"
                "--ref-dir: where occupations.csv and shortage.csv are read (default: the\n"
                "source tree's db/demo, or $GONGYOU_SOURCE_DIR/db/demo when set).\n");
}

static int
parse_ulong(const char *s, unsigned long long *out)
{
    char *end;
    if (s == NULL || *s == '\0' || *s == '-')
        return GY_EINVAL;
    *out = strtoull(s, &end, 10);
    return *end == '\0' ? 0 : GY_EINVAL;
}

int
main(int argc, char **argv)
{
    static const struct option opts[] = {
        {"out", required_argument, NULL, 'o'},
        {"workers", required_argument, NULL, 'n'},
        {"seed", required_argument, NULL, 's'},
        {"today", required_argument, NULL, 't'},
        {"ref-dir", required_argument, NULL, 'r'},
        {"help", no_argument, NULL, 'h'},
        {"version", no_argument, NULL, 'V'},
        {"first", required_argument, NULL, 'f'},
        {NULL, 0, NULL, 0},
    };
    struct gen_config cfg = {.seed = 1, .workers = 1000};
    const char *out = NULL;
    char refbuf[4096];
    const char *src = getenv("GONGYOU_SOURCE_DIR");
    if (src != NULL && *src != '\0') {
        snprintf(refbuf, sizeof refbuf, "%s/db/demo", src);
        cfg.ref_dir = refbuf;
    } else {
        cfg.ref_dir = GY_GEN_REF_DIR;
    }
    if (gy_date_today(&cfg.today) != 0) {
        fprintf(stderr, "gongyou-gen: GONGYOU_TODAY is not a valid YYYY-MM-DD date\n");
        return 2;
    }

    int c;
    unsigned long long v;
    while ((c = getopt_long(argc, argv, "o:n:f:s:t:r:h", opts, NULL)) != -1) {
        switch (c) {
        case 'o':
            out = optarg;
            break;
        case 'n':
            if (parse_ulong(optarg, &v) != 0 || v == 0 || v > GEN_MAX_WORKERS) {
                fprintf(stderr, "gongyou-gen: --workers must be 1..%lu\n", GEN_MAX_WORKERS);
                return 2;
            }
            cfg.workers = (unsigned long)v;
            break;
        case 'f':
            if (parse_ulong(optarg, &v) != 0 || v >= GEN_MAX_WORKERS) {
                fprintf(stderr, "gongyou-gen: --first must be 0..%lu\n", GEN_MAX_WORKERS - 1);
                return 2;
            }
            cfg.first = (unsigned long)v;
            break;
        case 's':
            if (parse_ulong(optarg, &v) != 0) {
                fprintf(stderr, "gongyou-gen: --seed must be a non-negative integer\n");
                return 2;
            }
            cfg.seed = (uint64_t)v;
            break;
        case 't':
            if (gy_date_parse(optarg, &cfg.today) != 0) {
                fprintf(stderr, "gongyou-gen: --today must be a YYYY-MM-DD date\n");
                return 2;
            }
            break;
        case 'r':
            cfg.ref_dir = optarg;
            break;
        case 'h':
            usage(stdout);
            return 0;
        case 'V':
            printf("gongyou-gen %s\n", GONGYOU_VERSION);
            return 0;
        default:
            usage(stderr);
            return 2;
        }
    }
    if (cfg.workers > GEN_MAX_WORKERS - cfg.first) {
        fprintf(stderr, "gongyou-gen: --first + --workers must not exceed %lu\n", GEN_MAX_WORKERS);
        return 2;
    }
    if (out == NULL || optind != argc) {
        usage(stderr);
        return 2;
    }
    if (mkdir(out, 0755) != 0) {
        struct stat st;
        if (stat(out, &st) != 0 || !S_ISDIR(st.st_mode)) {
            fprintf(stderr, "gongyou-gen: cannot create directory %s\n", out);
            return 1;
        }
    }

    struct gen_counts n;
    char err[512] = "";
    int rc = gen_workers_write(&cfg, out, &n, err, sizeof err);
    if (rc != 0) {
        fprintf(stderr, "gongyou-gen: %s (%s)\n", err, gy_strerror(rc));
        return 1;
    }
    printf("%lu workers, %lu certificates, %lu children, %lu service records in %s\n", n.workers,
           n.certificates, n.children, n.services, out);
    return 0;
}
