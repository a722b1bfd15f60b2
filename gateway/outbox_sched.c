/* SPDX-License-Identifier: GPL-3.0-or-later */
/* outbox_sched: in-memory ready queues per priority (sorted by segment id, so that anything
 * put back lands in its original place), a waiting list for back-off, an in-flight table
 * keyed by cookie, routing by origin bind and destination prefixes, and the marks for the
 * store. Pure: the caller brings the time, the store rows and the link completions. */
#include "gateway/outbox_sched.h"

#include "base/gy_err.h"
#include "base/gy_str.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct item {
    struct outbox_seg seg;
    int retries;        /* temporary errors so far (this run) */
    int64_t not_before; /* waiting list: back-off end */
    int bind;           /* in flight on this bind */
    uint32_t slot_gen;
};

struct vec { /* array of item pointers */
    struct item **v;
    size_t n, cap;
};

struct sbind {
    char name[OUTBOX_BIND_SIZE];
    char **prefixes;
    size_t n_prefixes;
    int max_retries;
    int64_t pause_ms;
    unsigned pause_factor;
    int64_t paused_until;
    enum smpp_id_base resp_base;
    char source_addr[OUTBOX_ADDR_SIZE];
    uint8_t ton, npi;
    bool up;
};

struct slot {
    struct item *it; /* NULL when free */
    uint32_t gen;
};

struct outbox_sched {
    struct outbox_sched_opts o;
    struct sbind binds[GY_CONFIG_MAX_BINDS];
    int n_binds;
    struct vec ready[OUTBOX_N_PRIO];
    struct vec waiting; /* back-off, any priority */
    size_t held[OUTBOX_N_PRIO];
    int64_t cursor[OUTBOX_N_PRIO];
    bool drained[OUTBOX_N_PRIO];
    struct slot *slots;
    size_t n_slots;
    size_t *free_slots;
    size_t n_free;
    size_t in_flight;
    struct outbox_mark *marks;
    size_t n_marks, cap_marks;
    struct outbox_sched_stats st;
};

static int
vec_reserve(struct vec *v, size_t n)
{
    if (n <= v->cap)
        return 0;
    size_t cap = v->cap ? v->cap : 64;
    while (cap < n)
        cap *= 2;
    struct item **p = realloc(v->v, cap * sizeof(*p));
    if (p == NULL)
        return GY_ENOMEM;
    v->v = p;
    v->cap = cap;
    return 0;
}

static void
vec_remove(struct vec *v, size_t i)
{
    memmove(&v->v[i], &v->v[i + 1], (v->n - i - 1) * sizeof(v->v[0]));
    v->n--;
}

/* Inserts it by segment id (binary search): put-backs return to their original place. */
static int
vec_insert_sorted(struct vec *v, struct item *it)
{
    if (vec_reserve(v, v->n + 1) != 0)
        return GY_ENOMEM;
    size_t lo = 0, hi = v->n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (v->v[mid]->seg.id < it->seg.id)
            lo = mid + 1;
        else
            hi = mid;
    }
    memmove(&v->v[lo + 1], &v->v[lo], (v->n - lo) * sizeof(v->v[0]));
    v->v[lo] = it;
    v->n++;
    return 0;
}

struct outbox_sched *
outbox_sched_new(const struct outbox_sched_opts *opts)
{
    struct outbox_sched *s = calloc(1, sizeof(*s));
    if (s == NULL)
        return NULL;
    if (opts != NULL)
        s->o = *opts;
    if (s->o.batch == 0)
        s->o.batch = 256;
    if (s->o.retry_min_ms <= 0)
        s->o.retry_min_ms = 1000;
    if (s->o.retry_max_ms < s->o.retry_min_ms)
        s->o.retry_max_ms = s->o.retry_min_ms > 60000 ? s->o.retry_min_ms : 60000;
    if (s->o.pause_factor_max == 0)
        s->o.pause_factor_max = 32;
    return s;
}

