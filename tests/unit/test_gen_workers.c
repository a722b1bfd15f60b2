/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test_gen_workers: the synthetic worker generator is deterministic for a seed, writes
 * unique numbers and valid ID numbers, and its output imports with zero rejects into a
 * fresh database holding the demo reference data. */
#include "bench/gen_workers.h"
#include "base/gy_err.h"
#include "db/db_import.h"
#include "db/db_store.h"
#include "test_tmpdir.h"
#include "test_db_int.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#define N_SMALL 300

struct fixture {
    char dir[512];      /* mkdtemp */
    char ref_dir[1024]; /* db/demo of the source tree */
};

static char *
read_all(const char *path, size_t *len)
{
    FILE *fp = fopen(path, "rb");
    if (fp == NULL)
        return NULL;
    char *buf = NULL;
    size_t cap = 0, n = 0;
    for (;;) {
        if (n + 4096 > cap) {
            cap = cap ? cap * 2 : 65536;
            char *nb = realloc(buf, cap);
            if (nb == NULL) {
                free(buf);
                fclose(fp);
                return NULL;
            }
            buf = nb;
        }
        size_t got = fread(buf + n, 1, cap - n - 1, fp);
        n += got;
        if (got == 0)
            break;
    }
    fclose(fp);
    buf[n] = '\0';
    *len = n;
    return buf;
}

static void
path_in(char *out, size_t len, const char *dir, const char *sub, const char *name)
{
    snprintf(out, len, "%s/%s/%s", dir, sub, name);
}

static int
setup(void **state)
{
    struct fixture *f = calloc(1, sizeof *f);
    if (f == NULL)
        return -1;
    if (test_tmpdir_make(f->dir, sizeof f->dir, "gy-gen-") != 0) {
        free(f);
        return -1;
    }
    const char *src = getenv("GONGYOU_SOURCE_DIR");
    snprintf(f->ref_dir, sizeof f->ref_dir, "%s/db/demo", src && *src ? src : ".");
    *state = f;
    return 0;
}

static int
teardown(void **state)
{
    struct fixture *f = *state;
    test_tmpdir_remove(f->dir);
    free(f);
    return 0;
}

static struct gen_config
config(const struct fixture *f, uint64_t seed, unsigned long first, unsigned long n)
{
    struct gen_config cfg = {.seed = seed, .first = first, .workers = n, .ref_dir = f->ref_dir};
    assert_int_equal(gy_date_parse("2026-11-28", &cfg.today), 0);
    return cfg;
}

static void
generate(const struct fixture *f, const struct gen_config *cfg, const char *sub,
         struct gen_counts *counts)
{
    char out[1024], err[512] = "";
    assert_int_equal(test_tmpdir_path(out, sizeof out, f->dir, sub), 0);
    if (mkdir(out, 0700) != 0)
        assert_true(access(out, W_OK) == 0);
    int rc = gen_workers_write(cfg, out, counts, err, sizeof err);
    if (rc != 0)
        fail_msg("gen_workers_write: %s (%s)", err, gy_strerror(rc));
}

static bool
same_file(const struct fixture *f, const char *sub1, const char *sub2, const char *name)
{
    char p1[1024], p2[1024];
    size_t l1 = 0, l2 = 0;
    path_in(p1, sizeof p1, f->dir, sub1, name);
    path_in(p2, sizeof p2, f->dir, sub2, name);
    char *a = read_all(p1, &l1), *b = read_all(p2, &l2);
    assert_non_null(a);
    assert_non_null(b);
    bool same = l1 == l2 && memcmp(a, b, l1) == 0;
    free(a);
    free(b);
    return same;
}

