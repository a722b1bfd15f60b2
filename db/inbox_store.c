/* SPDX-License-Identifier: GPL-3.0-or-later */
/* inbox_store: SQL of the inbox table (migration 004). */
#include "db/inbox_store.h"
#include "base/gy_err.h"

#include <sqlite3.h>
#include <string.h>

static const char SQL_ADD[] =
    "INSERT INTO inbox (bind, source_addr, source_ton, source_npi, dest_addr, service_type,"
    " esm_class, data_coding, body, sar_ref, sar_total, sar_seq, ussd_op, its_session,"
    " user_msg_ref, received_ms) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)";

static const char SQL_FETCH[] =
    "SELECT id, bind, source_addr, source_ton, source_npi, dest_addr, service_type, esm_class,"
    " data_coding, body, sar_ref, sar_total, sar_seq, ussd_op, its_session, user_msg_ref,"
    " received_ms FROM inbox WHERE state = 0 AND id > ? ORDER BY id LIMIT ?";

static const char SQL_MARK[] = "UPDATE inbox SET state = 1, processed_ms = ? WHERE id = ? "
                               "AND state = 0";

static const char SQL_COUNT[] = "SELECT count(*) FROM inbox WHERE state = 0";

static void
bind_opt(sqlite3_stmt *st, int col, bool present, int value)
{
    if (present)
        sqlite3_bind_int(st, col, value);
    else
        sqlite3_bind_null(st, col);
}

int
inbox_store_add(struct db *db, struct inbox_msg *m)
{
    if (m->bind[0] == '\0' || m->source_addr[0] == '\0' || m->body_len > INBOX_BODY_MAX)
        return GY_EINVAL;
    sqlite3_stmt *st = db_stmt(db, SQL_ADD);
    if (st == NULL)
        return GY_EDB;
    sqlite3_bind_text(st, 1, m->bind, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, m->source_addr, -1, SQLITE_STATIC);
    sqlite3_bind_int(st, 3, m->source_ton);
    sqlite3_bind_int(st, 4, m->source_npi);
    sqlite3_bind_text(st, 5, m->dest_addr, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 6, m->service_type, -1, SQLITE_STATIC);
    sqlite3_bind_int(st, 7, m->esm_class);
    sqlite3_bind_int(st, 8, m->data_coding);
    sqlite3_bind_blob(st, 9, m->body, m->body_len, SQLITE_STATIC);
    bind_opt(st, 10, m->has_sar, m->sar_ref);
    bind_opt(st, 11, m->has_sar, m->sar_total);
    bind_opt(st, 12, m->has_sar, m->sar_seq);
    bind_opt(st, 13, m->has_ussd_op, m->ussd_op);
    bind_opt(st, 14, m->has_its_session, m->its_session);
    bind_opt(st, 15, m->has_user_msg_ref, m->user_msg_ref);
    sqlite3_bind_int64(st, 16, m->received_ms);
    int rc = sqlite3_step(st);
    db_stmt_done(st);
    if (rc != SQLITE_DONE)
        return GY_EDB;
    m->id = sqlite3_last_insert_rowid(db_sqlite(db));
    return 0;
}

static void
copy_text(sqlite3_stmt *st, int col, char *buf, size_t len)
{
    db_col_copy(st, col, buf, len);
}

int
inbox_store_fetch_new(struct db *db, int64_t after_id, struct inbox_msg *out, size_t max,
                      size_t *n)
{
    *n = 0;
    sqlite3_stmt *st = db_stmt(db, SQL_FETCH);
    if (st == NULL)
        return GY_EDB;
    sqlite3_bind_int64(st, 1, after_id);
    sqlite3_bind_int64(st, 2, (sqlite3_int64)max);
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW && *n < max) {
        struct inbox_msg *m = &out[*n];
        memset(m, 0, sizeof(*m));
        m->id = sqlite3_column_int64(st, 0);
        copy_text(st, 1, m->bind, sizeof(m->bind));
        copy_text(st, 2, m->source_addr, sizeof(m->source_addr));
        m->source_ton = (uint8_t)sqlite3_column_int(st, 3);
        m->source_npi = (uint8_t)sqlite3_column_int(st, 4);
        copy_text(st, 5, m->dest_addr, sizeof(m->dest_addr));
        copy_text(st, 6, m->service_type, sizeof(m->service_type));
        m->esm_class = (uint8_t)sqlite3_column_int(st, 7);
        m->data_coding = (uint8_t)sqlite3_column_int(st, 8);
        int blen = sqlite3_column_bytes(st, 9);
        const void *blob = sqlite3_column_blob(st, 9);
        if (blen > INBOX_BODY_MAX)
            blen = INBOX_BODY_MAX;
        if (blob != NULL && blen > 0)
            memcpy(m->body, blob, (size_t)blen);
        m->body_len = (uint16_t)blen;
        if (sqlite3_column_type(st, 10) != SQLITE_NULL) {
            m->has_sar = true;
            m->sar_ref = (uint16_t)sqlite3_column_int(st, 10);
            m->sar_total = (uint8_t)sqlite3_column_int(st, 11);
            m->sar_seq = (uint8_t)sqlite3_column_int(st, 12);
        }
        if (sqlite3_column_type(st, 13) != SQLITE_NULL) {
            m->has_ussd_op = true;
            m->ussd_op = (uint8_t)sqlite3_column_int(st, 13);
        }
        if (sqlite3_column_type(st, 14) != SQLITE_NULL) {
            m->has_its_session = true;
            m->its_session = (uint16_t)sqlite3_column_int(st, 14);
        }
        if (sqlite3_column_type(st, 15) != SQLITE_NULL) {
            m->has_user_msg_ref = true;
            m->user_msg_ref = (uint16_t)sqlite3_column_int(st, 15);
        }
        m->received_ms = sqlite3_column_int64(st, 16);
        (*n)++;
    }
    db_stmt_done(st);
    return (rc == SQLITE_ROW || rc == SQLITE_DONE) ? 0 : GY_EDB;
}

int
inbox_store_mark_processed(struct db *db, int64_t id, int64_t now_ms)
{
    sqlite3_stmt *st = db_stmt(db, SQL_MARK);
    if (st == NULL)
        return GY_EDB;
    sqlite3_bind_int64(st, 1, now_ms);
    sqlite3_bind_int64(st, 2, id);
    int rc = sqlite3_step(st);
    int changed = sqlite3_changes(db_sqlite(db));
    db_stmt_done(st);
    if (rc != SQLITE_DONE)
        return GY_EDB;
    return changed == 1 ? 0 : GY_ENOTFOUND;
}

int
inbox_store_count_new(struct db *db, uint64_t *n)
{
    sqlite3_stmt *st = db_stmt(db, SQL_COUNT);
    if (st == NULL)
        return GY_EDB;
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        *n = (uint64_t)sqlite3_column_int64(st, 0);
    db_stmt_done(st);
    return rc == SQLITE_ROW ? 0 : GY_EDB;
}
