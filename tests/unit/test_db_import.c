/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Tests of the CSV importer (db/db_import, csv_reader, csv_text): the demo set loads with
 * the expected counts; bad files (check digit, date, truncated line, unknown district,
 * invalid UTF-8 or GBK bytes, extra or missing columns) are rejected with the right line
 * and change nothing (row counts and a checksum of every table); GBK files import with
 * names intact; re-imports update; amounts and percents are stored in fen and basis points. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "base/gy_err.h"
#include "db/csv_reader.h"
#include "db/csv_text.h"
#include "db/db_import.h"
#include "db/db_store.h"
#include "test_tmpdir.h"
#include "test_db_int.h"

#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

struct fixture {
    char dir[256];
    char path[300];
    struct db *db;
};

static void
data_path(char *buf, size_t len, const char *name)
{
    const char *src = getenv("GONGYOU_SOURCE_DIR");
    assert_non_null(src);
    snprintf(buf, len, "%s/%s", src, name);
}

static void
print_rejects(const struct import_report *rep)
{
    for (size_t i = 0; i < rep->nrejects; i++)
        print_message("  reject %s:%ld: %s\n", import_kind_name(rep->rejects[i].kind),
                      rep->rejects[i].line, rep->rejects[i].message);
}

static int
setup(void **state)
{
    struct fixture *f = calloc(1, sizeof(*f));
    if (f == NULL)
        return -1;
    if (test_tmpdir_make(f->dir, sizeof(f->dir), "gy_import_") != 0 ||
        test_tmpdir_path(f->path, sizeof(f->path), f->dir, "t.db") != 0) {
        free(f);
        return -1;
    }
    char err[256];
    if (db_open(f->path, DB_OPEN_CREATE, &f->db, err, sizeof(err)) != 0 ||
        db_migrate(f->db, NULL, NULL) != 0)
        return -1;
    char demo[512];
    data_path(demo, sizeof(demo), "db/demo");
    struct import_report rep = IMPORT_REPORT_INIT;
    int rc = import_demo(f->db, demo, &rep);
    print_rejects(&rep);
    import_report_fini(&rep);
    *state = f;
    return rc == 0 ? 0 : -1;
}

static int
teardown(void **state)
{
    struct fixture *f = *state;
    db_close(f->db);
    test_tmpdir_remove(f->dir);
    free(f);
    return 0;
}

/* Every table the importer writes, in a stable order. */
static const char *const table_dumps[] = {
    "SELECT * FROM workers ORDER BY 1",
    "SELECT * FROM certificates ORDER BY 1",
    "SELECT * FROM children ORDER BY 1",
    "SELECT * FROM service_records ORDER BY 1",
    "SELECT * FROM deductions ORDER BY 1",
    "SELECT * FROM occupations ORDER BY 1",
    "SELECT * FROM shortage_occupations ORDER BY 1",
    "SELECT * FROM guide_prices ORDER BY 1, 2",
    "SELECT * FROM schools ORDER BY 1",
    "SELECT * FROM enrollment_rounds ORDER BY 1",
    "SELECT * FROM school_rounds ORDER BY 1, 2",
    "SELECT * FROM min_wages ORDER BY 1, 2",
    "SELECT * FROM wage_guidelines ORDER BY 1",
    "SELECT * FROM subsidy_standards ORDER BY 1",
};

struct snapshot {
    long rows;
    unsigned long long hash;
};

static struct snapshot
snap(struct db *db)
{
    struct snapshot s = {0, 1469598103934665603ull};
    for (size_t t = 0; t < sizeof(table_dumps) / sizeof(table_dumps[0]); t++) {
        sqlite3_stmt *st = db_stmt(db, table_dumps[t]);
        assert_non_null(st);
        while (sqlite3_step(st) == SQLITE_ROW) {
            s.rows++;
            for (int c = 0; c < sqlite3_column_count(st); c++) {
                const char *v = sqlite3_column_type(st, c) == SQLITE_NULL ? "\x01NULL"
                                                                          : db_col_text(st, c);
                for (; *v; v++)
                    s.hash = (s.hash ^ (unsigned char)*v) * 1099511628211ull;
                s.hash = (s.hash ^ 0xff) * 1099511628211ull;
            }
        }
        db_stmt_done(st);
    }
    return s;
}

