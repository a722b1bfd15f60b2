/* SPDX-License-Identifier: GPL-3.0-or-later */
/* outbox_store: SQL of the persistent outbox. Every statement is prepared once through
 * db_stmt() with bound parameters; transactions are the caller's except for enqueue, which
 * makes its own (or, inside the caller's, deletes what it wrote when it fails part-way).
 * Knows no SMPP and no policy. */
#include "db/outbox_store.h"

#include "base/gy_err.h"

#include <string.h>

static const char *const prio_names[OUTBOX_N_PRIO] = {"reply", "normal", "broadcast"};
static const char *const state_names[OUTBOX_N_STATE] = {"queued", "submitted", "delivered",
                                                        "failed", "expired"};

const char *
outbox_prio_name(enum outbox_prio p)
{
    return (unsigned)p < OUTBOX_N_PRIO ? prio_names[p] : "?";
}

const char *
outbox_state_name(enum outbox_state s)
{
    return (unsigned)s < OUTBOX_N_STATE ? state_names[s] : "?";
}

int
outbox_prio_parse(const char *name, enum outbox_prio *out)
{
    for (int i = 0; name != NULL && i < OUTBOX_N_PRIO; i++) {
        if (strcmp(name, prio_names[i]) == 0) {
            *out = (enum outbox_prio)i;
            return 0;
        }
    }
    return GY_EINVAL;
}

int64_t
outbox_validity_default_ms(enum outbox_prio p)
{
    switch (p) {
    case OUTBOX_PRIO_REPLY:
        return OUTBOX_VALIDITY_REPLY_MS;
    case OUTBOX_PRIO_BROADCAST:
        return OUTBOX_VALIDITY_BROADCAST_MS;
    default:
        return OUTBOX_VALIDITY_NORMAL_MS;
    }
}

/* Maps an sqlite3_step() failure to our codes. */
static int
step_err(int rc)
{
    return (rc == SQLITE_BUSY || rc == SQLITE_LOCKED) ? GY_EBUSY : GY_EDB;
}

static bool
text_ok(const char *s, size_t min, size_t max, bool digits)
{
    if (s == NULL)
        return min == 0;
    size_t n = strlen(s);
    if (n < min || n > max)
        return false;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c < 0x20 || c == 0x7f || (digits && (c < '0' || c > '9')))
            return false;
    }
    return true;
}

static int
check_msg(const struct outbox_msg_in *m)
{
    if (m == NULL || (unsigned)m->priority >= OUTBOX_N_PRIO || m->parts == NULL || m->n_parts < 1 ||
        m->n_parts > 255)
        return GY_EINVAL;
    if (!text_ok(m->sender, 1, OUTBOX_SENDER_SIZE - 1, false) ||
        !text_ok(m->msisdn, 1, OUTBOX_ADDR_SIZE - 1, true) ||
        !text_ok(m->source_addr, 0, OUTBOX_ADDR_SIZE - 1, false) ||
        !text_ok(m->service_type, 0, 5, false) ||
        !text_ok(m->origin_bind, 0, OUTBOX_BIND_SIZE - 1, false))
        return GY_EINVAL;
    for (size_t i = 0; i < m->n_parts; i++) {
        const struct outbox_part_in *p = &m->parts[i];
        size_t max = p->in_payload ? OUTBOX_BODY_MAX : 254;
        if ((p->body == NULL && p->body_len > 0) || p->body_len > max)
            return GY_EINVAL;
    }
    return 0;
}

/* Undoes the rows of a message whose insertion failed part-way inside the caller's
 * transaction: its segments, then itself. Cheaper than a savepoint around every enqueue
 * (a statement-journal frame per message on the hot path), and only run on failure. */
static const char sql_undo_segs[] = "DELETE FROM outbox_segments WHERE message_id = ?1";
static const char sql_undo_msg[] = "DELETE FROM outbox_messages WHERE id = ?1";

static int
undo_message(struct db *db, int64_t message_id)
{
    const char *sqls[2] = {sql_undo_segs, sql_undo_msg};
    for (int i = 0; i < 2; i++) {
        sqlite3_stmt *st = db_stmt(db, sqls[i]);
        if (st == NULL)
            return GY_EDB;
        sqlite3_bind_int64(st, 1, message_id);
        int rc = sqlite3_step(st);
        db_stmt_done(st);
        if (rc != SQLITE_DONE)
            return step_err(rc);
    }
    return 0;
}