static void
free_vec(struct vec *v)
{
    for (size_t i = 0; i < v->n; i++)
        free(v->v[i]);
    free(v->v);
}

void
outbox_sched_free(struct outbox_sched *s)
{
    if (s == NULL)
        return;
    for (int p = 0; p < OUTBOX_N_PRIO; p++)
        free_vec(&s->ready[p]);
    free_vec(&s->waiting);
    for (size_t i = 0; i < s->n_slots; i++)
        free(s->slots[i].it);
    free(s->slots);
    free(s->free_slots);
    for (int b = 0; b < s->n_binds; b++) {
        for (size_t i = 0; i < s->binds[b].n_prefixes; i++)
            free(s->binds[b].prefixes[i]);
        free(s->binds[b].prefixes);
    }
    free(s->marks);
    free(s);
}

int
outbox_sched_bind_find(const struct outbox_sched *s, const char *name)
{
    for (int b = 0; name != NULL && b < s->n_binds; b++)
        if (strcmp(s->binds[b].name, name) == 0)
            return b;
    return GY_ENOTFOUND;
}

int
outbox_sched_add_bind(struct outbox_sched *s, const struct outbox_sched_bind *b)
{
    if (b == NULL || b->name == NULL || b->name[0] == '\0' || strlen(b->name) >= OUTBOX_BIND_SIZE ||
        b->throttle_pause_ms < 1 || outbox_sched_bind_find(s, b->name) >= 0 ||
        (b->n_dest_prefixes && !b->dest_prefixes))
        return GY_EINVAL;
    if (s->n_binds == GY_CONFIG_MAX_BINDS)
        return GY_ETOOBIG;
    struct sbind *d = &s->binds[s->n_binds];
    memset(d, 0, sizeof(*d));
    if (b->n_dest_prefixes > 0) {
        d->prefixes = calloc(b->n_dest_prefixes, sizeof(char *));
        if (d->prefixes == NULL)
            return GY_ENOMEM;
        for (size_t i = 0; i < b->n_dest_prefixes; i++) {
            d->prefixes[i] = strdup(b->dest_prefixes[i] ? b->dest_prefixes[i] : "");
            d->n_prefixes = i + 1;
            if (d->prefixes[i] == NULL) {
                for (size_t k = 0; k < d->n_prefixes; k++)
                    free(d->prefixes[k]);
                free(d->prefixes);
                memset(d, 0, sizeof(*d));
                return GY_ENOMEM;
            }
        }
    }
    gy_strlcpy(d->name, sizeof(d->name), b->name);
    d->max_retries = b->max_retries < 0 ? 0 : b->max_retries;
    d->pause_ms = b->throttle_pause_ms;
    d->pause_factor = 1;
    d->resp_base = b->resp_id_base;
    gy_strlcpy(d->source_addr, sizeof(d->source_addr), b->source_addr ? b->source_addr : "");
    d->ton = b->source_ton;
    d->npi = b->source_npi;
    return s->n_binds++;
}

void
outbox_sched_bind_up(struct outbox_sched *s, int bind, bool up)
{
    if (bind >= 0 && bind < s->n_binds)
        s->binds[bind].up = up;
}

size_t
outbox_sched_want(const struct outbox_sched *s, enum outbox_prio p, int64_t *after_id)
{
    if ((unsigned)p >= OUTBOX_N_PRIO)
        return 0;
    *after_id = s->cursor[p];
    if (s->drained[p] || s->held[p] * 2 > s->o.batch)
        return 0;
    return s->o.batch - s->held[p];
}