/* Text of the first column of a query with one text parameter, copied into buf. */
static const char *
text1(struct db *db, const char *sql, const char *param, char *buf, size_t len)
{
    sqlite3_stmt *st = db_stmt(db, sql);
    assert_non_null(st);
    sqlite3_bind_text(st, 1, param, -1, SQLITE_STATIC);
    buf[0] = '\0';
    if (sqlite3_step(st) == SQLITE_ROW)
        db_col_copy(st, 0, buf, len);
    db_stmt_done(st);
    return buf;
}

static void
test_demo_counts(void **state)
{
    struct fixture *f = *state;
    static const struct {
        const char *sql;
        long want;
    } cases[] = {
        {"SELECT count(*) FROM workers", 3},
        {"SELECT count(*) FROM certificates", 4},
        {"SELECT count(*) FROM children", 2},
        {"SELECT count(*) FROM service_records", 5},
        {"SELECT count(*) FROM occupations", 24},
        {"SELECT count(*) FROM guide_prices", 24},
        {"SELECT count(*) FROM shortage_occupations", 5},
        {"SELECT count(*) FROM schools", 17},
        {"SELECT count(*) FROM enrollment_rounds", 2},
        {"SELECT count(*) FROM school_rounds", 34},
        {"SELECT subsidy_paid_fen FROM certificates WHERE level = 'junior' "
         "AND occupation = '6-18-01-01'", 100000},
        {"SELECT uplift_bp FROM shortage_occupations WHERE occupation = '6-18-01-01'", 3000},
        {"SELECT low_fen FROM guide_prices WHERE occupation = '6-18-01-01'", 360000},
        {"SELECT opted_out FROM workers WHERE msisdn = '8613800138001'", 1},
        {"SELECT count(*) FROM workers WHERE education = 'college' AND district = '蓬江区'", 1},
        {"SELECT count(*) FROM school_rounds WHERE year = 2027 AND cutoff IS NULL", 17},
        {"SELECT count(*) FROM children WHERE current_grade = 6", 1},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        long got = test_db_int(f->db, cases[i].sql);
        if (got != cases[i].want)
            fail_msg("%s: got %ld, want %ld", cases[i].sql, got, cases[i].want);
    }
    /* Loading the demo again is harmless: the same rows, the same values. */
    struct snapshot before = snap(f->db);
    char demo[512];
    data_path(demo, sizeof(demo), "db/demo");
    struct import_report rep = IMPORT_REPORT_INIT;
    assert_int_equal(import_demo(f->db, demo, &rep), 0);
    assert_int_equal(rep.rejected, 0);
    assert_int_equal(rep.imported, 120);
    import_report_fini(&rep);
    struct snapshot after = snap(f->db);
    assert_int_equal(before.rows, after.rows);
    assert_true(before.hash == after.hash);
}