static const char sql_ins_msg[] =
    "INSERT INTO outbox_messages (priority, sender, msisdn, source_addr, source_ton,"
    " source_npi, dest_ton, dest_npi, service_type, origin_bind, n_parts, status,"
    " created_ms, valid_until_ms) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, 0,"
    " ?12, ?13)";

static const char sql_ins_seg[] =
    "INSERT INTO outbox_segments (message_id, part, priority, state, valid_until_ms,"
    " esm_class, data_coding, registered_delivery, body, in_payload, sar_ref, sar_total,"
    " sar_seq, ussd_op, its_session, user_msg_ref) VALUES (?1, ?2, ?3, 0, ?4, ?5, ?6, ?7, ?8,"
    " ?9, ?10, ?11, ?12, ?13, ?14, ?15)";

/* Inserts the message and its parts. *mid is the new message's id once its row exists
 * (0 before), so that a failure after it can be undone. */
static int
insert_rows(struct db *db, const struct outbox_msg_in *m, int64_t now_ms, int64_t valid,
            int64_t *mid)
{
    sqlite3_stmt *st = db_stmt(db, sql_ins_msg);
    if (st == NULL)
        return GY_EDB;
    sqlite3_bind_int(st, 1, (int)m->priority);
    sqlite3_bind_text(st, 2, m->sender, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, m->msisdn, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 4, m->source_addr ? m->source_addr : "", -1, SQLITE_STATIC);
    sqlite3_bind_int(st, 5, m->source_ton);
    sqlite3_bind_int(st, 6, m->source_npi);
    sqlite3_bind_int(st, 7, m->dest_ton);
    sqlite3_bind_int(st, 8, m->dest_npi);
    sqlite3_bind_text(st, 9, m->service_type ? m->service_type : "", -1, SQLITE_STATIC);
    if (m->origin_bind != NULL && m->origin_bind[0] != '\0')
        sqlite3_bind_text(st, 10, m->origin_bind, -1, SQLITE_STATIC);
    sqlite3_bind_int(st, 11, (int)m->n_parts);
    sqlite3_bind_int64(st, 12, now_ms);
    sqlite3_bind_int64(st, 13, valid);
    int rc = sqlite3_step(st);
    db_stmt_done(st);
    if (rc != SQLITE_DONE)
        return step_err(rc);
    *mid = sqlite3_last_insert_rowid(db_sqlite(db));
    for (size_t i = 0; i < m->n_parts; i++) {
        const struct outbox_part_in *p = &m->parts[i];
        st = db_stmt(db, sql_ins_seg);
        if (st == NULL)
            return GY_EDB;
        sqlite3_bind_int64(st, 1, *mid);
        sqlite3_bind_int(st, 2, (int)i + 1);
        sqlite3_bind_int(st, 3, (int)m->priority);
        sqlite3_bind_int64(st, 4, valid);
        sqlite3_bind_int(st, 5, p->esm_class);
        sqlite3_bind_int(st, 6, p->data_coding);
        sqlite3_bind_int(st, 7, m->registered_delivery);
        sqlite3_bind_blob(st, 8, p->body_len ? (const void *)p->body : "", (int)p->body_len,
                          SQLITE_STATIC);
        sqlite3_bind_int(st, 9, p->in_payload ? 1 : 0);
        if (p->sar) {
            sqlite3_bind_int(st, 10, p->sar_ref);
            sqlite3_bind_int(st, 11, p->sar_total);
            sqlite3_bind_int(st, 12, p->sar_seq);
        }
        if (m->has_ussd_op)
            sqlite3_bind_int(st, 13, m->ussd_op);
        if (m->has_its_session)
            sqlite3_bind_int(st, 14, m->its_session);
        if (m->has_user_msg_ref)
            sqlite3_bind_int(st, 15, m->user_msg_ref);
        rc = sqlite3_step(st);
        db_stmt_done(st);
        if (rc != SQLITE_DONE)
            return step_err(rc);
    }
    return 0;
}

