/* SPDX-License-Identifier: GPL-3.0-or-later */
/* bench_services: times every domain service answer on a database of N synthetic workers
 * (default 1,000,000), built through the generator and the CSV importer in chunks, or
 * reused with --reuse. For random registered workers it prints the median and p99 in
 * microseconds of each service and of all of them together for one worker. Targets
 * (issue 2): under 200 us for any one service, under 1 ms for all of them. */
#include "base/gy_err.h"
#include "bench/bench_stats.h"
#include "bench/gen_workers.h"
#include "db/db_import.h"
#include "db/db_store.h"
#include "db/svc_enroll.h"
#include "db/svc_hukou.h"
#include "db/svc_points.h"
#include "db/svc_subsidy.h"
#include "db/svc_wages.h"
#include "db/svc_worker.h"

#include <getopt.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#ifndef GY_BENCH_SOURCE_DIR
#define GY_BENCH_SOURCE_DIR "."
#endif
#ifndef GY_BENCH_DEFAULT_DB
#define GY_BENCH_DEFAULT_DB "bench-services.db"
#endif

#define CHUNK     100000UL
#define MAX_GUIDE 16

struct opts {
    const char *db_path;
    unsigned long workers;
    size_t samples;
    unsigned long long seed;
    bool reuse;
    bool smoke;
    long cache_mib; /* PRAGMA cache_size for the sampling connection; 0: db_store's */
    long mmap_mib;  /* PRAGMA mmap_size; 0: db_store's */
};

struct bench {
    struct db *db;
    struct gen_config gen;
    struct gy_date today;
    uint64_t rng;
    unsigned long errors;
};

/* The guide price queries drawn at random: codes, exact names and prefixes. */
static const char *const guide_queries[] = {
    "车工", "焊", "电", "6-18-01-01", "中式", "保", "钳工", "缝纫工", "木工", "6-31-01-03", "汽车",
};
#define NQUERIES (sizeof guide_queries / sizeof guide_queries[0])