static void
test_bad_files_change_nothing(void **state)
{
    struct fixture *f = *state;
    static const struct {
        const char *kind;
        const char *file;
        enum import_encoding enc;
        long line;
        const char *reason;
    } cases[] = {
        {"workers", "bad_check_digit.csv", IMPORT_ENC_AUTO, 3, "check digit"},
        {"children", "bad_date.csv", IMPORT_ENC_AUTO, 3, "not a date"},
        {"workers", "truncated.csv", IMPORT_ENC_AUTO, 3, "unterminated"},
        {"workers", "unknown_district.csv", IMPORT_ENC_AUTO, 4, "unknown district"},
        {"workers", "invalid_utf8.csv", IMPORT_ENC_AUTO, 2, "UTF-8"},
        {"workers", "invalid_gbk.csv", IMPORT_ENC_AUTO, 3, "GBK"},
        {"workers", "invalid_gbk.csv", IMPORT_ENC_GBK, 3, "GBK"},
        {"workers", "workers_gbk.csv", IMPORT_ENC_UTF8, 2, "UTF-8"},
        {"workers", "extra_columns.csv", IMPORT_ENC_AUTO, 1, "unknown column 'shoe_size'"},
        {"workers", "missing_columns.csv", IMPORT_ENC_AUTO, 1, "missing column 'district'"},
        {"workers", "row_columns.csv", IMPORT_ENC_AUTO, 3, "expected 4 fields, found 3"},
        {"certificates", "good_workers.csv", IMPORT_ENC_AUTO, 1, "unknown column"},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        char path[512], rel[128];
        snprintf(rel, sizeof(rel), "tests/data/import/%s", cases[i].file);
        data_path(path, sizeof(path), rel);
        enum import_kind kind;
        assert_int_equal(import_kind_parse(cases[i].kind, &kind), 0);
        struct snapshot before = snap(f->db);
        struct import_report rep = IMPORT_REPORT_INIT;
        int rc = import_file(f->db, kind, path, cases[i].enc, &rep);
        struct snapshot after = snap(f->db);
        if (rc != GY_EPARSE || rep.nrejects == 0 || rep.rejects[0].line != cases[i].line ||
            strstr(rep.rejects[0].message, cases[i].reason) == NULL) {
            print_rejects(&rep);
            fail_msg("%s: rc %d, want a reject on line %ld with '%s'", cases[i].file, rc,
                     cases[i].line, cases[i].reason);
        }
        assert_int_equal(rep.imported, 0);
        assert_int_equal(before.rows, after.rows);
        assert_true(before.hash == after.hash);
        import_report_fini(&rep);
    }
    /* row_columns.csv: both bad rows are reported, each with its line. */
    char path[512];
    data_path(path, sizeof(path), "tests/data/import/row_columns.csv");
    struct import_report rep = IMPORT_REPORT_INIT;
    assert_int_equal(import_file(f->db, IMPORT_WORKERS, path, IMPORT_ENC_AUTO, &rep), GY_EPARSE);
    assert_int_equal(rep.nrejects, 2);
    assert_int_equal(rep.rejects[1].line, 4);
    assert_non_null(strstr(rep.rejects[1].message, "found 5"));
    import_report_fini(&rep);
    /* A file that does not exist. */
    assert_int_equal(import_file(f->db, IMPORT_WORKERS, "/nonexistent/x.csv", IMPORT_ENC_AUTO,
                                 &rep),
                     GY_EIO);
    assert_int_equal(rep.rejects[0].line, 0);
    import_report_fini(&rep);
}

static void
test_gbk_and_utf8_files(void **state)
{
    struct fixture *f = *state;
    char path[512], buf[128];
    static const char name_q[] = "SELECT name || '|' || employer || '|' || district || '|' || "
                                 "coalesce(education, '-') FROM workers WHERE msisdn = ?1";
    static const char id_q[] = "SELECT id_number FROM workers WHERE msisdn = ?1";

    data_path(path, sizeof(path), "tests/data/import/workers_gbk.csv");
    struct import_report rep = IMPORT_REPORT_INIT;
    assert_int_equal(import_file(f->db, IMPORT_WORKERS, path, IMPORT_ENC_AUTO, &rep), 0);
    assert_int_equal(rep.encoding, IMPORT_ENC_GBK);
    assert_int_equal(rep.imported, 2);
    import_report_fini(&rep);
    assert_string_equal(text1(f->db, name_q, "8613900000011", buf, sizeof(buf)),
                        "王五|鹤山示例陶瓷厂|鹤山市|senior");
    assert_string_equal(text1(f->db, name_q, "8613900000012", buf, sizeof(buf)),
                        "赵六|台山示例食品厂|台山市|college");
    /* Forced GBK gives the same result. */
    assert_int_equal(import_file(f->db, IMPORT_WORKERS, path, IMPORT_ENC_GBK, &rep), 0);
    import_report_fini(&rep);

    /* UTF-8 with BOM, CRLF, a quoted field with a comma and doubled quotes, a lowercase x,
     * a district by English name, an education alias. */
    data_path(path, sizeof(path), "tests/data/import/good_workers.csv");
    assert_int_equal(import_file(f->db, IMPORT_WORKERS, path, IMPORT_ENC_AUTO, &rep), 0);
    assert_int_equal(rep.encoding, IMPORT_ENC_UTF8);
    assert_true(rep.bom);
    assert_int_equal(rep.rows_read, 2);
    import_report_fini(&rep);
    assert_string_equal(text1(f->db, name_q, "8613900000001", buf, sizeof(buf)),
                        "张三|示例厂, \"二\"车间|蓬江区|senior");
    assert_string_equal(text1(f->db, id_q, "8613900000001", buf, sizeof(buf)),
                        "44070319900101005X");
    assert_string_equal(text1(f->db, name_q, "8613900000002", buf, sizeof(buf)),
                        "李四||江海区|junior");
}

