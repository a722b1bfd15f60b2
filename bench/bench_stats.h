/* SPDX-License-Identifier: GPL-3.0-or-later */
/* bench_stats: what the benchmark programs share: a monotonic clock, median and
 * percentiles of samples, the machine figures printed with every result, and removal of
 * the temporary files a benchmark made. Never used by the daemon. */
#ifndef BENCH_STATS_H
#define BENCH_STATS_H

#include <stddef.h>
#include <stdio.h>

/* Monotonic time in seconds. */
double bench_now(void);
/* CPU time of the calling thread in seconds (excludes time the thread waited for a core,
 * so it separates the cost of a call from contention on a busy machine). */
double bench_cpu_now(void);

struct bench_summary {
    size_t n;
    double median, p99, min, max, mean;
};

/* Sorts v[0..n) in place and summarizes it (nearest-rank percentiles). n may be 0. */
void bench_summarize(double *v, size_t n, struct bench_summary *out);

/* Prints CPU model, online cores, memory, kernel, SQLite version, compiler, build type
 * and the load average. */
void bench_print_machine(FILE *fp);
/* Prints "load average: 1m 5m 15m" from /proc/loadavg with a label. */
void bench_print_load(FILE *fp, const char *label);

/* Removes the regular files in dir (not recursively) and dir itself. Returns 0 or -1. */
int bench_remove_dir(const char *dir);

/* Removes a SQLite database file with its -wal, -shm and -journal files. */
void bench_remove_db(const char *path);

/* Makes a new directory named prefix-XXXXXX under $TMPDIR (else /tmp) into out (len
 * bytes). Returns 0 or -1. */
int bench_temp_dir(const char *prefix, char *out, size_t len);

#endif