int
outbox_sched_feed(struct outbox_sched *s, enum outbox_prio p, const struct outbox_seg *segs,
                  size_t n, size_t asked)
{
    if ((unsigned)p >= OUTBOX_N_PRIO)
        return GY_EINVAL;
    if (vec_reserve(&s->ready[p], s->ready[p].n + n) != 0)
        return GY_ENOMEM;
    for (size_t i = 0; i < n; i++) {
        if (segs[i].id <= s->cursor[p])
            continue;
        struct item *it = calloc(1, sizeof(*it));
        if (it == NULL)
            return GY_ENOMEM; /* cursor not advanced past it: refetched later */
        it->seg = segs[i];
        it->seg.priority = p;
        it->bind = -1;
        vec_insert_sorted(&s->ready[p], it); /* capacity reserved above */
        s->cursor[p] = segs[i].id;
        s->held[p]++;
    }
    s->drained[p] = n < asked;
    return 0;
}

void
outbox_sched_poke(struct outbox_sched *s, enum outbox_prio p)
{
    if ((unsigned)p < OUTBOX_N_PRIO)
        s->drained[p] = false;
}

static void
add_mark(struct outbox_sched *s, enum outbox_mark_kind kind, const struct item *it, int64_t status,
         const char *bind, const char *smsc_id)
{
    if (s->n_marks == s->cap_marks) {
        size_t cap = s->cap_marks ? s->cap_marks * 2 : 256;
        struct outbox_mark *m = realloc(s->marks, cap * sizeof(*m));
        if (m == NULL)
            return; /* the segment stays queued in the store: resent after a restart */
        s->marks = m;
        s->cap_marks = cap;
    }
    struct outbox_mark *k = &s->marks[s->n_marks++];
    memset(k, 0, sizeof(*k));
    k->kind = kind;
    k->seg_id = it->seg.id;
    k->message_id = it->seg.message_id;
    k->attempts = it->seg.attempts;
    k->n_parts = it->seg.n_parts;
    k->status = status;
    gy_strlcpy(k->bind, sizeof(k->bind), bind ? bind : "");
    gy_strlcpy(k->smsc_id, sizeof(k->smsc_id), smsc_id ? smsc_id : "");
}

/* Longest matching destination prefix + 2; 1 for a bind without prefixes; 0 otherwise. */
static size_t
route_rank(const struct sbind *b, const char *msisdn)
{
    if (b->n_prefixes == 0)
        return 1;
    size_t best = 0;
    for (size_t i = 0; i < b->n_prefixes; i++) {
        size_t n = strlen(b->prefixes[i]);
        if (strncmp(msisdn, b->prefixes[i], n) == 0 && n + 2 > best)
            best = n + 2;
    }
    return best;
}

/* A segment may leave on bind b when it is a reply whose origin bind is b, or (no origin
 * bind, or one not configured) when no bound bind ranks better for its destination. */
static bool
eligible(const struct outbox_sched *s, const struct item *it, int b)
{
    if (it->seg.origin_bind[0] != '\0') {
        int ob = outbox_sched_bind_find(s, it->seg.origin_bind);
        if (ob >= 0)
            return ob == b;
    }
    size_t mine = route_rank(&s->binds[b], it->seg.msisdn);
    for (int c = 0; c < s->n_binds; c++) {
        if (c != b && s->binds[c].up && route_rank(&s->binds[c], it->seg.msisdn) > mine)
            return false;
    }
    return true;
}

/* Moves waiting items whose back-off ended back into their ready queues. */
static void
promote_waiting(struct outbox_sched *s, int64_t now_ms)
{
    for (size_t i = 0; i < s->waiting.n;) {
        struct item *it = s->waiting.v[i];
        if (it->not_before <= now_ms && vec_insert_sorted(&s->ready[it->seg.priority], it) == 0) {
            vec_remove(&s->waiting, i);
            continue;
        }
        i++;
    }
}

static void
drop_item(struct outbox_sched *s, struct item *it)
{
    s->held[it->seg.priority]--;
    free(it);
}