static void
test_buffers(void **state)
{
    struct fixture *f = *state;
    static const char head[] = "msisdn,id_number,name,district\n";
    static const struct {
        const char *body;
        enum import_kind kind;
        enum import_encoding enc;
        int rc;
        long line;
        const char *reason;
    } cases[] = {
        /* strict UTF-8: a surrogate, an overlong form, above U+10FFFF */
        {"8613900000101,440703199001010068,\xed\xa0\x80,蓬江区\n", IMPORT_WORKERS,
         IMPORT_ENC_UTF8, GY_EPARSE, 2, "UTF-8"},
        {"\n\n8613900000101,440703199001010068,\xe0\x80\xaf,蓬江区\n", IMPORT_WORKERS,
         IMPORT_ENC_UTF8, GY_EPARSE, 4, "UTF-8"},
        {"8613900000101,440703199001010068,\xf4\x90\x80\x80,蓬江区\n", IMPORT_WORKERS,
         IMPORT_ENC_UTF8, GY_EPARSE, 2, "UTF-8"},
        /* msisdn forms */
        {"+8613900000101,440703199001010068,甲,蓬江区\n", IMPORT_WORKERS, IMPORT_ENC_AUTO,
         GY_EPARSE, 2, "without '+'"},
        {"13900000101,440703199001010068,甲,蓬江区\n", IMPORT_WORKERS, IMPORT_ENC_AUTO,
         GY_EPARSE, 2, "without 86"},
        {"08613900000101,440703199001010068,甲,蓬江区\n", IMPORT_WORKERS, IMPORT_ENC_AUTO,
         GY_EPARSE, 2, "national form"},
        /* duplicates within the file */
        {"8613900000101,440703199001010068,甲,蓬江区\n"
         "8613900000101,440703198811110074,乙,蓬江区\n",
         IMPORT_WORKERS, IMPORT_ENC_AUTO, GY_EPARSE, 3, "duplicate of line 2"},
        /* an ID number already held by another number */
        {"8613900000101,430421198805123412,甲,蓬江区\n", IMPORT_WORKERS, IMPORT_ENC_AUTO,
         GY_EPARSE, 2, "another number"},
        /* a quoted field over two lines is one record: the next record is on line 4 */
        {"8613900000101,440703199001010068,\"甲\n乙\",蓬江区\n"
         "8613900000102,440703198811110074,丙,火星区\n",
         IMPORT_WORKERS, IMPORT_ENC_AUTO, GY_EPARSE, 2, "control character"},
        {"8613900000101,440703199001010068,甲,蓬江区\r"
         "8613900000102,440703198811110074,丙,火星区\r",
         IMPORT_WORKERS, IMPORT_ENC_AUTO, GY_EPARSE, 3, "unknown district"},
        {"8613900000101,440703199001010068,\"甲\"x,蓬江区\n", IMPORT_WORKERS, IMPORT_ENC_AUTO,
         GY_EPARSE, 2, "after a closing quote"},
        {"8613900000101,440703199001010068,甲,蓬江区\n,,,\n\n", IMPORT_WORKERS, IMPORT_ENC_AUTO,
         0, 0, NULL},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        char buf[1024];
        int n = snprintf(buf, sizeof(buf), "%s%s", head, cases[i].body);
        struct snapshot before = snap(f->db);
        struct import_report rep = IMPORT_REPORT_INIT;
        /* Savepoint path: the test holds a transaction that it rolls back. */
        assert_int_equal(db_begin(f->db), 0);
        int rc = import_buffer(f->db, cases[i].kind, buf, (size_t)n, cases[i].enc, &rep);
        if (rc != cases[i].rc ||
            (cases[i].reason != NULL &&
             (rep.nrejects == 0 || rep.rejects[0].line != cases[i].line ||
              strstr(rep.rejects[0].message, cases[i].reason) == NULL))) {
            print_rejects(&rep);
            db_rollback(f->db);
            fail_msg("case %zu: rc %d, want %d, line %ld '%s'", i, rc, cases[i].rc,
                     cases[i].line, cases[i].reason ? cases[i].reason : "");
        }
        if (rc != 0)
            assert_true(snap(f->db).hash == before.hash);
        db_rollback(f->db);
        assert_true(snap(f->db).hash == before.hash);
        import_report_fini(&rep);
    }
}

