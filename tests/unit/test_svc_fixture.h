/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test_svc_fixture: shared set-up of the service tests: a fresh database in a unique temp
 * directory, migrated, with the demo data set loaded through the CSV importer from
 * $GONGYOU_SOURCE_DIR/db/demo, plus helpers to add edge-case rows with SQL. Header-only
 * (static functions) so each test_svc_*.c stays one cmocka binary. */
#ifndef TEST_SVC_FIXTURE_H
#define TEST_SVC_FIXTURE_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <dirent.h>
#include <unistd.h>

#include "base/gy_date.h"
#include "base/gy_err.h"
#include "db/db_import.h"
#include "db/db_store.h"
#include "db/svc_worker.h"

#define MSISDN_A "8613800138000"
#define MSISDN_B "8613800138001"
#define MSISDN_C "8613800138002"

struct fixture {
    char dir[256];
    char path[300];
    struct db *db;
    struct gy_date today;
};

static inline struct gy_date
fx_date(const char *s)
{
    struct gy_date r = {0, 0, 0};
    assert_int_equal(gy_date_parse(s, &r), 0);
    return r;
}

static inline int
fx_setup(void **state)
{
    struct fixture *fx = calloc(1, sizeof(*fx));
    assert_non_null(fx);
    const char *tmp = getenv("TMPDIR");
    snprintf(fx->dir, sizeof(fx->dir), "%s/gy-svc-XXXXXX", tmp && tmp[0] ? tmp : "/tmp");
    assert_non_null(mkdtemp(fx->dir));
    snprintf(fx->path, sizeof(fx->path), "%s/t.db", fx->dir);
    char err[256];
    assert_int_equal(db_open(fx->path, DB_OPEN_CREATE, &fx->db, err, sizeof(err)), 0);
    assert_int_equal(db_migrate(fx->db, NULL, NULL), 0);
    const char *src = getenv("GONGYOU_SOURCE_DIR");
    assert_non_null(src);
    char demo[512];
    snprintf(demo, sizeof(demo), "%s/db/demo", src);
    struct import_report rep = IMPORT_REPORT_INIT;
    int rc = import_demo(fx->db, demo, &rep);
    for (size_t i = 0; i < rep.nrejects; i++)
        fprintf(stderr, "demo reject %s:%ld: %s\n", import_kind_name(rep.rejects[i].kind),
                rep.rejects[i].line, rep.rejects[i].message);
    import_report_fini(&rep);
    assert_int_equal(rc, 0);
    const char *today = getenv("GONGYOU_TODAY");
    fx->today = fx_date(today && today[0] ? today : "2026-11-28");
    *state = fx;
    return 0;
}

static inline int
fx_teardown(void **state)
{
    struct fixture *fx = *state;
    db_close(fx->db);
    /* Remove every file the test left in its own directory (db, WAL, outputs). */
    DIR *d = opendir(fx->dir);
    for (struct dirent *e; d != NULL && (e = readdir(d)) != NULL;) {
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
            continue;
        char p[600];
        snprintf(p, sizeof(p), "%s/%s", fx->dir, e->d_name);
        unlink(p);
    }
    if (d != NULL)
        closedir(d);
    rmdir(fx->dir);
    free(fx);
    return 0;
}

/* Runs SQL text (edge-case rows) and fails the test on error. */
static inline void
fx_exec(struct fixture *fx, const char *sql)
{
    int rc = db_exec(fx->db, sql);
    if (rc != 0)
        fprintf(stderr, "SQL failed: %s\n  %s\n", db_errmsg(fx->db), sql);
    assert_int_equal(rc, 0);
}

/* Adds a bare worker (no certificates, children, records) with the given number and
 * figures; the ID number is made unique from the number. */
static inline void
fx_add_worker(struct fixture *fx, const char *msisdn, const char *district,
              const char *education, const char *permit_since, int stable, int backbone,
              int insurance_months, int work_months)
{
    char sql[1024];
    snprintf(sql, sizeof(sql),
             "INSERT INTO workers (msisdn, id_number, name, district, education,"
             " residence_permit_since, stable_residence, enterprise_backbone,"
             " insurance_months, work_months) VALUES ('%s', 'T%s', '测试', '%s', %s%s%s,"
             " %s%s%s, %d, %d, %d, %d)",
             msisdn, msisdn, district, education ? "'" : "", education ? education : "NULL",
             education ? "'" : "", permit_since ? "'" : "",
             permit_since ? permit_since : "NULL", permit_since ? "'" : "", stable, backbone,
             insurance_months, work_months);
    fx_exec(fx, sql);
}

static inline void
fx_worker(struct fixture *fx, const char *msisdn, struct svc_worker *w)
{
    assert_int_equal(svc_worker_get(fx->db, msisdn, w), 0);
}

#endif