static uint64_t
rng_next(struct bench *b)
{
    uint64_t z = (b->rng += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
}

static void
random_msisdn(struct bench *b, char *buf)
{
    gen_worker_msisdn(&b->gen, (unsigned long)(rng_next(b) % b->gen.workers), buf);
}

static void
usage(FILE *fp)
{
    fprintf(fp,
            "usage: bench_services [--db FILE] [--workers N] [--samples S] [--seed S]\n"
            "                      [--reuse] [--smoke] [--cache-mib M] [--mmap-mib M]\n"
            "Builds a database of N generated workers (default 1000000) at FILE (default\n"
            "%s), or reuses it with --reuse when it holds those workers, then times\n"
            "each service for S random workers (default 10000). --smoke: N=1000, S=300, a\n"
            "temporary database that is removed. --cache-mib / --mmap-mib: page cache and\n"
            "memory map of the sampling connection (default: what db_open() sets).\n",
            GY_BENCH_DEFAULT_DB);
}

static int
import_chunk(struct db *db, const char *dir, const struct gen_counts *n)
{
    static const struct {
        enum import_kind kind;
        const char *file;
    } files[] = {
        {IMPORT_WORKERS, GEN_FILE_WORKERS},
        {IMPORT_CERTIFICATES, GEN_FILE_CERTIFICATES},
        {IMPORT_CHILDREN, GEN_FILE_CHILDREN},
        {IMPORT_SERVICES, GEN_FILE_SERVICES},
    };
    const unsigned long expect[] = {n->workers, n->certificates, n->children, n->services};
    for (size_t f = 0; f < 4; f++) {
        char path[4096];
        snprintf(path, sizeof path, "%s/%s", dir, files[f].file);
        struct import_report r = IMPORT_REPORT_INIT;
        int rc = import_file(db, files[f].kind, path, IMPORT_ENC_UTF8, &r);
        if (rc != 0 || r.imported != (long)expect[f]) {
            fprintf(stderr, "bench_services: import %s: %s, %ld rejected\n", files[f].file,
                    gy_strerror(rc), r.rejected);
            for (size_t i = 0; i < r.nrejects && i < 5; i++)
                fprintf(stderr, "  line %ld: %s\n", r.rejects[i].line, r.rejects[i].message);
            import_report_fini(&r);
            return rc != 0 ? rc : GY_EPARSE;
        }
        import_report_fini(&r);
    }
    return 0;
}

/* Creates the database from scratch: migrations, demo data, then N workers in chunks. */
static int
build_db(const struct opts *o, struct bench *b, const char *demo_dir)
{
    char err[512] = "", dir[2048];
    bench_remove_db(o->db_path);
    struct db *db = NULL;
    int rc = db_open(o->db_path, DB_OPEN_CREATE, &db, err, sizeof err);
    if (rc != 0) {
        fprintf(stderr, "bench_services: %s\n", err);
        return rc;
    }
    struct import_report rep = IMPORT_REPORT_INIT;
    rc = db_migrate(db, NULL, NULL);
    if (rc == 0)
        rc = import_demo(db, demo_dir, &rep);
    import_report_fini(&rep);
    if (rc != 0) {
        fprintf(stderr, "bench_services: database setup: %s\n", gy_strerror(rc));
        db_close(db);
        return rc;
    }
    if (bench_temp_dir("gy-bench-services", dir, sizeof dir) != 0) {
        perror("bench_services: temporary directory");
        db_close(db);
        return GY_EIO;
    }
    double t0 = bench_now(), import_s = 0;
    unsigned long rows = 0;
    for (unsigned long first = 0; rc == 0 && first < o->workers; first += CHUNK) {
        struct gen_config cfg = b->gen;
        struct gen_counts n;
        cfg.first = first;
        cfg.workers = o->workers - first < CHUNK ? o->workers - first : CHUNK;
        rc = gen_workers_write(&cfg, dir, &n, err, sizeof err);
        if (rc != 0) {
            fprintf(stderr, "bench_services: generator: %s\n", err);
            break;
        }
        double t1 = bench_now();
        rc = import_chunk(db, dir, &n);
        import_s += bench_now() - t1;
        rows += n.workers + n.certificates + n.children + n.services;
        printf("  built %lu of %lu workers (%.0f s)\n", first + cfg.workers, o->workers,
               bench_now() - t0);
        fflush(stdout);
    }
    bench_remove_dir(dir);
    db_close(db);
    if (rc == 0) {
        struct stat st;
        double mib = stat(o->db_path, &st) == 0 ? (double)st.st_size / 1048576.0 : 0;
        printf("built %s: %lu rows imported in %.1f s (%.0f rows/s), %.1f s in all, %.0f "
               "MiB\n",
               o->db_path, rows, import_s, import_s > 0 ? (double)rows / import_s : 0,
               bench_now() - t0, mib);
    }
    return rc;
}

/* The database can be reused when it holds exactly N generated workers of this seed. */
static bool
db_reusable(struct bench *b)
{
    static const char q_count[] = "SELECT count(*) FROM workers WHERE msisdn LIKE '86139%'";
    static const char q_has[] = "SELECT 1 FROM workers WHERE msisdn = ?1";
    sqlite3_stmt *st = db_stmt(b->db, q_count);
    if (st == NULL || sqlite3_step(st) != SQLITE_ROW) {
        db_stmt_done(st);
        return false;
    }
    long long n = sqlite3_column_int64(st, 0);
    db_stmt_done(st);
    if (n != (long long)b->gen.workers)
        return false;
    unsigned long probes[] = {0, b->gen.workers / 2, b->gen.workers - 1};
    for (size_t i = 0; i < 3; i++) {
        char m[GEN_MSISDN_LEN];
        gen_worker_msisdn(&b->gen, probes[i], m);
        st = db_stmt(b->db, q_has);
        bool found = st != NULL && sqlite3_bind_text(st, 1, m, -1, SQLITE_STATIC) == SQLITE_OK &&
                     sqlite3_step(st) == SQLITE_ROW;
        db_stmt_done(st);
        if (!found)
            return false;
    }
    return true;
}

enum svc_id {
    S_LOOKUP,
    S_MISS,
    S_POINTS,
    S_HUKOU,
    S_ENROLL,
    S_WAGES,
    S_GUIDE,
    S_SUBSIDY,
    S_ALL,
    S_COUNT
};
static const char *const svc_names[S_COUNT] = {
    "worker lookup",       "unregistered lookup", "points",
    "registration routes", "enrollment",          "minimum wage+guideline",
    "guide price lookup",  "subsidies",           "all, one worker",
};

/* Counts and reports (the first few) failures; returns true when rc is 0. */
static bool
check(struct bench *b, int rc, const char *what)
{
    if (rc != 0 && b->errors++ < 5)
        fprintf(stderr, "bench_services: %s: %s\n", what, gy_strerror(rc));
    return rc == 0;
}

/* Runs service s once for a random worker; returns its wall-clock time in seconds and
 * stores its thread CPU time in *cpu. */
static double
run_one(struct bench *b, enum svc_id s, double *cpu)
{
    char msisdn[GEN_MSISDN_LEN];
    struct svc_worker w;
    static struct svc_points pts; /* big structs: outside the stack frame */
    static struct svc_hukou hk;
    static struct svc_wages wg;
    static struct svc_guide_price gp[MAX_GUIDE];
    struct svc_enroll en;
    struct svc_subsidy sb;
    size_t ngp;
    bool more;
    const char *query = guide_queries[rng_next(b) % NQUERIES];

    if (s == S_MISS) {
        /* 86137...: never generated, never a demo number */
        snprintf(msisdn, sizeof msisdn, "86137%08u", (unsigned)(rng_next(b) % 100000000u));
        double c0 = bench_cpu_now(), t0 = bench_now();
        int rc = svc_worker_get(b->db, msisdn, &w);
        double t = bench_now() - t0;
        *cpu = bench_cpu_now() - c0;
        if (rc != GY_ENOTFOUND)
            check(b, rc == 0 ? GY_EEXIST : rc, "unregistered lookup");
        return t;
    }
    random_msisdn(b, msisdn);
    if (s != S_LOOKUP && s != S_ALL)
        check(b, svc_worker_get(b->db, msisdn, &w), "worker lookup");
    double c0 = bench_cpu_now(), t0 = bench_now();
    switch (s) {
    case S_LOOKUP:
        check(b, svc_worker_get(b->db, msisdn, &w), "worker lookup");
        break;
    case S_POINTS:
        check(b, svc_points_compute(b->db, &w, b->today, &pts), "points");
        break;
    case S_HUKOU:
        check(b, svc_hukou_check(b->db, &w, b->today, NULL, &hk), "registration routes");
        break;
    case S_ENROLL:
        memset(&en, 0, sizeof en);
        if (check(b, svc_enroll_check(b->db, &w, b->today, 0, NULL, &en), "enrollment"))
            svc_enroll_fini(&en);
        break;
    case S_WAGES:
        check(b, svc_wages_for_worker(b->db, &w, b->today, &wg), "wages");
        break;
    case S_GUIDE:
        check(b, svc_guide_prices_find(b->db, query, gp, MAX_GUIDE, &ngp, &more), "guide");
        break;
    case S_SUBSIDY:
        memset(&sb, 0, sizeof sb);
        if (check(b, svc_subsidy_check(b->db, &w, b->today, &sb), "subsidies"))
            svc_subsidy_fini(&sb);
        break;
    case S_ALL:
        /* what `gongyou worker show` asks for one worker: points once, shared */
        check(b, svc_worker_get(b->db, msisdn, &w), "worker lookup");
        check(b, svc_points_compute(b->db, &w, b->today, &pts), "points");
        check(b, svc_hukou_check(b->db, &w, b->today, &pts, &hk), "registration routes");
        memset(&en, 0, sizeof en);
        if (check(b, svc_enroll_check(b->db, &w, b->today, 0, &pts, &en), "enrollment"))
            svc_enroll_fini(&en);
        check(b, svc_wages_for_worker(b->db, &w, b->today, &wg), "wages");
        check(b, svc_guide_prices_find(b->db, query, gp, MAX_GUIDE, &ngp, &more), "guide");
        memset(&sb, 0, sizeof sb);
        if (check(b, svc_subsidy_check(b->db, &w, b->today, &sb), "subsidies"))
            svc_subsidy_fini(&sb);
        break;
    default:
        break;
    }
    double t = bench_now() - t0;
    *cpu = bench_cpu_now() - c0;
    return t;
}

static int
parse_args(int argc, char **argv, struct opts *o)
{
    static const struct option lopts[] = {
        {"db", required_argument, NULL, 'd'},       {"workers", required_argument, NULL, 'n'},
        {"samples", required_argument, NULL, 'm'},  {"seed", required_argument, NULL, 's'},
        {"reuse", no_argument, NULL, 'R'},          {"smoke", no_argument, NULL, 'S'},
        {"help", no_argument, NULL, 'h'},           {"cache-mib", required_argument, NULL, 'C'},
        {"mmap-mib", required_argument, NULL, 'M'}, {NULL, 0, NULL, 0},
    };
    int c;
    while ((c = getopt_long(argc, argv, "d:n:m:s:h", lopts, NULL)) != -1) {
        char *end = NULL;
        switch (c) {
        case 'd':
            o->db_path = optarg;
            break;
        case 'n':
            o->workers = strtoul(optarg, &end, 10);
            if (*end != '\0' || o->workers == 0 || o->workers > GEN_MAX_WORKERS) {
                fprintf(stderr, "bench_services: --workers must be 1..%lu\n", GEN_MAX_WORKERS);
                return 2;
            }
            break;
        case 'm':
            o->samples = strtoul(optarg, &end, 10);
            if (*end != '\0' || o->samples == 0 || o->samples > 10000000) {
                fprintf(stderr, "bench_services: --samples must be 1..10000000\n");
                return 2;
            }
            break;
        case 's':
            o->seed = strtoull(optarg, &end, 10);
            if (*end != '\0') {
                fprintf(stderr, "bench_services: --seed must be an integer\n");
                return 2;
            }
            break;
        case 'R':
            o->reuse = true;
            break;
        case 'C':
        case 'M': {
            long v = strtol(optarg, &end, 10);
            if (*end != '\0' || v < 1 || v > 65536) {
                fprintf(stderr, "bench_services: --cache-mib/--mmap-mib must be 1..65536\n");
                return 2;
            }
            *(c == 'C' ? &o->cache_mib : &o->mmap_mib) = v;
            break;
        }
        case 'S':
            o->smoke = true;
            o->workers = 1000;
            o->samples = 300;
            break;
        case 'h':
            usage(stdout);
            exit(0);
        default:
            usage(stderr);
            return 2;
        }
    }
    if (optind != argc) {
        usage(stderr);
        return 2;
    }
    return 0;
}

int
main(int argc, char **argv)
{
    struct opts o = {
        .db_path = GY_BENCH_DEFAULT_DB, .workers = 1000000, .samples = 10000, .seed = 1};
    int rc = parse_args(argc, argv, &o);
    if (rc != 0)
        return rc;

    char demo_dir[2048], smoke_dir[2048] = "", smoke_db[4096], err[512] = "";
    const char *src = getenv("GONGYOU_SOURCE_DIR");
    snprintf(demo_dir, sizeof demo_dir, "%s/db/demo", src && *src ? src : GY_BENCH_SOURCE_DIR);
    if (o.smoke) {
        if (bench_temp_dir("gy-bench-smoke", smoke_dir, sizeof smoke_dir) != 0) {
            perror("bench_services: temporary directory");
            return 1;
        }
        snprintf(smoke_db, sizeof smoke_db, "%s/services.db", smoke_dir);
        o.db_path = smoke_db;
        o.reuse = false;
    }
    struct bench b = {.rng = o.seed * 0x2545F4914F6CDD1DULL + 1};
    b.gen.seed = o.seed;
    b.gen.workers = o.workers;
    b.gen.ref_dir = demo_dir;
    if (gy_date_today(&b.today) != 0) {
        fprintf(stderr, "bench_services: GONGYOU_TODAY is not a valid date\n");
        return 2;
    }
    b.gen.today = b.today;
    char today_s[GY_DATE_STRLEN];
    setvbuf(stdout, NULL, _IOLBF, 0);
    bench_print_machine(stdout);
    printf("today:   %s, %lu workers (seed %llu), %zu samples per service\n",
           gy_date_format(b.today, today_s), o.workers, o.seed, o.samples);

    bool built = false;
    if (o.reuse && db_open(o.db_path, DB_OPEN_READONLY, &b.db, err, sizeof err) == 0) {
        built = db_require_current(b.db, err, sizeof err) == 0 && db_reusable(&b);
        db_close(b.db);
        b.db = NULL;
        printf("%s %s\n", built ? "reusing" : "cannot reuse, rebuilding", o.db_path);
    }
    if (!built && (rc = build_db(&o, &b, demo_dir)) != 0)
        goto out;

    rc = db_open(o.db_path, DB_OPEN_READONLY, &b.db, err, sizeof err);
    if (rc != 0) {
        fprintf(stderr, "bench_services: %s\n", err);
        goto out;
    }
    char pragma[96];
    if (o.cache_mib > 0) {
        snprintf(pragma, sizeof pragma, "PRAGMA cache_size = -%ld", o.cache_mib * 1024);
        db_exec(b.db, pragma);
    }
    if (o.mmap_mib > 0) {
        snprintf(pragma, sizeof pragma, "PRAGMA mmap_size = %ld", o.mmap_mib * 1048576);
        db_exec(b.db, pragma);
    }
    printf("sampling connection: %s page cache, %s memory map\n",
           o.cache_mib > 0 ? "custom" : "default", o.mmap_mib > 0 ? "custom" : "default");
    if (o.cache_mib > 0 || o.mmap_mib > 0)
        printf("  cache_size %ld MiB, mmap_size %ld MiB\n", o.cache_mib, o.mmap_mib);
    /* warm-up: every statement prepared, the hot pages read once */
    size_t warm = o.samples / 10 < 500 ? o.samples / 10 : 500;
    double cpu;
    for (size_t i = 0; i < warm; i++)
        for (int s = 0; s < S_COUNT; s++)
            (void)run_one(&b, (enum svc_id)s, &cpu);

    /* Interleaved: sample i runs every service once (each for its own random worker),
     * so that a burst of load on the machine hits all services alike. */
    double *wall = malloc(o.samples * S_COUNT * sizeof *wall);
    double *cpus = malloc(o.samples * S_COUNT * sizeof *cpus);
    if (wall == NULL || cpus == NULL) {
        free(wall);
        free(cpus);
        rc = GY_ENOMEM;
        goto out;
    }
    double t_start = bench_now();
    for (size_t i = 0; i < o.samples; i++)
        for (int s = 0; s < S_COUNT; s++) {
            wall[(size_t)s * o.samples + i] = run_one(&b, (enum svc_id)s, &cpu) * 1e6;
            cpus[(size_t)s * o.samples + i] = cpu * 1e6;
        }
    printf("\nsampled in %.1f s\n", bench_now() - t_start);
    bench_print_load(stdout, "load:   ");
    printf("\n%-24s %8s %10s %10s %10s %10s %10s %7s\n", "service", "samples", "median us",
           "p99 us", "max us", "cpu med", "cpu p99", "target");
    bool met = true, cpu_met = true;
    for (int s = 0; s < S_COUNT; s++) {
        struct bench_summary sw, sc;
        bench_summarize(wall + (size_t)s * o.samples, o.samples, &sw);
        bench_summarize(cpus + (size_t)s * o.samples, o.samples, &sc);
        double target = s == S_ALL ? 1000.0 : 200.0;
        bool ok = sw.p99 < target;
        met = met && ok;
        cpu_met = cpu_met && sc.p99 < target;
        printf("%-24s %8zu %10.1f %10.1f %10.1f %10.1f %10.1f %7s\n", svc_names[s], sw.n, sw.median,
               sw.p99, sw.max, sc.median, sc.p99, ok ? "met" : "MISSED");
    }
    free(wall);
    free(cpus);
    printf("\ntargets: one service < 200 us, all for one worker < 1000 us\n"
           "  at p99 wall-clock time: %s\n  at p99 thread CPU time: %s\n",
           met ? "met" : "MISSED", cpu_met ? "met" : "MISSED");
    if (b.errors != 0) {
        fprintf(stderr, "bench_services: %lu service calls failed\n", b.errors);
        rc = GY_EDB;
    }
out:
    db_close(b.db);
    if (o.smoke) {
        bench_remove_db(smoke_db);
        bench_remove_dir(smoke_dir);
    }
    return rc == 0 ? 0 : 1;
}