static void
test_upsert_and_opt_out(void **state)
{
    struct fixture *f = *state;
    /* Worker B re-imported without the optional columns and with opted_out = 0: the
     * stored months stay, and an import never clears an opt-out. */
    static const char b[] = "msisdn,id_number,name,district,opted_out\n"
                            "8613800138001,450921199208172625,黄丽梅,江海区,0\n";
    static const char a[] = "msisdn,id_number,name,district,insurance_months\n"
                            "8613800138000,430421198805123412,陈志强,蓬江区,80\n";
    long workers = test_db_int(f->db, "SELECT count(*) FROM workers");
    struct import_report rep = IMPORT_REPORT_INIT;
    assert_int_equal(import_buffer(f->db, IMPORT_WORKERS, b, sizeof(b) - 1, IMPORT_ENC_AUTO, &rep),
                     0);
    assert_int_equal(import_buffer(f->db, IMPORT_WORKERS, a, sizeof(a) - 1, IMPORT_ENC_AUTO, &rep),
                     0);
    assert_int_equal(rep.imported, 2);
    import_report_fini(&rep);
    assert_int_equal(test_db_int(f->db, "SELECT count(*) FROM workers"), workers);
    assert_int_equal(
        test_db_int(f->db, "SELECT opted_out FROM workers WHERE msisdn = '8613800138001'"), 1);
    assert_int_equal(
        test_db_int(f->db, "SELECT insurance_months FROM workers WHERE msisdn = '8613800138001'"),
        26);
    assert_int_equal(
        test_db_int(f->db, "SELECT insurance_months FROM workers WHERE msisdn = '8613800138000'"),
        80);
    assert_int_equal(
        test_db_int(f->db, "SELECT work_months FROM workers WHERE msisdn = '8613800138000'"), 63);

    /* Service records and deductions update on (worker, kind/reason, date). */
    static const char sv[] = "msisdn,kind,quantity,on_date\n"
                             "8613800138000,志愿服务,80,2024-03-01\n"
                             "8613800138000,donation,1500.50,2025-01-02\n";
    assert_int_equal(
        import_buffer(f->db, IMPORT_SERVICES, sv, sizeof(sv) - 1, IMPORT_ENC_AUTO, &rep), 0);
    import_report_fini(&rep);
    assert_int_equal(test_db_int(f->db, "SELECT count(*) FROM service_records"), 6);
    assert_int_equal(test_db_int(f->db, "SELECT quantity FROM service_records WHERE kind = "
                                        "'volunteer_hours' AND on_date = '2024-03-01'"),
                     80);
    assert_int_equal(
        test_db_int(f->db, "SELECT quantity FROM service_records WHERE kind = 'donation'"), 150050);
    static const char de[] = "msisdn,points,reason,agency,on_date\n"
                             "8613800138002,-5,示例扣分,【江门人社】,2026-01-05\n";
    for (int i = 0; i < 2; i++) {
        assert_int_equal(
            import_buffer(f->db, IMPORT_DEDUCTIONS, de, sizeof(de) - 1, IMPORT_ENC_AUTO, &rep),
            0);
        import_report_fini(&rep);
    }
    assert_int_equal(test_db_int(f->db, "SELECT count(*) FROM deductions WHERE agency = 'hrss'"),
                     1);
}

