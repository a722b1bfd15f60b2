/* SPDX-License-Identifier: GPL-3.0-or-later */
/* svc_points: a worker's points (积分) under the rules in the database: education, the
 * highest skill level held, every points_rules row (social insurance, years of work,
 * social service inside its window) and the agencies' deductions; and the distance to the
 * points_threshold policy parameter. */
#ifndef SVC_POINTS_H
#define SVC_POINTS_H

#include "db/svc_worker.h"

#define SVC_POINTS_MAX_ITEMS 24

enum svc_points_kind {
    SVC_POINTS_EDUCATION, /* code: education_levels.code ("" when unknown, 0 points) */
    SVC_POINTS_SKILL,     /* code: skill_levels.code of the highest level held ("" when none) */
    SVC_POINTS_RULE,      /* code: points_rules.code */
    SVC_POINTS_DEDUCTION, /* code: "deduction"; quantity = number of deductions */
};

struct svc_points_item {
    enum svc_points_kind kind;
    char code[SVC_CODE_LEN];
    char name_zh[SVC_NAME_LEN];
    char name_en[SVC_NAME_LEN];
    long long quantity; /* rule: months, count, hours or fen counted; skill: rank */
    int unit;           /* rule: quantity per step (12 months, 50 hours); else 0 */
    int window_months;  /* rule: months back from today counted; 0 = whole record */
    int points;         /* after the cap; negative for deductions */
    bool capped;        /* the rule's cap cut the points */
    bool example;       /* the figure is an example (label it) */
};

struct svc_points {
    int total;
    int threshold;         /* policy_params points_threshold */
    bool threshold_example;
    int short_of;          /* threshold - total when below, else 0 */
    size_t n_items;
    struct svc_points_item items[SVC_POINTS_MAX_ITEMS]; /* education, skill, rules, deductions */
};

/* Computes the points of worker w (from svc_worker_get) on date today into *out (caller's
 * storage, no allocation). Service records count when on_date lies in
 * [today - window_months, today]. Returns 0, GY_ETOOBIG when points_rules has more rows
 * than SVC_POINTS_MAX_ITEMS allows, GY_ENOTFOUND when a policy parameter is missing, or
 * GY_EDB. */
int svc_points_compute(struct db *db, const struct svc_worker *w, struct gy_date today,
                       struct svc_points *out);

/* The points to use: *points when it is not NULL, else computes them into *local (caller's
 * storage) and points *points at it. Returns 0 or an error of svc_points_compute(). */
int svc_points_ensure(struct db *db, const struct svc_worker *w, struct gy_date today,
                      const struct svc_points **points, struct svc_points *local);

/* The item of the given kind (and code, when code is not NULL), or NULL. */
const struct svc_points_item *svc_points_find(const struct svc_points *p,
                                              enum svc_points_kind kind, const char *code);

#endif
