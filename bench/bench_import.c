/* SPDX-License-Identifier: GPL-3.0-or-later */
/* bench_import: times the CSV importer on synthetic workers. Generates N workers (default
 * 100,000) with their certificates, children and service records into a temporary
 * directory, then per run creates a fresh database (migrations + demo reference data) and
 * times import_file() of each file; prints the median of the runs in seconds and rows/s.
 * Target (issue 2): 100,000 worker rows in under 10 s. Not run by ctest except --smoke. */
#include "base/gy_err.h"
#include "bench/bench_stats.h"
#include "bench/gen_workers.h"
#include "db/db_import.h"
#include "db/db_store.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#ifndef GY_BENCH_SOURCE_DIR
#define GY_BENCH_SOURCE_DIR "."
#endif

#define MAX_RUNS 20
#define NFILES   4

static const struct {
    enum import_kind kind;
    const char *file;
} files[NFILES] = {
    {IMPORT_WORKERS, GEN_FILE_WORKERS},
    {IMPORT_CERTIFICATES, GEN_FILE_CERTIFICATES},
    {IMPORT_CHILDREN, GEN_FILE_CHILDREN},
    {IMPORT_SERVICES, GEN_FILE_SERVICES},
};

static void
usage(FILE *fp)
{
    fprintf(fp, "usage: bench_import [--workers N] [--runs R] [--seed S] [--smoke]\n"
                "Times import_file() of N generated workers (default 100000) and their\n"
                "certificates, children and service records into a fresh database, R runs\n"
                "(default 3, at most 20), and prints the medians. Temporary files go under\n"
                "$TMPDIR (else /tmp) and are removed. --smoke: N=1000, one run.\n");
}

static void
print_rejects(const char *file, const struct import_report *r)
{
    fprintf(stderr, "bench_import: %s: %ld rows rejected\n", file, r->rejected);
    for (size_t i = 0; i < r->nrejects && i < 5; i++)
        fprintf(stderr, "  line %ld: %s\n", r->rejects[i].line, r->rejects[i].message);
}

/* One run: a fresh database in dir, then the four files. Fills secs[NFILES]. */
static int
one_run(const char *dir, const char *demo_dir, int run, const unsigned long *expect, double *secs)
{
    char dbpath[4096], err[512] = "", path[4096];
    snprintf(dbpath, sizeof dbpath, "%s/import-%d.db", dir, run);
    bench_remove_db(dbpath);
    struct db *db = NULL;
    int rc = db_open(dbpath, DB_OPEN_CREATE, &db, err, sizeof err);
    if (rc != 0) {
        fprintf(stderr, "bench_import: %s\n", err);
        return rc;
    }
    struct import_report rep = IMPORT_REPORT_INIT;
    rc = db_migrate(db, NULL, NULL);
    if (rc == 0)
        rc = import_demo(db, demo_dir, &rep);
    if (rc != 0) {
        fprintf(stderr, "bench_import: database setup failed: %s\n", gy_strerror(rc));
        print_rejects("demo", &rep);
    }
    import_report_fini(&rep);

    for (int f = 0; rc == 0 && f < NFILES; f++) {
        snprintf(path, sizeof path, "%s/%s", dir, files[f].file);
        struct import_report r = IMPORT_REPORT_INIT;
        double t0 = bench_now();
        rc = import_file(db, files[f].kind, path, IMPORT_ENC_UTF8, &r);
        secs[f] = bench_now() - t0;
        if (rc != 0 || r.rejected != 0 || r.imported != (long)expect[f]) {
            fprintf(stderr, "bench_import: %s: %s, %ld of %lu rows imported\n", files[f].file,
                    gy_strerror(rc), r.imported, expect[f]);
            print_rejects(files[f].file, &r);
            if (rc == 0)
                rc = GY_EPARSE;
        }
        import_report_fini(&r);
    }
    db_close(db);
    bench_remove_db(dbpath);
    return rc;
}

