/* SPDX-License-Identifier: GPL-3.0-or-later */
/* svc_wages: the minimum wage in force for a wage area on a date and its history, the
 * latest enterprise wage guideline, and occupation wage guide prices looked up by code,
 * exact Chinese name or name prefix. Money in fen, percentages in basis points. */
#ifndef SVC_WAGES_H
#define SVC_WAGES_H

#include "db/svc_worker.h"

#define SVC_WAGES_MAX_HISTORY 32

struct svc_min_wage {
    struct gy_date effective_from;
    long long monthly_fen;
    long long hourly_fen;
    char source[SVC_TEXT_LEN];
};

struct svc_wages {
    char area[SVC_CODE_LEN];
    bool has_current;
    struct svc_min_wage current;  /* latest effective_from <= today */
    size_t n_history;             /* newest first, future ones included */
    struct svc_min_wage history[SVC_WAGES_MAX_HISTORY];
    bool history_truncated;       /* more rows than SVC_WAGES_MAX_HISTORY */
    bool has_guideline;
    struct {
        int year;
        int base_bp, upper_bp, lower_bp; /* 基准线, 上线, 下线 */
        char source[SVC_TEXT_LEN];
    } guideline;                  /* latest year */
};

struct svc_guide_price {
    char code[SVC_CODE_LEN];      /* occupations.code */
    char name_zh[SVC_NAME_LEN];
    char name_en[SVC_NAME_LEN];
    int year;                     /* latest year with prices for the occupation */
    long long low_fen, median_fen, high_fen; /* monthly 低位数 / 中位数 / 高位数 */
    bool example;
};

/* Minimum wage of area (districts.wage_area) on today and its history, and the latest
 * wage guideline, into *out (caller's storage). A missing wage or guideline is reported
 * through has_current / has_guideline, not as an error. Returns 0, GY_EINVAL or GY_EDB. */
int svc_wages_get(struct db *db, const char *area, struct gy_date today, struct svc_wages *out);

/* The same for worker w's area. */
int svc_wages_for_worker(struct db *db, const struct svc_worker *w, struct gy_date today,
                         struct svc_wages *out);

/* Guide prices of the latest year per occupation for query: an occupation code, else an
 * exact Chinese name, else every name starting with query (byte prefix of the UTF-8 text,
 * so "焊" finds 焊工 but not 电焊工), ordered by name. Writes at most max rows into out
 * (caller's array) and their count into *n; *more (may be NULL) tells whether further
 * prefix matches were left out. Occupations without prices are skipped. Returns 0 (also
 * when nothing matches: *n = 0), GY_EINVAL for an empty query or max 0, or GY_EDB. */
int svc_guide_prices_find(struct db *db, const char *query, struct svc_guide_price *out,
                          size_t max, size_t *n, bool *more);

#endif