int
outbox_store_enqueue(struct db *db, const struct outbox_msg_in *m, int64_t now_ms, int64_t *id)
{
    if (db == NULL || check_msg(m) != 0)
        return GY_EINVAL;
    int64_t valid = m->valid_until_ms > 0 ? m->valid_until_ms
                                          : now_ms + outbox_validity_default_ms(m->priority);
    int64_t mid = 0;
    if (sqlite3_get_autocommit(db_sqlite(db)) != 0) {
        /* A transaction of its own: all or nothing by commit or rollback. */
        int rc = db_begin(db);
        if (rc != 0)
            return sqlite3_errcode(db_sqlite(db)) == SQLITE_BUSY ? GY_EBUSY : rc;
        rc = insert_rows(db, m, now_ms, valid, &mid);
        if (rc == 0)
            rc = db_commit(db) == 0 ? 0 : step_err(sqlite3_errcode(db_sqlite(db)));
        if (rc != 0)
            db_rollback(db);
        else if (id != NULL)
            *id = mid;
        return rc;
    }
    /* Inside the caller's transaction: a message is stored whole or not at all, and the
     * caller's other work stays. A failed statement has undone itself; the rows before it
     * are deleted here. When even that fails the caller must roll back (GY_EDB). */
    int rc = insert_rows(db, m, now_ms, valid, &mid);
    if (rc != 0) {
        if (mid != 0 && undo_message(db, mid) != 0)
            return GY_EDB;
        return rc;
    }
    if (id != NULL)
        *id = mid;
    return 0;
}

static const char sql_fetch[] =
    "SELECT s.id, s.message_id, s.part, m.n_parts, s.attempts, s.valid_until_ms, m.sender,"
    " m.msisdn, m.source_addr, m.source_ton, m.source_npi, m.dest_ton, m.dest_npi,"
    " m.service_type, m.origin_bind, s.esm_class, s.data_coding, s.registered_delivery,"
    " s.in_payload, s.sar_ref, s.sar_total, s.sar_seq, s.ussd_op, s.its_session, s.body,"
    " s.user_msg_ref FROM outbox_segments AS s JOIN outbox_messages AS m ON m.id = s.message_id"
    " WHERE s.state = 0 AND s.priority = ?1 AND s.id > ?2"
    " ORDER BY s.priority, s.id LIMIT ?3";

static void
read_seg(sqlite3_stmt *st, enum outbox_prio prio, struct outbox_seg *g)
{
    memset(g, 0, sizeof(*g));
    g->id = sqlite3_column_int64(st, 0);
    g->message_id = sqlite3_column_int64(st, 1);
    g->priority = prio;
    g->part = (uint8_t)sqlite3_column_int(st, 2);
    g->n_parts = (uint8_t)sqlite3_column_int(st, 3);
    g->attempts = sqlite3_column_int(st, 4);
    g->valid_until_ms = sqlite3_column_int64(st, 5);
    db_col_copy(st, 6, g->sender, sizeof(g->sender));
    db_col_copy(st, 7, g->msisdn, sizeof(g->msisdn));
    db_col_copy(st, 8, g->source_addr, sizeof(g->source_addr));
    g->source_ton = (uint8_t)sqlite3_column_int(st, 9);
    g->source_npi = (uint8_t)sqlite3_column_int(st, 10);
    g->dest_ton = (uint8_t)sqlite3_column_int(st, 11);
    g->dest_npi = (uint8_t)sqlite3_column_int(st, 12);
    db_col_copy(st, 13, g->service_type, sizeof(g->service_type));
    db_col_copy(st, 14, g->origin_bind, sizeof(g->origin_bind));
    g->esm_class = (uint8_t)sqlite3_column_int(st, 15);
    g->data_coding = (uint8_t)sqlite3_column_int(st, 16);
    g->registered_delivery = (uint8_t)sqlite3_column_int(st, 17);
    g->in_payload = sqlite3_column_int(st, 18) != 0;
    if (sqlite3_column_type(st, 19) != SQLITE_NULL) {
        g->sar = true;
        g->sar_ref = (uint16_t)sqlite3_column_int(st, 19);
        g->sar_total = (uint8_t)sqlite3_column_int(st, 20);
        g->sar_seq = (uint8_t)sqlite3_column_int(st, 21);
    }
    if (sqlite3_column_type(st, 22) != SQLITE_NULL) {
        g->has_ussd_op = true;
        g->ussd_op = (uint8_t)sqlite3_column_int(st, 22);
    }
    if (sqlite3_column_type(st, 23) != SQLITE_NULL) {
        g->has_its_session = true;
        g->its_session = (uint16_t)sqlite3_column_int(st, 23);
    }
    if (sqlite3_column_type(st, 25) != SQLITE_NULL) {
        g->has_user_msg_ref = true;
        g->user_msg_ref = (uint16_t)sqlite3_column_int(st, 25);
    }
    const void *b = sqlite3_column_blob(st, 24);
    int len = sqlite3_column_bytes(st, 24);
    if (len > OUTBOX_BODY_MAX)
        len = OUTBOX_BODY_MAX; /* enqueue never stores more; a hand-edited row is cut */
    if (b != NULL && len > 0)
        memcpy(g->body, b, (size_t)len);
    g->body_len = (uint16_t)len;
}

