/* SPDX-License-Identifier: GPL-3.0-or-later */
/* outbox_compose: text -> encoded segments -> one outbox message. */
#include "gateway/outbox_compose.h"
#include "base/gy_err.h"

#include <stdlib.h>
#include <string.h>

void
outbox_compose_split_opts(const struct gy_coding *c, enum text_overflow overflow,
                          struct text_split_opts *o)
{
    memset(o, 0, sizeof(*o));
    o->allow = TEXT_ALLOW_UCS2 | TEXT_ALLOW_UTF16 | TEXT_ALLOW_GSM7;
    o->concat = TEXT_CONCAT_UDH8;
    o->max_parts = 255;
    o->overflow = overflow;
    if (c == NULL)
        return;
    bool gsm = c->allow_gsm7 &&
               (c->data_coding_0 == GY_DC0_GSM7_UNPACKED || c->data_coding_0 == GY_DC0_GSM7_PACKED);
    o->allow = TEXT_ALLOW_UCS2 | TEXT_ALLOW_UTF16 | (gsm ? TEXT_ALLOW_GSM7 : 0u) |
               (c->allow_gbk ? TEXT_ALLOW_GBK : 0u);
    o->gsm7_packed = c->data_coding_0 == GY_DC0_GSM7_PACKED;
    switch (c->long_messages) {
    case GY_LONG_UDH16:
        o->concat = TEXT_CONCAT_UDH16;
        break;
    case GY_LONG_SAR:
        o->concat = TEXT_CONCAT_SAR;
        break;
    case GY_LONG_PAYLOAD:
        o->concat = TEXT_CONCAT_PAYLOAD;
        break;
    case GY_LONG_UDH8:
        o->concat = TEXT_CONCAT_UDH8;
        break;
    }
    o->max_parts = (unsigned)c->max_segments;
}

int
outbox_compose_enqueue(struct db *db, struct text_codec *codec, const char *text,
                       const struct text_split_opts *opts, struct outbox_msg_in *m, int64_t now_ms,
                       int64_t *id, struct outbox_compose_info *info, struct text_unencodable *bad)
{
    struct text_split sp;
    struct text_unencodable ignored;
    int rc = text_split_make(codec, text, strlen(text), opts, &sp, bad ? bad : &ignored);
    if (rc != 0)
        return rc;
    struct outbox_part_in *parts = calloc(sp.n_parts, sizeof(*parts));
    if (parts == NULL) {
        text_split_fini(&sp);
        return GY_ENOMEM;
    }
    for (size_t i = 0; i < sp.n_parts; i++) {
        const struct text_part *p = &sp.parts[i];
        parts[i].data_coding = sp.data_coding;
        parts[i].esm_class = p->udhi ? 0x40u : 0u;
        if (sp.payload != NULL) {
            parts[i].in_payload = true;
            parts[i].body = sp.payload;
            parts[i].body_len = sp.payload_len;
        } else {
            parts[i].body = p->sm;
            parts[i].body_len = p->sm_len;
        }
        parts[i].sar = p->sar != 0;
        parts[i].sar_ref = p->sar_ref;
        parts[i].sar_total = p->sar_total;
        parts[i].sar_seq = p->sar_seq;
    }
    m->parts = parts;
    m->n_parts = sp.n_parts;
    rc = outbox_store_enqueue(db, m, now_ms, id);
    if (info != NULL) {
        info->coding = sp.coding;
        info->data_coding = sp.data_coding;
        info->n_parts = sp.n_parts;
        info->truncated = sp.truncated;
    }
    m->parts = NULL;
    m->n_parts = 0;
    free(parts);
    text_split_fini(&sp);
    return rc;
}