int
main(int argc, char **argv)
{
    static const struct option opts[] = {
        {"workers", required_argument, NULL, 'n'}, {"runs", required_argument, NULL, 'r'},
        {"seed", required_argument, NULL, 's'},    {"smoke", no_argument, NULL, 'S'},
        {"help", no_argument, NULL, 'h'},          {NULL, 0, NULL, 0},
    };
    unsigned long n = 100000;
    int runs = 3;
    unsigned long long seed = 1;
    int c;
    while ((c = getopt_long(argc, argv, "n:r:s:h", opts, NULL)) != -1) {
        char *end = NULL;
        switch (c) {
        case 'n':
            n = strtoul(optarg, &end, 10);
            if (*end != '\0' || n == 0 || n > GEN_MAX_WORKERS) {
                fprintf(stderr, "bench_import: --workers must be 1..%lu\n", GEN_MAX_WORKERS);
                return 2;
            }
            break;
        case 'r':
            runs = (int)strtol(optarg, &end, 10);
            if (*end != '\0' || runs < 1 || runs > MAX_RUNS) {
                fprintf(stderr, "bench_import: --runs must be 1..%d\n", MAX_RUNS);
                return 2;
            }
            break;
        case 's':
            seed = strtoull(optarg, &end, 10);
            if (*end != '\0') {
                fprintf(stderr, "bench_import: --seed must be an integer\n");
                return 2;
            }
            break;
        case 'S':
            n = 1000;
            runs = 1;
            break;
        case 'h':
            usage(stdout);
            return 0;
        default:
            usage(stderr);
            return 2;
        }
    }
    if (optind != argc) {
        usage(stderr);
        return 2;
    }

    char demo_dir[2048], dir[2048], err[512] = "";
    const char *src = getenv("GONGYOU_SOURCE_DIR");
    snprintf(demo_dir, sizeof demo_dir, "%s/db/demo", src && *src ? src : GY_BENCH_SOURCE_DIR);
    struct gen_config cfg = {.seed = seed, .workers = n, .ref_dir = demo_dir};
    if (gy_date_today(&cfg.today) != 0) {
        fprintf(stderr, "bench_import: GONGYOU_TODAY is not a valid date\n");
        return 2;
    }
    if (bench_temp_dir("gy-bench-import", dir, sizeof dir) != 0) {
        perror("bench_import: temporary directory");
        return 1;
    }

    setvbuf(stdout, NULL, _IOLBF, 0);
    bench_print_machine(stdout);
    struct gen_counts counts;
    double t0 = bench_now();
    int rc = gen_workers_write(&cfg, dir, &counts, err, sizeof err);
    if (rc != 0) {
        fprintf(stderr, "bench_import: generator: %s\n", err);
        bench_remove_dir(dir);
        return 1;
    }
    printf("generated %lu workers, %lu certificates, %lu children, %lu service records "
           "(seed %llu) in %.2f s\n",
           counts.workers, counts.certificates, counts.children, counts.services, seed,
           bench_now() - t0);
    const unsigned long expect[NFILES] = {counts.workers, counts.certificates, counts.children,
                                          counts.services};

    double secs[NFILES][MAX_RUNS];
    for (int r = 0; rc == 0 && r < runs; r++) {
        double s[NFILES] = {0};
        rc = one_run(dir, demo_dir, r, expect, s);
        for (int f = 0; f < NFILES; f++)
            secs[f][r] = s[f];
        if (rc == 0)
            printf("run %d: workers %.2f s, certificates %.2f s, children %.2f s, "
                   "services %.2f s\n",
                   r + 1, s[0], s[1], s[2], s[3]);
    }
    bench_remove_dir(dir);
    if (rc != 0)
        return 1;

    printf("\nimport_file(), median of %d run%s into a fresh database:\n", runs,
           runs > 1 ? "s" : "");
    printf("%-14s %10s %10s %12s %10s %10s\n", "file", "rows", "median s", "rows/s", "min s",
           "max s");
    double total_rows = 0, total_s = 0, worker_median = 0;
    for (int f = 0; f < NFILES; f++) {
        struct bench_summary sum;
        bench_summarize(secs[f], (size_t)runs, &sum);
        double rate = sum.median > 0 ? (double)expect[f] / sum.median : 0;
        printf("%-14s %10lu %10.3f %12.0f %10.3f %10.3f\n", files[f].file, expect[f], sum.median,
               rate, sum.min, sum.max);
        total_rows += (double)expect[f];
        total_s += sum.median;
        if (f == 0)
            worker_median = sum.median;
    }
    printf("%-14s %10.0f %10.3f %12.0f\n", "all", total_rows, total_s,
           total_s > 0 ? total_rows / total_s : 0);
    double per100k = worker_median * 100000.0 / (double)n;
    printf("\ntarget: 100,000 worker rows in under 10 s: %.2f s per 100,000 -> %s\n", per100k,
           per100k < 10.0 ? "met" : "MISSED");
    return 0;
}