static int
slot_take(struct outbox_sched *s, struct item *it, uint64_t *cookie)
{
    size_t i;
    if (s->n_free > 0) {
        i = s->free_slots[--s->n_free];
    } else {
        size_t n = s->n_slots ? s->n_slots * 2 : 64;
        struct slot *ns = realloc(s->slots, n * sizeof(*ns));
        if (ns == NULL)
            return GY_ENOMEM;
        s->slots = ns;
        size_t *nf = realloc(s->free_slots, n * sizeof(*nf));
        if (nf == NULL)
            return GY_ENOMEM;
        s->free_slots = nf;
        for (size_t k = s->n_slots; k < n; k++)
            s->slots[k] = (struct slot){0};
        for (size_t k = n; k > s->n_slots + 1; k--)
            s->free_slots[s->n_free++] = k - 1;
        i = s->n_slots;
        s->n_slots = n;
    }
    s->slots[i].it = it;
    s->slots[i].gen++;
    s->in_flight++;
    *cookie = ((uint64_t)s->slots[i].gen << 32) | (uint64_t)i;
    return 0;
}

static struct item *
slot_release(struct outbox_sched *s, uint64_t cookie)
{
    size_t i = (size_t)(cookie & 0xFFFFFFFFu);
    uint32_t gen = (uint32_t)(cookie >> 32);
    if (i >= s->n_slots || s->slots[i].it == NULL || s->slots[i].gen != gen)
        return NULL;
    struct item *it = s->slots[i].it;
    s->slots[i].it = NULL;
    s->free_slots[s->n_free++] = i;
    s->in_flight--;
    return it;
}

int
outbox_sched_next(struct outbox_sched *s, int bind, int64_t now_ms, struct smpp_pdu *submit,
                  uint64_t *cookie)
{
    if (bind < 0 || bind >= s->n_binds)
        return GY_EINVAL;
    struct sbind *b = &s->binds[bind];
    if (!b->up || b->paused_until > now_ms)
        return 0;
    promote_waiting(s, now_ms);
    for (int p = 0; p < OUTBOX_N_PRIO; p++) {
        struct vec *q = &s->ready[p];
        for (size_t i = 0; i < q->n;) {
            struct item *it = q->v[i];
            if (it->seg.valid_until_ms <= now_ms) {
                vec_remove(q, i);
                add_mark(s, OUTBOX_MARK_EXPIRED, it, 0, NULL, NULL);
                s->st.expired++;
                drop_item(s, it);
                continue;
            }
            if (!eligible(s, it, bind)) {
                i++;
                continue;
            }
            if (outbox_seg_to_submit(&it->seg, b->source_addr, b->ton, b->npi, submit) != 0) {
                vec_remove(q, i); /* cannot ever be sent: fail it rather than loop on it */
                add_mark(s, OUTBOX_MARK_FAILED, it, SMPP_ESME_RINVMSGLEN, b->name, NULL);
                s->st.failed++;
                drop_item(s, it);
                continue;
            }
            if (slot_take(s, it, cookie) != 0)
                return GY_ENOMEM;
            vec_remove(q, i);
            it->bind = bind;
            s->st.picked++;
            return 1;
        }
    }
    return 0;
}

static void
put_back(struct outbox_sched *s, struct item *it)
{
    it->bind = -1;
    if (vec_insert_sorted(&s->ready[it->seg.priority], it) != 0)
        drop_item(s, it); /* out of memory: still queued in the store, resent after restart */
}

void
outbox_sched_unpick(struct outbox_sched *s, uint64_t cookie)
{
    struct item *it = slot_release(s, cookie);
    if (it == NULL)
        return;
    s->st.requeued++;
    put_back(s, it);
}

bool
outbox_sched_status_throttle(uint32_t status)
{
    return status == SMPP_ESME_RTHROTTLED || status == SMPP_ESME_RMSGQFUL;
}

bool
outbox_sched_status_temporary(uint32_t status)
{
    switch (status) {
    case SMPP_ESME_RINVBNDSTS:  /* 0x04 incorrect bind status: a link problem */
    case SMPP_ESME_RSYSERR:     /* 0x08 system error */
    case SMPP_ESME_RMSGQFUL:    /* 0x14 */
    case 0x45u:                 /* ESME_RSUBMITFAIL */
    case SMPP_ESME_RTHROTTLED:  /* 0x58 */
    case SMPP_ESME_RX_T_APPN:   /* 0x64 temporary application error */
    case SMPP_ESME_RUNKNOWNERR: /* 0xFF */
        return true;
    default:
        return false;
    }
}