int
outbox_store_fetch(struct db *db, enum outbox_prio prio, int64_t after_id, struct outbox_seg *out,
                   size_t max, size_t *n)
{
    *n = 0;
    if ((unsigned)prio >= OUTBOX_N_PRIO)
        return GY_EINVAL;
    if (max == 0)
        return 0;
    sqlite3_stmt *st = db_stmt(db, sql_fetch);
    if (st == NULL)
        return GY_EDB;
    sqlite3_bind_int(st, 1, (int)prio);
    sqlite3_bind_int64(st, 2, after_id);
    sqlite3_bind_int64(st, 3, (sqlite3_int64)max);
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW && *n < max)
        read_seg(st, prio, &out[(*n)++]);
    db_stmt_done(st);
    return (rc == SQLITE_DONE || rc == SQLITE_ROW) ? 0 : step_err(rc);
}

/* The message's status from its parts: failed if any part failed, else expired if any
 * expired, else delivered when all are, else submitted when none is queued, else queued. */
/* A message's status follows its parts: failed when any part failed, else expired when
 * any expired, else delivered when all are, else submitted when none is queued, else
 * queued. Read with the (message_id, part) key, then written by primary key: no
 * materialised subquery and no statement journal per mark. */
static const char sql_msg_parts[] =
    "SELECT CASE WHEN sum(state = 3) > 0 THEN 3 WHEN sum(state = 4) > 0 THEN 4"
    "  WHEN sum(state = 2) = count(*) THEN 2 WHEN sum(state = 0) = 0 THEN 1 ELSE 0 END,"
    "  max(CASE WHEN state IN (3, 4) THEN last_status END)"
    " FROM outbox_segments WHERE message_id = ?1";
static const char sql_msg_status[] =
    "UPDATE outbox_messages SET status = ?2,"
    " done_ms = CASE WHEN ?2 >= 2 THEN coalesce(done_ms, ?3) END,"
    " last_status = coalesce(?4, last_status)"
    " WHERE id = ?1 AND status <> ?2";

/* The message of a one-part segment that just moved to state: its status is that state. */
static int
set_message_status(struct db *db, int64_t message_id, int status, bool has_last, int64_t last,
                   int64_t now_ms)
{
    sqlite3_stmt *st = db_stmt(db, sql_msg_status);
    if (st == NULL)
        return GY_EDB;
    sqlite3_bind_int64(st, 1, message_id);
    sqlite3_bind_int(st, 2, status);
    sqlite3_bind_int64(st, 3, now_ms);
    if (has_last)
        sqlite3_bind_int64(st, 4, last);
    int rc = sqlite3_step(st);
    db_stmt_done(st);
    return rc == SQLITE_DONE ? 0 : step_err(rc);
}

static int
update_message(struct db *db, int64_t message_id, int64_t now_ms)
{
    sqlite3_stmt *st = db_stmt(db, sql_msg_parts);
    if (st == NULL)
        return GY_EDB;
    sqlite3_bind_int64(st, 1, message_id);
    int rc = sqlite3_step(st);
    if (rc != SQLITE_ROW || sqlite3_column_type(st, 0) == SQLITE_NULL) {
        db_stmt_done(st);
        return rc == SQLITE_ROW ? 0 : step_err(rc);
    }
    int status = sqlite3_column_int(st, 0);
    bool has_last = sqlite3_column_type(st, 1) != SQLITE_NULL;
    int64_t last = sqlite3_column_int64(st, 1);
    db_stmt_done(st);
    return set_message_status(db, message_id, status, has_last, last, now_ms);
}