static void
test_amounts_and_reference(void **state)
{
    struct fixture *f = *state;
    static const struct {
        enum import_kind kind;
        const char *csv;
        int rc;
        const char *reason;
    } cases[] = {
        {IMPORT_MIN_WAGES,
         "area,effective_from,monthly_yuan,hourly_yuan,source\n蓬江区,2018-07-01,1410.5,13.6,t\n",
         0, NULL},
        {IMPORT_MIN_WAGES, "area,effective_from,monthly_yuan,hourly_yuan\nmars,2018-07-01,1410,13\n",
         GY_EPARSE, "unknown wage area"},
        {IMPORT_MIN_WAGES,
         "area,effective_from,monthly_yuan,hourly_yuan\njiangmen,2019-07-01,1410.505,13\n",
         GY_EPARSE, "at most 2 decimals"},
        {IMPORT_GUIDELINES,
         "year,base_percent,upper_percent,lower_percent,source\n2019,8.5%,13,-1.25,t\n", 0, NULL},
        {IMPORT_GUIDELINES, "year,base_percent,upper_percent,lower_percent\n2020,15,13,3\n",
         GY_EPARSE, "does not hold"},
        {IMPORT_SUBSIDIES, "level,amount_yuan,claim_months\n高级工,2500,12\n", 0, NULL},
        {IMPORT_SUBSIDIES, "level,amount_yuan,claim_months\n大师,2500,12\n", GY_EPARSE,
         "unknown skill level"},
        {IMPORT_GUIDE_PRICES,
         "occupation,year,low_yuan,median_yuan,high_yuan\n焊工,2026,1200,3000,5000\n", GY_EPARSE,
         "below the monthly minimum wage"},
        {IMPORT_GUIDE_PRICES,
         "occupation,year,low_yuan,median_yuan,high_yuan\n6-18-02-04,2026,3000,2000,5000\n",
         GY_EPARSE, "does not hold"},
        {IMPORT_SCHOOLS, "code,name,district,level\nX-1,示例学校,恩平市,高中\n", GY_EPARSE,
         "not primary"},
        {IMPORT_SCHOOL_ROUNDS, "school,year,quota,cutoff\nNOPE,2027,10,\n", GY_EPARSE,
         "unknown school"},
        {IMPORT_ROUNDS, "year,age_on\n2028,2027-08-31\n", GY_EPARSE, "not in the round's year"},
        {IMPORT_SHORTAGE, "occupation,uplift_percent,listed_from\n木工,25,2026-01-01\n", 0, NULL},
        {IMPORT_CERTIFICATES,
         "msisdn,occupation,level,issued_on,subsidy_status\n8613800138002,电工,高级技师,"
         "2027-01-01,unclaimed\n",
         GY_EPARSE, "after today"},
        {IMPORT_CERTIFICATES,
         "msisdn,occupation,level,issued_on,subsidy_status\n8613900009999,电工,技师,2026-01-01,\n",
         GY_EPARSE, "no registered worker"},
        {IMPORT_OCCUPATIONS, "code,name_zh\n9-99-99-99,车工\n", GY_EPARSE, "another occupation"},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        struct import_report rep = IMPORT_REPORT_INIT;
        int rc = import_buffer(f->db, cases[i].kind, cases[i].csv, strlen(cases[i].csv),
                               IMPORT_ENC_AUTO, &rep);
        if (rc != cases[i].rc ||
            (cases[i].reason != NULL &&
             (rep.nrejects == 0 || rep.rejects[0].line != 2 ||
              strstr(rep.rejects[0].message, cases[i].reason) == NULL))) {
            print_rejects(&rep);
            fail_msg("case %zu (%s): rc %d, want %d '%s'", i, import_kind_name(cases[i].kind),
                     rc, cases[i].rc, cases[i].reason ? cases[i].reason : "");
        }
        import_report_fini(&rep);
    }
    assert_int_equal(test_db_int(f->db, "SELECT monthly_fen FROM min_wages WHERE effective_from = "
                                        "'2018-07-01' AND area = 'jiangmen'"),
                     141050);
    assert_int_equal(test_db_int(f->db, "SELECT hourly_fen FROM min_wages WHERE effective_from = "
                                        "'2018-07-01'"),
                     1360);
    assert_int_equal(test_db_int(f->db, "SELECT base_bp + upper_bp * 10000 FROM wage_guidelines "
                                        "WHERE year = 2019 AND lower_bp = -125"),
                     13000850);
    assert_int_equal(test_db_int(f->db, "SELECT amount_fen FROM subsidy_standards WHERE level = "
                                        "'senior'"),
                     250000);
    assert_int_equal(test_db_int(f->db, "SELECT uplift_bp FROM shortage_occupations WHERE "
                                        "occupation = '6-29-02-06'"),
                     2500);
}