static int64_t
backoff_ms(const struct outbox_sched *s, int retries)
{
    int64_t d = s->o.retry_min_ms;
    for (int i = 1; i < retries && d < s->o.retry_max_ms; i++)
        d *= 2;
    return d < s->o.retry_max_ms ? d : s->o.retry_max_ms;
}

static void
retry_or_fail(struct outbox_sched *s, struct item *it, struct sbind *b, int64_t status,
              int64_t now_ms)
{
    it->retries++;
    if (it->retries > b->max_retries) {
        add_mark(s, OUTBOX_MARK_FAILED, it, status, b->name, NULL);
        s->st.failed++;
        drop_item(s, it);
        return;
    }
    add_mark(s, OUTBOX_MARK_RETRY, it, status, b->name, NULL);
    s->st.retried++;
    it->bind = -1;
    it->not_before = now_ms + backoff_ms(s, it->retries);
    if (vec_reserve(&s->waiting, s->waiting.n + 1) != 0) {
        drop_item(s, it);
        return;
    }
    s->waiting.v[s->waiting.n++] = it;
}

void
outbox_sched_complete(struct outbox_sched *s, const struct smpp_link_completion *c, int64_t now_ms)
{
    struct item *it = slot_release(s, c->cookie);
    if (it == NULL) {
        s->st.stray++;
        return;
    }
    struct sbind *b = &s->binds[it->bind];
    it->seg.attempts++;
    uint32_t status = c->command_status;
    switch (c->kind) {
    case SMPP_DONE_LINK_LOST:
        s->st.requeued++;
        put_back(s, it);
        return;
    case SMPP_DONE_TIMEOUT:
        retry_or_fail(s, it, b, OUTBOX_STATUS_TIMEOUT, now_ms);
        return;
    case SMPP_DONE_RESPONSE:
    case SMPP_DONE_NACK:
        break;
    }
    if (c->kind == SMPP_DONE_RESPONSE && status == SMPP_ESME_ROK) {
        char id[OUTBOX_SMSC_ID_SIZE];
        const char *raw = c->message_id ? c->message_id : "";
        if (smpp_id_normalise(raw, b->resp_base, id, sizeof(id)) != 0 &&
            smpp_id_normalise(raw, SMPP_ID_TEXT, id, sizeof(id)) != 0)
            id[0] = '\0'; /* no usable id: the report cannot be matched, the send stands */
        add_mark(s, OUTBOX_MARK_SUBMITTED, it, 0, b->name, id);
        s->st.accepted++;
        b->pause_factor = 1;
        drop_item(s, it);
        return;
    }
    if (outbox_sched_status_throttle(status)) {
        s->st.throttled++;
        int64_t until = now_ms + b->pause_ms * (int64_t)b->pause_factor;
        if (until > b->paused_until)
            b->paused_until = until;
        if (b->pause_factor < s->o.pause_factor_max)
            b->pause_factor *= 2;
        put_back(s, it);
        return;
    }
    if (status == SMPP_ESME_ROK || outbox_sched_status_temporary(status)) {
        retry_or_fail(s, it, b, status, now_ms); /* ROK in a generic_nack: nonsense, retry */
        return;
    }
    add_mark(s, OUTBOX_MARK_FAILED, it, status, b->name, NULL);
    s->st.failed++;
    drop_item(s, it);
}

int64_t
outbox_sched_wakeup(const struct outbox_sched *s, int bind, int64_t now_ms)
{
    int64_t t = INT64_MAX;
    if (bind >= 0 && bind < s->n_binds && s->binds[bind].paused_until > now_ms)
        t = s->binds[bind].paused_until;
    for (size_t i = 0; i < s->waiting.n; i++) {
        int64_t nb = s->waiting.v[i]->not_before;
        if (nb < t)
            t = nb > now_ms ? nb : now_ms;
    }
    return t;
}