/* Known GB 11643 check characters (the demo's ID numbers and a few with X and 0). */
static void
test_idnum_check(void **state)
{
    (void)state;
    static const struct {
        const char *id17;
        char check;
    } cases[] = {
        {"43042119880512341", '2'}, {"45092119920817262", '5'}, {"51132219850101153", '6'},
        {"11010519491231002", 'X'}, {"44010619900307006", '0'}, {"4304211988051234a", 0},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
        assert_int_equal(gen_idnum_check(cases[i].id17), cases[i].check);
}

static void
test_deterministic(void **state)
{
    struct fixture *f = *state;
    struct gen_config c1 = config(f, 42, 0, N_SMALL), c2 = config(f, 43, 0, N_SMALL);
    struct gen_counts n1, n2, n3;
    generate(f, &c1, "a", &n1);
    generate(f, &c1, "b", &n2);
    generate(f, &c2, "c", &n3);
    assert_memory_equal(&n1, &n2, sizeof n1);
    static const char *const names[] = {GEN_FILE_WORKERS, GEN_FILE_CERTIFICATES, GEN_FILE_CHILDREN,
                                        GEN_FILE_SERVICES};
    for (size_t i = 0; i < 4; i++) {
        assert_true(same_file(f, "a", "b", names[i]));
        assert_false(same_file(f, "a", "c", names[i]));
    }
    assert_int_equal(n1.workers, N_SMALL);
    /* the distributions give some of each record kind for 300 workers */
    assert_true(n1.certificates > N_SMALL / 4);
    assert_true(n1.children > N_SMALL / 4);
    assert_true(n1.services > N_SMALL / 4);

    /* a chunk [100, 150) is the same as those lines of the whole set */
    struct gen_config chunk = config(f, 42, 100, 50);
    generate(f, &chunk, "chunk", NULL);
    char p1[1024], p2[1024];
    size_t l1, l2;
    path_in(p1, sizeof p1, f->dir, "a", GEN_FILE_WORKERS);
    path_in(p2, sizeof p2, f->dir, "chunk", GEN_FILE_WORKERS);
    char *all = read_all(p1, &l1), *part = read_all(p2, &l2);
    assert_non_null(all);
    assert_non_null(part);
    const char *body = strchr(part, '\n') + 1; /* skip the header */
    assert_non_null(strstr(all, body));
    free(all);
    free(part);
}

/* Every worker line: unique 86139 msisdn (never a demo or 8613900000000), the msisdn of
 * gen_worker_msisdn(i), and an 18-character ID number with its check character. */
static void
test_numbers(void **state)
{
    struct fixture *f = *state;
    struct gen_config cfg = config(f, 7, 0, N_SMALL);
    generate(f, &cfg, "a", NULL);
    char p[1024];
    size_t len;
    path_in(p, sizeof p, f->dir, "a", GEN_FILE_WORKERS);
    char *text = read_all(p, &len);
    assert_non_null(text);
    static char seen[N_SMALL][GEN_MSISDN_LEN];
    static char ids[N_SMALL][19];
    char *save = NULL;
    char *line = strtok_r(text, "\n", &save); /* header */
    assert_non_null(line);
    assert_true(strncmp(line, "msisdn,id_number,name,district,", 31) == 0);
    unsigned long i = 0;
    while ((line = strtok_r(NULL, "\n", &save)) != NULL) {
        assert_true(i < N_SMALL);
        char expect[GEN_MSISDN_LEN];
        gen_worker_msisdn(&cfg, i, expect);
        assert_true(strncmp(line, expect, 13) == 0 && line[13] == ',');
        assert_true(strncmp(expect, "86139", 5) == 0);
        assert_string_not_equal(expect, "8613900000000");
        memcpy(seen[i], expect, GEN_MSISDN_LEN);
        const char *id = line + 14;
        assert_true(strlen(id) > 19 && id[18] == ',');
        memcpy(ids[i], id, 18);
        ids[i][18] = '\0';
        assert_int_equal(gen_idnum_check(ids[i]), ids[i][17]);
        i++;
    }
    assert_int_equal(i, N_SMALL);
    for (unsigned long a = 0; a < N_SMALL; a++)
        for (unsigned long b = a + 1; b < N_SMALL; b++) {
            assert_string_not_equal(seen[a], seen[b]);
            assert_string_not_equal(ids[a], ids[b]);
        }
    free(text);
}

static void
test_bad_config(void **state)
{
    struct fixture *f = *state;
    char err[256] = "";
    struct gen_config cfg = config(f, 1, 0, 0);
    assert_int_equal(gen_workers_write(&cfg, f->dir, NULL, err, sizeof err), GY_EINVAL);
    cfg = config(f, 1, GEN_MAX_WORKERS - 1, 2);
    assert_int_equal(gen_workers_write(&cfg, f->dir, NULL, err, sizeof err), GY_EINVAL);
    cfg = config(f, 1, 0, 5);
    cfg.ref_dir = "/nonexistent-gongyou-ref";
    assert_int_equal(gen_workers_write(&cfg, f->dir, NULL, err, sizeof err), GY_EIO);
    assert_non_null(strstr(err, "occupations.csv"));
}

static void
test_imports_without_rejects(void **state)
{
    struct fixture *f = *state;
    struct gen_config cfg = config(f, 2026, 0, N_SMALL);
    struct gen_counts n;
    generate(f, &cfg, "a", &n);

    char dbpath[1024], err[256] = "";
    assert_int_equal(test_tmpdir_path(dbpath, sizeof dbpath, f->dir, "g.db"), 0);
    struct db *db = NULL;
    assert_int_equal(db_open(dbpath, DB_OPEN_CREATE, &db, err, sizeof err), 0);
    assert_int_equal(db_migrate(db, NULL, NULL), 0);
    struct import_report rep = IMPORT_REPORT_INIT;
    assert_int_equal(import_demo(db, f->ref_dir, &rep), 0);
    import_report_fini(&rep);

    static const struct {
        enum import_kind kind;
        const char *file;
    } files[] = {
        {IMPORT_WORKERS, GEN_FILE_WORKERS},
        {IMPORT_CERTIFICATES, GEN_FILE_CERTIFICATES},
        {IMPORT_CHILDREN, GEN_FILE_CHILDREN},
        {IMPORT_SERVICES, GEN_FILE_SERVICES},
    };
    const unsigned long expect[] = {n.workers, n.certificates, n.children, n.services};
    for (size_t i = 0; i < 4; i++) {
        char p[1024];
        path_in(p, sizeof p, f->dir, "a", files[i].file);
        struct import_report r = IMPORT_REPORT_INIT;
        int rc = import_file(db, files[i].kind, p, IMPORT_ENC_AUTO, &r);
        if (rc != 0 || r.rejected != 0)
            fail_msg("%s: rc %d, %ld rejected; first: line %ld: %s", files[i].file, rc, r.rejected,
                     r.nrejects ? r.rejects[0].line : 0L, r.nrejects ? r.rejects[0].message : "-");
        assert_int_equal(r.rows_read, (long)expect[i]);
        assert_int_equal(r.imported, (long)expect[i]);
        import_report_fini(&r);
    }
    static const char q_workers[] = "SELECT count(*) FROM workers WHERE msisdn LIKE '86139%'";
    static const char q_certs[] = "SELECT count(*) FROM certificates";
    static const char q_children[] = "SELECT count(*) FROM children";
    static const char q_services[] = "SELECT count(*) FROM service_records";
    static const char q_demo_certs[] =
        "SELECT count(*) FROM certificates c JOIN workers w ON w.id = c.worker_id "
        "WHERE w.msisdn LIKE '86138%'";
    static const char q_demo_children[] =
        "SELECT count(*) FROM children c JOIN workers w ON w.id = c.worker_id "
        "WHERE w.msisdn LIKE '86138%'";
    static const char q_demo_services[] =
        "SELECT count(*) FROM service_records s JOIN workers w ON w.id = s.worker_id "
        "WHERE w.msisdn LIKE '86138%'";
    assert_int_equal(test_db_int(db, q_workers), (long)n.workers);
    assert_int_equal(test_db_int(db, q_certs) - test_db_int(db, q_demo_certs),
                     (long)n.certificates);
    assert_int_equal(test_db_int(db, q_children) - test_db_int(db, q_demo_children),
                     (long)n.children);
    assert_int_equal(test_db_int(db, q_services) - test_db_int(db, q_demo_services),
                     (long)n.services);
    db_close(db);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_idnum_check),
        cmocka_unit_test_setup_teardown(test_deterministic, setup, teardown),
        cmocka_unit_test_setup_teardown(test_numbers, setup, teardown),
        cmocka_unit_test_setup_teardown(test_bad_config, setup, teardown),
        cmocka_unit_test_setup_teardown(test_imports_without_rejects, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
