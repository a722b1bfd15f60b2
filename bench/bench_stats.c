/* SPDX-License-Identifier: GPL-3.0-or-later */
/* bench_stats: clock, sample statistics, machine figures and temporary files of the
 * benchmark programs. */
#include "bench/bench_stats.h"

#include <dirent.h>
#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>

#ifndef GY_BENCH_BUILD_TYPE
#define GY_BENCH_BUILD_TYPE "unknown"
#endif

double
bench_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

double
bench_cpu_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static int
cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* Nearest rank: the smallest value with at least p of the samples at or below it. */
static double
percentile(const double *v, size_t n, double p)
{
    size_t rank = (size_t)(p * (double)n + 0.999999);
    if (rank < 1)
        rank = 1;
    if (rank > n)
        rank = n;
    return v[rank - 1];
}

void
bench_summarize(double *v, size_t n, struct bench_summary *out)
{
    memset(out, 0, sizeof *out);
    out->n = n;
    if (n == 0)
        return;
    qsort(v, n, sizeof *v, cmp_double);
    double sum = 0;
    for (size_t i = 0; i < n; i++)
        sum += v[i];
    out->min = v[0];
    out->max = v[n - 1];
    out->mean = sum / (double)n;
    out->median = n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
    out->p99 = percentile(v, n, 0.99);
}

static void
cpu_model(char *buf, size_t len)
{
    snprintf(buf, len, "unknown");
    FILE *fp = fopen("/proc/cpuinfo", "r");
    if (fp == NULL)
        return;
    char line[512];
    while (fgets(line, sizeof line, fp) != NULL) {
        if (strncmp(line, "model name", 10) == 0) {
            char *colon = strchr(line, ':');
            if (colon != NULL) {
                colon += colon[1] == ' ' ? 2 : 1;
                colon[strcspn(colon, "\n")] = '\0';
                snprintf(buf, len, "%s", colon);
            }
            break;
        }
    }
    fclose(fp);
}

void
bench_print_machine(FILE *fp)
{
    char cpu[256];
    struct utsname u;
    cpu_model(cpu, sizeof cpu);
    long cores = sysconf(_SC_NPROCESSORS_ONLN);
    long pages = sysconf(_SC_PHYS_PAGES), psize = sysconf(_SC_PAGESIZE);
    double mem_gib = pages > 0 && psize > 0 ? (double)pages * (double)psize / 1073741824.0 : 0;
    fprintf(fp, "machine: %s, %ld cores online, %.1f GiB RAM\n", cpu, cores, mem_gib);
    if (uname(&u) == 0)
        fprintf(fp, "system:  %s %s %s\n", u.sysname, u.release, u.machine);
    fprintf(fp, "build:   %s, SQLite %s, C compiler %s\n", GY_BENCH_BUILD_TYPE,
            sqlite3_libversion(),
#ifdef __VERSION__
            __VERSION__
#else
            "unknown"
#endif
    );
    bench_print_load(fp, "load:   ");
}

void
bench_print_load(FILE *fp, const char *label)
{
    char buf[128] = "";
    FILE *la = fopen("/proc/loadavg", "r");
    if (la != NULL) {
        if (fgets(buf, sizeof buf, la) == NULL)
            buf[0] = '\0';
        fclose(la);
    }
    double l1 = 0, l5 = 0, l15 = 0;
    if (sscanf(buf, "%lf %lf %lf", &l1, &l5, &l15) == 3)
        fprintf(fp, "%s load average %.2f %.2f %.2f (1, 5, 15 min)\n", label, l1, l5, l15);
}

int
bench_remove_dir(const char *dir)
{
    DIR *d = opendir(dir);
    if (d == NULL)
        return -1;
    struct dirent *e;
    char path[4096];
    while ((e = readdir(d)) != NULL) {
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
            continue;
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        unlink(path);
    }
    closedir(d);
    return rmdir(dir);
}

void
bench_remove_db(const char *path)
{
    static const char *const suffixes[] = {"", "-wal", "-shm", "-journal"};
    char p[4096];
    for (size_t i = 0; i < sizeof suffixes / sizeof suffixes[0]; i++) {
        snprintf(p, sizeof p, "%s%s", path, suffixes[i]);
        unlink(p);
    }
}

int
bench_temp_dir(const char *prefix, char *out, size_t len)
{
    const char *tmp = getenv("TMPDIR");
    int n = snprintf(out, len, "%s/%s-XXXXXX", tmp && *tmp ? tmp : "/tmp", prefix);
    if (n < 0 || (size_t)n >= len)
        return -1;
    return mkdtemp(out) != NULL ? 0 : -1;
}
