/* SPDX-License-Identifier: GPL-3.0-or-later */
/* inbox_store: incoming messages (deliver_sm that are not delivery reports), persisted as
 * they arrived before the gateway acknowledges them, then read back for processing and
 * marked processed. SQL only; knows nothing of SMPP beyond the plain fields it stores. */
#ifndef INBOX_STORE_H
#define INBOX_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "db/db_store.h"

#define INBOX_ADDR_SIZE 21
#define INBOX_BIND_SIZE 64
#define INBOX_BODY_MAX  1024

/* One stored incoming message part. Plain data, copied in and out. */
struct inbox_msg {
    int64_t id; /* set by inbox_store_add and by fetch */
    char bind[INBOX_BIND_SIZE];
    char source_addr[INBOX_ADDR_SIZE];
    uint8_t source_ton, source_npi;
    char dest_addr[INBOX_ADDR_SIZE];
    char service_type[6];
    uint8_t esm_class, data_coding;
    bool has_sar;
    uint16_t sar_ref;
    uint8_t sar_total, sar_seq;
    bool has_ussd_op;
    uint8_t ussd_op;
    bool has_its_session;
    uint16_t its_session;
    bool has_user_msg_ref;
    uint16_t user_msg_ref;
    uint16_t body_len;
    uint8_t body[INBOX_BODY_MAX];
    int64_t received_ms;
};

/* Stores m (its id is assigned into m->id) in the caller's transaction if one is open,
 * otherwise in its own (committed when this returns 0: the part is then durable to the
 * extent of the connection's synchronous setting). Returns 0, GY_EINVAL (body too long,
 * empty bind/source) or GY_EDB (busy or full: the caller answers ESME_RX_T_APPN). */
int inbox_store_add(struct db *db, struct inbox_msg *m);

/* Reads up to max unprocessed parts with id > after_id in arrival order into out (caller
 * array). *n receives the count. Returns 0 or GY_EDB. */
int inbox_store_fetch_new(struct db *db, int64_t after_id, struct inbox_msg *out, size_t max,
                          size_t *n);

/* Marks a part processed. Returns 0, GY_ENOTFOUND or GY_EDB. */
int inbox_store_mark_processed(struct db *db, int64_t id, int64_t now_ms);

/* Number of unprocessed parts (for metrics). Returns 0 or GY_EDB. */
int inbox_store_count_new(struct db *db, uint64_t *n);

#endif