size_t
outbox_sched_take_marks(struct outbox_sched *s, struct outbox_mark *out, size_t max)
{
    size_t n = s->n_marks < max ? s->n_marks : max;
    if (n == 0)
        return 0;
    memcpy(out, s->marks, n * sizeof(*out));
    memmove(s->marks, s->marks + n, (s->n_marks - n) * sizeof(*out));
    s->n_marks -= n;
    return n;
}

void
outbox_sched_stats(const struct outbox_sched *s, struct outbox_sched_stats *out)
{
    *out = s->st;
    for (int p = 0; p < OUTBOX_N_PRIO; p++)
        out->in_memory[p] = s->held[p];
    out->in_flight = s->in_flight;
    out->marks_pending = s->n_marks;
}

int
outbox_seg_to_submit(const struct outbox_seg *g, const char *source_addr, uint8_t ton, uint8_t npi,
                     struct smpp_pdu *out)
{
    memset(out, 0, sizeof(*out));
    if (!g->in_payload && g->body_len > SMPP_SHORT_MESSAGE_MAX)
        return GY_ETOOBIG;
    if (g->in_payload && g->body_len > SMPP_PAYLOAD_MAX)
        return GY_ETOOBIG;
    out->hdr.command_id = SMPP_SUBMIT_SM;
    struct smpp_sm *sm = &out->body.sm;
    gy_strlcpy(sm->service_type, sizeof(sm->service_type), g->service_type);
    if (g->source_addr[0] != '\0') {
        gy_strlcpy(sm->source_addr, sizeof(sm->source_addr), g->source_addr);
        sm->source_addr_ton = g->source_ton;
        sm->source_addr_npi = g->source_npi;
    } else {
        gy_strlcpy(sm->source_addr, sizeof(sm->source_addr), source_addr ? source_addr : "");
        sm->source_addr_ton = ton;
        sm->source_addr_npi = npi;
    }
    gy_strlcpy(sm->destination_addr, sizeof(sm->destination_addr), g->msisdn);
    sm->dest_addr_ton = g->dest_ton;
    sm->dest_addr_npi = g->dest_npi;
    sm->esm_class = g->esm_class;
    sm->registered_delivery = g->registered_delivery;
    sm->data_coding = g->data_coding;
    if (g->in_payload) {
        sm->tlv.present |= SMPP_TLV_MESSAGE_PAYLOAD;
        sm->tlv.message_payload_len = g->body_len;
        memcpy(sm->tlv.message_payload, g->body, g->body_len);
    } else {
        sm->sm_length = (uint8_t)g->body_len;
        memcpy(sm->short_message, g->body, g->body_len);
    }
    if (g->sar) {
        sm->tlv.present |=
            SMPP_TLV_SAR_MSG_REF_NUM | SMPP_TLV_SAR_TOTAL_SEGMENTS | SMPP_TLV_SAR_SEGMENT_SEQNUM;
        sm->tlv.sar_msg_ref_num = g->sar_ref;
        sm->tlv.sar_total_segments = g->sar_total;
        sm->tlv.sar_segment_seqnum = g->sar_seq;
    }
    if (g->has_ussd_op) {
        sm->tlv.present |= SMPP_TLV_USSD_SERVICE_OP;
        sm->tlv.ussd_service_op = g->ussd_op;
    }
    if (g->has_its_session) {
        sm->tlv.present |= SMPP_TLV_ITS_SESSION_INFO;
        sm->tlv.its_session_info = g->its_session;
    }
    if (g->has_user_msg_ref) {
        sm->tlv.present |= SMPP_TLV_USER_MESSAGE_REFERENCE;
        sm->tlv.user_message_reference = g->user_msg_ref;
    }
    return 0;
}
