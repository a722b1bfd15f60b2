/* SPDX-License-Identifier: GPL-3.0-or-later */
/* svc_hukou: household registration (入户): for each of the three routes, whether the
 * worker meets it and what is missing. Route 1: months of work and of social insurance
 * and a stable residence; route 2: a skill level (alone, or with enterprise backbone
 * status); route 3: points. Every threshold is a policy_params row. */
#ifndef SVC_HUKOU_H
#define SVC_HUKOU_H

#include "db/svc_points.h"
#include "db/svc_worker.h"

struct svc_hukou_level {
    int rank;                     /* skill_levels.rank; 0 when none */
    char code[SVC_CODE_LEN];      /* "" when none */
    char name_zh[SVC_NAME_LEN];
    char name_en[SVC_NAME_LEN];
};

struct svc_hukou {
    struct {
        bool met;
        int work_months, work_required, work_missing;
        int insurance_months, insurance_required, insurance_missing;
        bool work_example, insurance_example; /* the required months are examples */
        bool stable_residence;                /* missing when false */
    } route1;
    struct {
        bool met;
        struct svc_hukou_level highest;  /* highest level held (rank 0: none) */
        struct svc_hukou_level talent;   /* lowest level that qualifies alone (技师) */
        struct svc_hukou_level backbone; /* lowest level for enterprise backbones (中级工) */
        bool enterprise_backbone;
        bool by_talent;                  /* met through talent_min_rank */
        bool by_backbone;                /* met through backbone_min_rank + backbone */
        int ranks_missing;               /* talent.rank - highest.rank when not met, else 0 */
    } route2;
    struct {
        bool met;
        int points, threshold, missing;
        bool threshold_example;
    } route3;
    int routes_met; /* number of routes met, 0..3 */
};

/* Checks the three routes for worker w on date today into *out (caller's storage).
 * points may be NULL (they are then computed) or the worker's svc_points_compute() result
 * for the same day. Returns 0, GY_ENOTFOUND when a policy parameter is missing, or GY_EDB. */
int svc_hukou_check(struct db *db, const struct svc_worker *w, struct gy_date today,
                    const struct svc_points *points, struct svc_hukou *out);

#endif