static void
test_csv_reader_and_text(void **state)
{
    (void)state;
    static const char in[] = "a,\"b,\"\"c\"\"\",\r\n\r\n\"x\ny\",z\rlast,\"unterminated";
    struct csv_reader r;
    csv_reader_init(&r, in, sizeof(in) - 1);
    assert_int_equal(csv_reader_next(&r), 1);
    assert_int_equal(r.record_line, 1);
    assert_int_equal(r.nfields, 3);
    assert_string_equal(r.fields[1].s, "b,\"c\"");
    assert_true(r.fields[1].quoted);
    assert_int_equal(r.fields[2].len, 0);
    assert_int_equal(csv_reader_next(&r), 1);
    assert_int_equal(r.record_line, 3);
    assert_string_equal(r.fields[0].s, "x\ny");
    assert_int_equal(csv_reader_next(&r), GY_EPARSE);
    assert_int_equal(r.record_line, 5);
    assert_non_null(strstr(r.error, "unterminated"));
    assert_int_equal(csv_reader_next(&r), 0);
    csv_reader_fini(&r);

    static const struct {
        const char *s;
        int ok;
    } utf8[] = {
        {"plain", 1},         {"中文", 1},           {"\xf0\x9f\x98\x80", 1}, /* U+1F600 */
        {"\xc0\x80", 0},      {"\xc1\xbf", 0},       {"\xe0\x9f\xbf", 0},     /* overlong */
        {"\xed\xa0\x80", 0},  {"\xed\xbf\xbf", 0},                            /* surrogates */
        {"\xf4\x90\x80\x80", 0}, {"\xf5\x80\x80\x80", 0}, {"\x80", 0},
        {"\xe4\xb8", 0}, /* truncated */
        {"\xef\xbf\xbf", 1},
    };
    for (size_t i = 0; i < sizeof(utf8) / sizeof(utf8[0]); i++) {
        size_t off = 99;
        int rc = csv_text_utf8_validate(utf8[i].s, strlen(utf8[i].s), &off);
        if ((rc == 0) != utf8[i].ok)
            fail_msg("utf8 case %zu: rc %d", i, rc);
    }
    /* GBK 0x80 (euro in CP936) is refused by GB18030 decoding; 0xFF is never valid. */
    struct csv_text t;
    size_t off = 0;
    assert_int_equal(csv_text_decode("ab\n\xff", 4, CSV_TEXT_GBK, &t, &off), GY_EENCODING);
    assert_int_equal(off, 3);
    assert_int_equal(csv_text_line_at("ab\n\xff", 4, off), 2);
    csv_text_fini(&t);
    assert_int_equal(csv_text_decode("\xc4\xe3\xba\xc3", 4, CSV_TEXT_AUTO, &t, &off), 0);
    assert_int_equal(t.encoding, CSV_TEXT_GBK);
    assert_string_equal(t.data, "你好");
    csv_text_fini(&t);
}

static void
test_names(void **state)
{
    (void)state;
    enum import_kind k;
    for (int i = 0; i < IMPORT_KIND_COUNT; i++) {
        assert_int_equal(import_kind_parse(import_kind_name((enum import_kind)i), &k), 0);
        assert_int_equal(k, i);
    }
    assert_int_equal(import_kind_parse("guide_prices", &k), 0);
    assert_int_equal(k, IMPORT_GUIDE_PRICES);
    assert_int_equal(import_kind_parse("wages", &k), GY_EINVAL);
    enum import_encoding e;
    assert_int_equal(import_encoding_parse("UTF8", &e), 0);
    assert_int_equal(e, IMPORT_ENC_UTF8);
    assert_int_equal(import_encoding_parse("latin1", &e), GY_EINVAL);
    import_report_fini(NULL);
}

/* Runs $GONGYOU_BIN_DIR/gongyou with args (NULL-terminated), output discarded; returns
 * its exit status. */
