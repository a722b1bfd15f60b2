/* SPDX-License-Identifier: GPL-3.0-or-later */
/* svc_subsidy: training and skill-assessment subsidies (技能补贴) per certificate: paid,
 * claimable (standard for the level plus the shortage-list uplift, until issued_on +
 * claim_months - 1 day), expired, or no standard for the level; and what the next level
 * in each occupation held would bring (points and subsidy). */
#ifndef SVC_SUBSIDY_H
#define SVC_SUBSIDY_H

#include "db/svc_worker.h"

enum svc_subsidy_status {
    SVC_SUBSIDY_PAID,
    SVC_SUBSIDY_CLAIMABLE,
    SVC_SUBSIDY_EXPIRED,
    SVC_SUBSIDY_NO_STANDARD, /* unclaimed, but subsidy_standards has no row for the level */
};

struct svc_subsidy_amount {
    bool has_standard;
    long long standard_fen;  /* subsidy_standards.amount_fen */
    bool shortage;           /* occupation on the shortage list (see svc_subsidy_check) */
    int uplift_bp;           /* shortage uplift, basis points */
    long long uplift_fen;    /* standard_fen * uplift_bp / 10000, rounded */
    long long total_fen;     /* standard_fen + uplift_fen */
    int claim_months;
    bool example;            /* the standard is an example figure */
};

struct svc_subsidy_cert {
    char occupation[SVC_CODE_LEN];        /* occupations.code */
    char occupation_zh[SVC_NAME_LEN];
    char occupation_en[SVC_NAME_LEN];
    char level[SVC_CODE_LEN];             /* skill_levels.code */
    char level_zh[SVC_NAME_LEN];
    char level_en[SVC_NAME_LEN];
    int rank;
    struct gy_date issued_on;
    enum svc_subsidy_status status;
    long long paid_fen;                   /* PAID: amount paid */
    bool has_paid_on;
    struct gy_date paid_on;
    struct svc_subsidy_amount amount;     /* what the standard gives (uplift as listed on
                                           * issued_on) */
    bool has_deadline;
    struct gy_date deadline;              /* issued_on + claim_months - 1 day */
    int days_left;                        /* CLAIMABLE: deadline - today (0: last day) */
};

struct svc_subsidy_next {
    char occupation[SVC_CODE_LEN];
    char occupation_zh[SVC_NAME_LEN];
    char occupation_en[SVC_NAME_LEN];
    char from_level[SVC_CODE_LEN];        /* highest level held in the occupation */
    char from_level_zh[SVC_NAME_LEN];
    char level[SVC_CODE_LEN];             /* next rank above it */
    char level_zh[SVC_NAME_LEN];
    char level_en[SVC_NAME_LEN];
    int rank;
    int level_points;                     /* skill_levels.points of the next level */
    int points_gain;                      /* over the highest level held in any occupation */
    bool points_example;
    struct svc_subsidy_amount amount;     /* uplift as listed on today */
};

struct svc_subsidy {
    size_t n_certs;
    struct svc_subsidy_cert *certs;       /* owned; by occupation, then rank */
    size_t n_next;
    struct svc_subsidy_next *next;        /* owned; one per occupation with a higher level */
    long long claimable_fen;              /* sum over CLAIMABLE certificates */
    long long paid_fen;                   /* sum over PAID certificates */
};

/* Answers for worker w on date today into *out. The uplift of a certificate applies when
 * its occupation was listed on its issue date; for the next level, when listed today.
 * On success *out owns heap arrays: release them with svc_subsidy_fini(). Returns 0,
 * GY_EPARSE for a malformed stored date, GY_ENOMEM or GY_EDB; on error *out holds
 * nothing to release. */
int svc_subsidy_check(struct db *db, const struct svc_worker *w, struct gy_date today,
                      struct svc_subsidy *out);

/* Frees the arrays of s and zeroes it. NULL and a zeroed struct are no-ops. */
void svc_subsidy_fini(struct svc_subsidy *s);

const char *svc_subsidy_status_name(enum svc_subsidy_status st); /* "paid", "claimable", ... */

#endif
