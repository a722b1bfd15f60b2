/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Tests of db/inbox_store: incoming parts stored with every field, fetched in arrival order,
 * marked processed once, counted; bad input refused. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/gy_err.h"
#include "db/db_store.h"
#include "db/inbox_store.h"
#include "test_tmpdir.h"

struct fx {
    char dir[256];
    char path[300];
    struct db *db;
};

static int
setup(void **state)
{
    struct fx *f = calloc(1, sizeof(*f));
    assert_non_null(f);
    assert_int_equal(test_tmpdir_make(f->dir, sizeof(f->dir), "gy-inbox-"), 0);
    assert_int_equal(test_tmpdir_path(f->path, sizeof(f->path), f->dir, "t.db"), 0);
    char err[256];
    assert_int_equal(db_open(f->path, DB_OPEN_CREATE, &f->db, err, sizeof(err)), 0);
    assert_int_equal(db_migrate(f->db, NULL, NULL), 0);
    *state = f;
    return 0;
}

static int
teardown(void **state)
{
    struct fx *f = *state;
    db_close(f->db);
    test_tmpdir_remove(f->dir);
    free(f);
    return 0;
}

static struct inbox_msg
part(const char *src, const char *text)
{
    struct inbox_msg m;
    memset(&m, 0, sizeof(m));
    snprintf(m.bind, sizeof(m.bind), "smsc-a");
    snprintf(m.source_addr, sizeof(m.source_addr), "%s", src);
    m.source_ton = 1;
    m.source_npi = 1;
    snprintf(m.dest_addr, sizeof(m.dest_addr), "10658");
    m.data_coding = 8;
    m.body_len = (uint16_t)strlen(text);
    memcpy(m.body, text, m.body_len);
    m.received_ms = 1000;
    return m;
}

static void
test_add_fetch_mark(void **state)
{
    struct fx *f = *state;
    struct inbox_msg a = part("8613800138000", "\x79\xef\x52\x06");
    a.has_sar = true;
    a.sar_ref = 513;
    a.sar_total = 2;
    a.sar_seq = 1;
    struct inbox_msg b = part("8613800138001", "JF");
    b.has_ussd_op = true;
    b.ussd_op = 1;
    b.has_its_session = true;
    b.its_session = 0x0A01;
    b.has_user_msg_ref = true;
    b.user_msg_ref = 7;
    assert_int_equal(inbox_store_add(f->db, &a), 0);
    assert_int_equal(inbox_store_add(f->db, &b), 0);
    assert_true(b.id > a.id);

    struct inbox_msg out[4];
    size_t n = 0;
    assert_int_equal(inbox_store_fetch_new(f->db, 0, out, 4, &n), 0);
    assert_int_equal(n, 2);
    assert_int_equal(out[0].id, a.id);
    assert_string_equal(out[0].source_addr, "8613800138000");
    assert_int_equal(out[0].body_len, 4);
    assert_memory_equal(out[0].body, "\x79\xef\x52\x06", 4);
    assert_true(out[0].has_sar);
    assert_int_equal(out[0].sar_ref, 513);
    assert_int_equal(out[0].sar_seq, 1);
    assert_false(out[0].has_ussd_op);
    assert_true(out[1].has_ussd_op);
    assert_int_equal(out[1].ussd_op, 1);
    assert_int_equal(out[1].its_session, 0x0A01);
    assert_int_equal(out[1].user_msg_ref, 7);
    assert_int_equal(out[1].data_coding, 8);

    uint64_t count = 0;
    assert_int_equal(inbox_store_count_new(f->db, &count), 0);
    assert_int_equal(count, 2);
    assert_int_equal(inbox_store_mark_processed(f->db, a.id, 2000), 0);
    assert_int_equal(inbox_store_mark_processed(f->db, a.id, 2000), GY_ENOTFOUND);
    assert_int_equal(inbox_store_fetch_new(f->db, 0, out, 4, &n), 0);
    assert_int_equal(n, 1);
    assert_int_equal(out[0].id, b.id);
    /* after_id skips what the caller has already seen. */
    assert_int_equal(inbox_store_fetch_new(f->db, b.id, out, 4, &n), 0);
    assert_int_equal(n, 0);
}

static void
test_bad_input(void **state)
{
    struct fx *f = *state;
    struct inbox_msg m = part("8613800138000", "x");
    m.bind[0] = '\0';
    assert_int_equal(inbox_store_add(f->db, &m), GY_EINVAL);
    m = part("", "x");
    assert_int_equal(inbox_store_add(f->db, &m), GY_EINVAL);
    m = part("8613800138000", "x");
    m.body_len = INBOX_BODY_MAX + 1;
    assert_int_equal(inbox_store_add(f->db, &m), GY_EINVAL);
    uint64_t count = 1;
    assert_int_equal(inbox_store_count_new(f->db, &count), 0);
    assert_int_equal(count, 0);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_add_fetch_mark, setup, teardown),
        cmocka_unit_test_setup_teardown(test_bad_input, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