static int
run_cli(char *const args[])
{
    const char *bin = getenv("GONGYOU_BIN_DIR");
    assert_non_null(bin);
    char exe[512];
    snprintf(exe, sizeof(exe), "%s/gongyou", bin);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        int null = open("/dev/null", O_WRONLY);
        if (null >= 0) {
            dup2(null, 1);
            dup2(null, 2);
        }
        execv(exe, args);
        _exit(127);
    }
    int st = 0;
    assert_int_equal(waitpid(pid, &st, 0), pid);
    assert_true(WIFEXITED(st));
    return WEXITSTATUS(st);
}

static void
test_cli(void **state)
{
    struct fixture *f = *state;
    char demo[512], bad[512], good[512], dbp[320];
    data_path(demo, sizeof(demo), "db/demo");
    data_path(bad, sizeof(bad), "tests/data/import/bad_check_digit.csv");
    data_path(good, sizeof(good), "tests/data/import/workers_gbk.csv");
    assert_int_equal(test_tmpdir_path(dbp, sizeof(dbp), f->dir, "cli.db"), 0);
    setenv("GONGYOU_DEMO_DIR", demo, 1);
    static const struct {
        const char *a[8];
        int status;
    } cases[] = {
        {{"gongyou", "db", "init", "--db", "@", "--demo"}, 0},
        {{"gongyou", "db", "init", "--db", "@", "--demo"}, 0}, /* again: harmless */
        {{"gongyou", "import", "workers", "@bad", "--db", "@"}, 1},
        {{"gongyou", "import", "workers", "@good", "--db", "@", "--encoding", "utf-8"}, 1},
        {{"gongyou", "import", "workers", "@good", "--db", "@", "--encoding", "gbk"}, 0},
        {{"gongyou", "import", "wages", "@good", "--db", "@"}, 2},
        {{"gongyou", "import", "workers", "@good", "--db", "@", "--encoding", "latin1"}, 2},
        {{"gongyou", "db", "frobnicate", "--db", "@"}, 2},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        char *args[9] = {0};
        for (size_t k = 0; k < 8 && cases[i].a[k] != NULL; k++) {
            const char *v = cases[i].a[k];
            args[k] = strcmp(v, "@") == 0      ? dbp
                      : strcmp(v, "@bad") == 0  ? bad
                      : strcmp(v, "@good") == 0 ? good
                                                : (char *)v;
        }
        int status = run_cli(args);
        if (status != cases[i].status)
            fail_msg("cli case %zu: exit %d, want %d", i, status, cases[i].status);
    }
    unsetenv("GONGYOU_DEMO_DIR");
}

static void
test_demo_dir_find(void **state)
{
    (void)state;
    char out[PATH_MAX], demo[512], cwd[PATH_MAX];
    data_path(demo, sizeof(demo), "db/demo");
    setenv("GONGYOU_DEMO_DIR", demo, 1);
    assert_int_equal(import_demo_dir_find(NULL, out, sizeof(out)), 0);
    assert_string_equal(out, demo);
    setenv("GONGYOU_DEMO_DIR", "/nonexistent", 1);
    assert_int_equal(import_demo_dir_find(NULL, out, sizeof(out)), GY_ENOTFOUND);
    unsetenv("GONGYOU_DEMO_DIR");
    assert_non_null(getcwd(cwd, sizeof(cwd)));
    assert_int_equal(chdir(getenv("GONGYOU_SOURCE_DIR")), 0);
    assert_int_equal(import_demo_dir_find(NULL, out, sizeof(out)), 0);
    assert_string_equal(out, "db/demo");
    assert_int_equal(chdir(cwd), 0);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_demo_counts, setup, teardown),
        cmocka_unit_test_setup_teardown(test_bad_files_change_nothing, setup, teardown),
        cmocka_unit_test_setup_teardown(test_gbk_and_utf8_files, setup, teardown),
        cmocka_unit_test_setup_teardown(test_buffers, setup, teardown),
        cmocka_unit_test_setup_teardown(test_upsert_and_opt_out, setup, teardown),
        cmocka_unit_test_setup_teardown(test_amounts_and_reference, setup, teardown),
        cmocka_unit_test(test_csv_reader_and_text),
        cmocka_unit_test(test_names),
        cmocka_unit_test_setup_teardown(test_cli, setup, teardown),
        cmocka_unit_test(test_demo_dir_find),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