static const char sql_mark_submitted[] =
    "UPDATE outbox_segments SET state = 1, attempts = ?2, last_status = ?3, bind = ?4,"
    " smsc_id = ?5, submitted_ms = ?6, done_ms = NULL WHERE id = ?1 AND state IN (0, 4)";
static const char sql_mark_retry[] =
    "UPDATE outbox_segments SET attempts = ?2, last_status = ?3, bind = ?4"
    " WHERE id = ?1 AND state = 0";
static const char sql_mark_final[] =
    "UPDATE outbox_segments SET state = ?5, attempts = max(attempts, ?2), last_status = ?3,"
    " bind = coalesce(?4, bind), done_ms = ?6 WHERE id = ?1 AND state IN (0, 1)";

static int
mark_one(struct db *db, const struct outbox_mark *k, int64_t now_ms)
{
    const char *sql;
    int state = -1;
    switch (k->kind) {
    case OUTBOX_MARK_SUBMITTED:
        sql = sql_mark_submitted;
        break;
    case OUTBOX_MARK_RETRY:
        sql = sql_mark_retry;
        break;
    case OUTBOX_MARK_FAILED:
        sql = sql_mark_final;
        state = OUTBOX_FAILED;
        break;
    case OUTBOX_MARK_EXPIRED:
        sql = sql_mark_final;
        state = OUTBOX_EXPIRED;
        break;
    case OUTBOX_MARK_DELIVERED:
        sql = sql_mark_final;
        state = OUTBOX_DELIVERED;
        break;
    default:
        return GY_EINVAL;
    }
    sqlite3_stmt *st = db_stmt(db, sql);
    if (st == NULL)
        return GY_EDB;
    sqlite3_bind_int64(st, 1, k->seg_id);
    sqlite3_bind_int(st, 2, k->attempts);
    sqlite3_bind_int64(st, 3, k->status);
    if (k->bind[0] != '\0')
        sqlite3_bind_text(st, 4, k->bind, -1, SQLITE_STATIC);
    else if (sql != sql_mark_final)
        sqlite3_bind_null(st, 4);
    if (sql == sql_mark_submitted) {
        sqlite3_bind_text(st, 5, k->smsc_id, -1, SQLITE_STATIC);
        sqlite3_bind_int64(st, 6, now_ms);
    } else if (sql == sql_mark_final) {
        sqlite3_bind_int(st, 5, state);
        sqlite3_bind_int64(st, 6, now_ms);
    }
    int rc = sqlite3_step(st);
    int changed = sqlite3_changes(db_sqlite(db));
    db_stmt_done(st);
    if (rc != SQLITE_DONE)
        return step_err(rc);
    /* A retry leaves the message queued; a no-op mark changes nothing. */
    if (changed == 0 || k->kind == OUTBOX_MARK_RETRY)
        return 0;
    if (k->n_parts == 1) /* the segment is the message: no need to read its parts */
        return set_message_status(db, k->message_id,
                                  k->kind == OUTBOX_MARK_SUBMITTED ? OUTBOX_SUBMITTED : state,
                                  state == OUTBOX_FAILED || state == OUTBOX_EXPIRED, k->status,
                                  now_ms);
    return update_message(db, k->message_id, now_ms);
}

int
outbox_store_mark(struct db *db, const struct outbox_mark *marks, size_t n, int64_t now_ms)
{
    for (size_t i = 0; i < n; i++) {
        int rc = mark_one(db, &marks[i], now_ms);
        if (rc != 0)
            return rc;
    }
    return 0;
}

static const char sql_dlr_find[] =
    "SELECT id, message_id FROM outbox_segments WHERE state = 1 AND bind = ?1 AND smsc_id = ?2"
    " ORDER BY id DESC LIMIT 1";
static const char sql_dlr_err[] = "UPDATE outbox_segments SET last_status = ?2 WHERE id = ?1";

