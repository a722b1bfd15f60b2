/* SPDX-License-Identifier: GPL-3.0-or-later */
/* svc_worker: loads one worker's record by phone number, with the district's wage area.
 * The record holds personal data (name, ID number): callers must never log them. */
#ifndef SVC_WORKER_H
#define SVC_WORKER_H

#include "base/gy_date.h"
#include "db/db_store.h"

#include <stdbool.h>

#define SVC_MSISDN_LEN 24
#define SVC_CODE_LEN 32     /* codes: education, level, occupation, area */
#define SVC_NAME_LEN 128    /* UTF-8 names (people, districts, occupations, schools) */
#define SVC_TEXT_LEN 256    /* employer, sources, reasons */

struct svc_worker {
    long long id;                        /* workers.id, key of the other records */
    char msisdn[SVC_MSISDN_LEN];         /* international form without '+' */
    char id_number[SVC_MSISDN_LEN];      /* never log; show only masked */
    char name[SVC_NAME_LEN];             /* never log */
    char district[SVC_NAME_LEN];         /* 蓬江区 */
    char district_en[SVC_NAME_LEN];
    char wage_area[SVC_CODE_LEN];        /* districts.wage_area */
    char employer[SVC_TEXT_LEN];
    char education[SVC_CODE_LEN];        /* education_levels.code, "" when unknown */
    bool has_permit;                     /* Guangdong residence permit in Jiangmen */
    struct gy_date permit_since;         /* valid when has_permit */
    bool stable_residence;
    bool enterprise_backbone;
    int insurance_months;                /* months of social insurance in Jiangmen */
    int work_months;                     /* months of work in Jiangmen */
    char language[4];                    /* "zh" or "en" */
    bool opted_out;
};

/* Loads the worker registered under msisdn into *out (caller's storage; no allocation).
 * Returns 0, GY_ENOTFOUND for an unregistered number, GY_EINVAL for a NULL or empty
 * msisdn, GY_EPARSE when the stored permit date is malformed, or GY_EDB. */
int svc_worker_get(struct db *db, const char *msisdn, struct svc_worker *out);

/* The language a registered worker chose ("zh", "en") into buf (len bytes): the cheap
 * lookup the gateway makes for every message. Returns 0, GY_ENOTFOUND or GY_EDB. */
int svc_worker_language(struct db *db, const char *msisdn, char *buf, size_t len);

#endif
