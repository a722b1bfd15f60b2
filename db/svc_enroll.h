/* SPDX-License-Identifier: GPL-3.0-or-later */
/* svc_enroll: school places by points (积分入学) for a worker's children in one
 * enrollment round: which entry each child is up for (grade 1 or grade 7), eligible or not
 * with every reason, and the schools of the worker's district at that level with the
 * round's quota and the previous round's cut-off beside the parent's points. */
#ifndef SVC_ENROLL_H
#define SVC_ENROLL_H

#include "db/svc_points.h"
#include "db/svc_worker.h"

enum svc_enroll_entry {
    SVC_ENROLL_NONE,   /* at school, not in the grade before an entry grade */
    SVC_ENROLL_GRADE1, /* not yet at school (current_grade 0 or NULL) */
    SVC_ENROLL_GRADE7, /* in grade enroll_grade7_from_grade now */
};

struct svc_enroll_school {
    char code[SVC_CODE_LEN];
    char name[SVC_NAME_LEN];
    bool has_quota;
    int quota;        /* places in the round */
    bool has_cutoff;
    int cutoff;       /* lowest points admitted in the previous round */
    int margin;       /* parent's points - cutoff (valid when has_cutoff) */
    bool example;     /* school, quota or cut-off is an example figure */
};

struct svc_enroll_list {
    size_t n;
    struct svc_enroll_school *schools; /* owned by the svc_enroll result */
};

struct svc_enroll_child {
    char name[SVC_NAME_LEN]; /* personal data: never log */
    struct gy_date birth;
    int current_grade;       /* 0: not at school */
    enum svc_enroll_entry entry;
    int age;                 /* full years on the round's age_on date */
    int age_required;        /* grade 1: enroll_grade1_age; grade 7: 0 (no age rule) */
    bool age_ok;
    bool permit_ok;          /* parent's continuous permit months >= permit_required */
    bool district_ok;        /* the district has schools at the entry's level */
    bool eligible;           /* entry != NONE and every condition above holds */
};

struct svc_enroll {
    int round_year;
    struct gy_date age_on;          /* 31 August of the entry year */
    bool has_apply_window;
    struct gy_date apply_from, apply_until;
    int prev_year;                  /* round whose cut-offs are shown; 0 when none */
    int parent_points;
    bool has_permit;
    int permit_months;              /* continuous months from permit date to today */
    int permit_required;            /* enroll_permit_months */
    int grade1_age;                 /* enroll_grade1_age */
    int grade7_from_grade;          /* enroll_grade7_from_grade */
    char district[SVC_NAME_LEN];
    size_t n_children;
    struct svc_enroll_child *children; /* owned; by birth date */
    struct svc_enroll_list primary;    /* filled when a child is up for grade 1 */
    struct svc_enroll_list junior;     /* filled when a child is up for grade 7 */
};

/* Answers for worker w on date today into *out. round_year 0 picks the earliest
 * enrollment round whose age_on is on or after today; otherwise that year's round.
 * points may be NULL (computed) or the worker's points for today. On success *out owns
 * heap arrays: release them with svc_enroll_fini(). Returns 0, GY_ENOTFOUND when there is
 * no such round or a policy parameter is missing, GY_EPARSE for a malformed stored date,
 * GY_ENOMEM, or GY_EDB; on error *out holds nothing to release. */
int svc_enroll_check(struct db *db, const struct svc_worker *w, struct gy_date today,
                     int round_year, const struct svc_points *points, struct svc_enroll *out);

/* Frees the arrays of e and zeroes it. NULL and a zeroed struct are no-ops. */
void svc_enroll_fini(struct svc_enroll *e);

const char *svc_enroll_entry_name(enum svc_enroll_entry entry); /* "none", "grade1", "grade7" */

#endif