int
outbox_store_dlr_apply(struct db *db, const char *bind, const char *smsc_id,
                       enum outbox_state state, int64_t err, int64_t now_ms, int64_t *seg_id,
                       int64_t *message_id)
{
    if (bind == NULL || smsc_id == NULL || smsc_id[0] == '\0' ||
        (state != OUTBOX_DELIVERED && state != OUTBOX_FAILED && state != OUTBOX_EXPIRED &&
         state != OUTBOX_SUBMITTED))
        return GY_EINVAL;
    sqlite3_stmt *st = db_stmt(db, sql_dlr_find);
    if (st == NULL)
        return GY_EDB;
    sqlite3_bind_text(st, 1, bind, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, smsc_id, -1, SQLITE_STATIC);
    int rc = sqlite3_step(st);
    if (rc != SQLITE_ROW) {
        db_stmt_done(st);
        return rc == SQLITE_DONE ? GY_ENOTFOUND : step_err(rc);
    }
    int64_t sid = sqlite3_column_int64(st, 0), mid = sqlite3_column_int64(st, 1);
    db_stmt_done(st);
    if (seg_id)
        *seg_id = sid;
    if (message_id)
        *message_id = mid;
    if (state == OUTBOX_SUBMITTED) {
        if (err == 0)
            return 0;
        st = db_stmt(db, sql_dlr_err);
        if (st == NULL)
            return GY_EDB;
        sqlite3_bind_int64(st, 1, sid);
        sqlite3_bind_int64(st, 2, err);
        rc = sqlite3_step(st);
        db_stmt_done(st);
        return rc == SQLITE_DONE ? 0 : step_err(rc);
    }
    struct outbox_mark k = {
        .kind = state == OUTBOX_DELIVERED ? OUTBOX_MARK_DELIVERED
                : state == OUTBOX_FAILED  ? OUTBOX_MARK_FAILED
                                          : OUTBOX_MARK_EXPIRED,
        .seg_id = sid,
        .message_id = mid,
        .status = err,
    };
    return mark_one(db, &k, now_ms);
}

static const char sql_resume[] =
    "UPDATE outbox_segments SET state = 0 WHERE state = 1 AND (smsc_id IS NULL OR bind IS NULL)"
    " RETURNING message_id";
static const char sql_expire[] =
    "UPDATE outbox_segments SET state = 4, done_ms = ?1 WHERE id IN (SELECT id FROM"
    " outbox_segments WHERE state = 0 AND valid_until_ms <= ?1 LIMIT ?2) RETURNING message_id";

/* Runs an UPDATE ... RETURNING message_id and refreshes each message returned. */
static int
update_returning(struct db *db, const char *sql, int64_t now_ms, int64_t limit, size_t *n)
{
    size_t cap = 64, cnt = 0;
    int64_t *ids = sqlite3_malloc64(cap * sizeof(*ids));
    if (ids == NULL)
        return GY_ENOMEM;
    sqlite3_stmt *st = db_stmt(db, sql);
    if (st == NULL) {
        sqlite3_free(ids);
        return GY_EDB;
    }
    if (sql == sql_expire) {
        sqlite3_bind_int64(st, 1, now_ms);
        sqlite3_bind_int64(st, 2, limit);
    }
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (cnt == cap) {
            int64_t *bigger = sqlite3_realloc64(ids, 2 * cap * sizeof(*ids));
            if (bigger == NULL) {
                rc = SQLITE_NOMEM;
                break;
            }
            ids = bigger;
            cap *= 2;
        }
        ids[cnt++] = sqlite3_column_int64(st, 0);
    }
    db_stmt_done(st);
    int err = rc == SQLITE_DONE ? 0 : rc == SQLITE_NOMEM ? GY_ENOMEM : step_err(rc);
    for (size_t i = 0; err == 0 && i < cnt; i++) {
        if (i > 0 && ids[i] == ids[i - 1])
            continue;
        err = update_message(db, ids[i], now_ms);
    }
    sqlite3_free(ids);
    if (n != NULL)
        *n = err == 0 ? cnt : 0;
    return err;
}

int
outbox_store_resume(struct db *db, int64_t now_ms, size_t *n)
{
    return update_returning(db, sql_resume, now_ms, 0, n);
}

int
outbox_store_expire(struct db *db, int64_t now_ms, size_t max, size_t *n)
{
    return update_returning(db, sql_expire, now_ms, max > 0 ? (int64_t)max : 1000, n);
}

static const char sql_message[] =
    "SELECT id, priority, status, n_parts, coalesce(last_status, 0), sender, msisdn,"
    " coalesce(origin_bind, '') FROM outbox_messages WHERE id = ?1";

int
outbox_store_message(struct db *db, int64_t id, struct outbox_msg_info *out)
{
    sqlite3_stmt *st = db_stmt(db, sql_message);
    if (st == NULL)
        return GY_EDB;
    sqlite3_bind_int64(st, 1, id);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        memset(out, 0, sizeof(*out));
        out->id = sqlite3_column_int64(st, 0);
        out->priority = (enum outbox_prio)sqlite3_column_int(st, 1);
        out->status = (enum outbox_state)sqlite3_column_int(st, 2);
        out->n_parts = sqlite3_column_int(st, 3);
        out->last_status = sqlite3_column_int64(st, 4);
        db_col_copy(st, 5, out->sender, sizeof(out->sender));
        db_col_copy(st, 6, out->msisdn, sizeof(out->msisdn));
        db_col_copy(st, 7, out->origin_bind, sizeof(out->origin_bind));
    }
    db_stmt_done(st);
    return rc == SQLITE_ROW ? 0 : rc == SQLITE_DONE ? GY_ENOTFOUND : step_err(rc);
}

static const char sql_count_queued[] =
    "SELECT priority, count(*) FROM outbox_segments WHERE state = 0 GROUP BY priority";
static const char sql_count_awaiting[] = "SELECT count(*) FROM outbox_segments WHERE state = 1";
static const char sql_count_senders[] =
    "SELECT sender, priority, status, count(*) FROM outbox_messages"
    " GROUP BY sender, priority, status ORDER BY sender, priority, status";

int
outbox_store_counts(struct db *db, struct outbox_counts *out)
{
    memset(out, 0, sizeof(*out));
    sqlite3_stmt *st = db_stmt(db, sql_count_queued);
    if (st == NULL)
        return GY_EDB;
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        int p = sqlite3_column_int(st, 0);
        if (p >= 0 && p < OUTBOX_N_PRIO)
            out->queued_segments[p] = (uint64_t)sqlite3_column_int64(st, 1);
    }
    db_stmt_done(st);
    if (rc != SQLITE_DONE)
        return step_err(rc);
    st = db_stmt(db, sql_count_awaiting);
    if (st == NULL)
        return GY_EDB;
    rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        out->awaiting_report = (uint64_t)sqlite3_column_int64(st, 0);
    db_stmt_done(st);
    if (rc != SQLITE_ROW)
        return step_err(rc);
    st = db_stmt(db, sql_count_senders);
    if (st == NULL)
        return GY_EDB;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        int p = sqlite3_column_int(st, 1), s = sqlite3_column_int(st, 2);
        if (p >= 0 && p < OUTBOX_N_PRIO && s >= 0 && s < OUTBOX_N_STATE)
            out->messages[p][s] += (uint64_t)sqlite3_column_int64(st, 3);
    }
    db_stmt_done(st);
    return rc == SQLITE_DONE ? 0 : step_err(rc);
}

int
outbox_store_count_senders(struct db *db,
                           int (*fn)(void *arg, const char *sender, enum outbox_prio p,
                                     enum outbox_state s, uint64_t n),
                           void *arg)
{
    sqlite3_stmt *st = db_stmt(db, sql_count_senders);
    if (st == NULL)
        return GY_EDB;
    int rc = SQLITE_DONE, stop = 0;
    while (stop == 0 && (rc = sqlite3_step(st)) == SQLITE_ROW) {
        stop =
            fn(arg, db_col_text(st, 0), (enum outbox_prio)sqlite3_column_int(st, 1),
               (enum outbox_state)sqlite3_column_int(st, 2), (uint64_t)sqlite3_column_int64(st, 3));
    }
    db_stmt_done(st);
    if (stop != 0)
        return stop;
    return rc == SQLITE_DONE ? 0 : step_err(rc);
}

const char *
outbox_store_sql(enum outbox_store_query q)
{
    switch (q) {
    case OUTBOX_SQL_FETCH:
        return sql_fetch;
    case OUTBOX_SQL_DLR:
        return sql_dlr_find;
    case OUTBOX_SQL_EXPIRE:
        return sql_expire;
    }
    return "";
}
