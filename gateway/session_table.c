/* SPDX-License-Identifier: GPL-3.0-or-later */
/* session_table: open sessions in a chained hash table (doubled when the load passes 1), two
 * intrusive lists per channel (by last activity and by creation) so that expiry only looks at
 * list heads. No I/O, no clock, no logging: the caller passes now and logs in on_end. */
#include "gateway/session_table.h"

#include "base/gy_err.h"
#include "base/gy_log.h"
#include "gateway/gy_config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define INITIAL_BUCKETS 1024u
#define PRESIZE_MAX     (1u << 18) /* buckets allocated up front at most (2 MiB) */
#define PAYLOAD_MAX     (1u << 20)

struct session_list {
    struct session *head, *tail;
};

struct session_table {
    struct session_limits lim;
    session_end_fn on_end;
    void *arg;
    struct session **buckets;
    size_t n_buckets; /* a power of two */
    size_t n;
    struct session_list idle[SESSION_CH_COUNT];
    struct session_list age[SESSION_CH_COUNT];
    struct session_counts counts;
};

/* ----- keys ----- */

int
session_key_set(struct session_key *key, enum session_channel ch, enum session_key_kind kind,
                unsigned bind, unsigned id, const char *msisdn)
{
    if (key == NULL || msisdn == NULL || (unsigned)ch >= SESSION_CH_COUNT ||
        (unsigned)kind > SESSION_KEY_UMR || bind > UINT16_MAX || id > UINT16_MAX)
        return GY_EINVAL;
    if (msisdn[0] == '+')
        msisdn++;
    size_t len = strlen(msisdn);
    if (len == 0 || len >= SESSION_MSISDN_SIZE)
        return GY_EINVAL;
    memset(key, 0, sizeof *key);
    key->channel = (uint8_t)ch;
    key->kind = (uint8_t)kind;
    key->bind = (uint16_t)bind;
    key->id = kind == SESSION_KEY_MSISDN ? 0 : (uint16_t)id;
    memcpy(key->msisdn, msisdn, len);
    return 0;
}

const char *
session_channel_name(enum session_channel ch)
{
    switch (ch) {
    case SESSION_CH_USSD:
        return "ussd";
    case SESSION_CH_SMS:
        return "sms";
    default:
        return "?";
    }
}

char *
session_key_describe(const struct session_key *key, char *buf, size_t n)
{
    if (buf == NULL || n == 0)
        return buf;
    if (key == NULL) {
        snprintf(buf, n, "-");
        return buf;
    }
    char masked[GY_MASK_BUFLEN];
    char num[SESSION_MSISDN_SIZE];
    memcpy(num, key->msisdn, sizeof num);
    num[sizeof num - 1] = '\0';
    gy_mask_msisdn(num, masked);
    switch (key->kind) {
    case SESSION_KEY_ITS:
        snprintf(buf, n, "%s/%u/its:%u/%s", session_channel_name(key->channel), key->bind, key->id,
                 masked);
        break;
    case SESSION_KEY_UMR:
        snprintf(buf, n, "%s/%u/umr:%u/%s", session_channel_name(key->channel), key->bind, key->id,
                 masked);
        break;
    default:
        snprintf(buf, n, "%s/%u/%s", session_channel_name(key->channel), key->bind, masked);
        break;
    }
    return buf;
}

static uint32_t
key_hash(const struct session_key *k)
{
    /* FNV-1a over the fields, then a 64-bit finaliser (murmur3 fmix64). */
    uint64_t h = 1469598103934665603ull;
    const uint8_t head[6] = {
        k->channel,    k->kind, (uint8_t)(k->bind >> 8), (uint8_t)k->bind, (uint8_t)(k->id >> 8),
        (uint8_t)k->id};
    for (size_t i = 0; i < sizeof head; i++)
        h = (h ^ head[i]) * 1099511628211ull;
    for (size_t i = 0; i < SESSION_MSISDN_SIZE && k->msisdn[i] != '\0'; i++)
        h = (h ^ (uint8_t)k->msisdn[i]) * 1099511628211ull;
    h ^= h >> 33;
    h *= 0xff51afd7ed558ccdull;
    h ^= h >> 33;
    h *= 0xc4ceb9fe1a85ec53ull;
    h ^= h >> 33;
    return (uint32_t)h;
}

static bool
key_equal(const struct session_key *a, const struct session_key *b)
{
    return a->channel == b->channel && a->kind == b->kind && a->bind == b->bind && a->id == b->id &&
           strncmp(a->msisdn, b->msisdn, SESSION_MSISDN_SIZE) == 0;
}

static bool
key_valid(const struct session_key *k)
{
    return k != NULL && k->channel < SESSION_CH_COUNT && k->kind <= SESSION_KEY_UMR &&
           k->msisdn[0] != '\0' && memchr(k->msisdn, '\0', SESSION_MSISDN_SIZE) != NULL;
}

/* ----- limits ----- */

void
session_limits_default(struct session_limits *lim)
{
    memset(lim, 0, sizeof *lim);
    lim->idle_ms[SESSION_CH_USSD] = 60 * 1000;
    lim->total_ms[SESSION_CH_USSD] = 180 * 1000;
    lim->idle_ms[SESSION_CH_SMS] = 600 * 1000;
    lim->total_ms[SESSION_CH_SMS] = 0;
    lim->max_sessions = 200000;
}

void
session_limits_from_config(struct session_limits *lim, const struct gy_config *cfg)
{
    session_limits_default(lim);
    if (cfg == NULL)
        return;
    if (cfg->ussd_idle_timeout > 0)
        lim->idle_ms[SESSION_CH_USSD] = (uint64_t)cfg->ussd_idle_timeout * 1000;
    if (cfg->ussd_total_timeout > 0)
        lim->total_ms[SESSION_CH_USSD] = (uint64_t)cfg->ussd_total_timeout * 1000;
    if (cfg->sms_idle_timeout > 0)
        lim->idle_ms[SESSION_CH_SMS] = (uint64_t)cfg->sms_idle_timeout * 1000;
    if (cfg->max_sessions > 0)
        lim->max_sessions = (size_t)cfg->max_sessions;
}

const char *
session_end_name(enum session_end why)
{
    switch (why) {
    case SESSION_END_IDLE:
        return "idle";
    case SESSION_END_TOTAL:
        return "total";
    case SESSION_END_REPLACED:
        return "replaced";
    default:
        return "?";
    }
}

/* ----- lists ----- */

static void
idle_append(struct session_list *l, struct session *s)
{
    s->idle_next = NULL;
    s->idle_prev = l->tail;
    if (l->tail != NULL)
        l->tail->idle_next = s;
    else
        l->head = s;
    l->tail = s;
}

static void
idle_remove(struct session_list *l, struct session *s)
{
    if (s->idle_prev != NULL)
        s->idle_prev->idle_next = s->idle_next;
    else
        l->head = s->idle_next;
    if (s->idle_next != NULL)
        s->idle_next->idle_prev = s->idle_prev;
    else
        l->tail = s->idle_prev;
    s->idle_prev = s->idle_next = NULL;
}

static void
age_append(struct session_list *l, struct session *s)
{
    s->age_next = NULL;
    s->age_prev = l->tail;
    if (l->tail != NULL)
        l->tail->age_next = s;
    else
        l->head = s;
    l->tail = s;
}

static void
age_remove(struct session_list *l, struct session *s)
{
    if (s->age_prev != NULL)
        s->age_prev->age_next = s->age_next;
    else
        l->head = s->age_next;
    if (s->age_next != NULL)
        s->age_next->age_prev = s->age_prev;
    else
        l->tail = s->age_prev;
    s->age_prev = s->age_next = NULL;
}

/* ----- table ----- */

struct session_table *
session_table_new(const struct session_limits *lim, session_end_fn on_end, void *arg)
{
    if (lim == NULL || lim->max_sessions == 0)
        return NULL;
    struct session_table *t = calloc(1, sizeof *t);
    if (t == NULL)
        return NULL;
    t->lim = *lim;
    t->on_end = on_end;
    t->arg = arg;
    /* Buckets for max_sessions up front (up to PRESIZE_MAX), so that a doubling (a pause of
     * several ms at 100,000 sessions) happens only past that. */
    t->n_buckets = INITIAL_BUCKETS;
    while (t->n_buckets < lim->max_sessions && t->n_buckets < PRESIZE_MAX)
        t->n_buckets *= 2;
    t->buckets = calloc(t->n_buckets, sizeof *t->buckets);
    if (t->buckets == NULL) {
        free(t);
        return NULL;
    }
    return t;
}

static void
session_free_mem(struct session *s)
{
    free(s->payload);
    free(s);
}

void
session_table_free(struct session_table *t)
{
    if (t == NULL)
        return;
    for (size_t i = 0; i < t->n_buckets; i++) {
        struct session *s = t->buckets[i];
        while (s != NULL) {
            struct session *next = s->hnext;
            session_free_mem(s);
            s = next;
        }
    }
    free(t->buckets);
    free(t);
}

/* Doubles the bucket array; on allocation failure the table keeps its size (still correct,
 * only slower). */
static void
table_grow(struct session_table *t)
{
    size_t nb = t->n_buckets * 2;
    struct session **b = calloc(nb, sizeof *b);
    if (b == NULL)
        return;
    for (size_t i = 0; i < t->n_buckets; i++) {
        struct session *s = t->buckets[i];
        while (s != NULL) {
            struct session *next = s->hnext;
            size_t j = s->hash & (nb - 1);
            s->hnext = b[j];
            b[j] = s;
            s = next;
        }
    }
    free(t->buckets);
    t->buckets = b;
    t->n_buckets = nb;
}

static struct session *
lookup(const struct session_table *t, const struct session_key *key, uint32_t h)
{
    for (struct session *s = t->buckets[h & (t->n_buckets - 1)]; s != NULL; s = s->hnext)
        if (s->hash == h && key_equal(&s->key, key))
            return s;
    return NULL;
}

/* Takes s out of the hash table, the lists and the counts (memory stays). */
static void
unlink_session(struct session_table *t, struct session *s)
{
    struct session **pp = &t->buckets[s->hash & (t->n_buckets - 1)];
    while (*pp != s)
        pp = &(*pp)->hnext;
    *pp = s->hnext;
    s->hnext = NULL;
    idle_remove(&t->idle[s->key.channel], s);
    age_remove(&t->age[s->key.channel], s);
    t->n--;
    t->counts.open[s->key.channel]--;
    t->counts.payload_bytes -= s->payload_cap;
}

/* Ends s with why: out of the table first, then the callback, then freed. */
static void
end_session(struct session_table *t, struct session *s, enum session_end why)
{
    unsigned ch = s->key.channel;
    unlink_session(t, s);
    switch (why) {
    case SESSION_END_IDLE:
        t->counts.expired_idle[ch]++;
        break;
    case SESSION_END_TOTAL:
        t->counts.expired_total[ch]++;
        break;
    case SESSION_END_REPLACED:
        t->counts.replaced[ch]++;
        break;
    }
    if (t->on_end != NULL)
        t->on_end(t->arg, s, why);
    session_free_mem(s);
}

uint64_t
session_due_ms(const struct session_table *t, const struct session *s)
{
    uint64_t due = UINT64_MAX;
    uint64_t idle = t->lim.idle_ms[s->key.channel];
    uint64_t total = t->lim.total_ms[s->key.channel];
    if (idle != 0 && s->last_ms <= UINT64_MAX - idle)
        due = s->last_ms + idle;
    if (total != 0 && s->created_ms <= UINT64_MAX - total && s->created_ms + total < due)
        due = s->created_ms + total;
    return due;
}

/* The reason s is due at now_ms, or -1. The total cap wins when both are reached. */
static int
due_reason(const struct session_table *t, const struct session *s, uint64_t now_ms)
{
    uint64_t idle = t->lim.idle_ms[s->key.channel];
    uint64_t total = t->lim.total_ms[s->key.channel];
    if (total != 0 && now_ms >= s->created_ms && now_ms - s->created_ms >= total)
        return SESSION_END_TOTAL;
    if (idle != 0 && now_ms >= s->last_ms && now_ms - s->last_ms >= idle)
        return SESSION_END_IDLE;
    return -1;
}

size_t
session_table_expire(struct session_table *t, uint64_t now_ms)
{
    size_t n = 0;
    if (t == NULL)
        return 0;
    for (unsigned ch = 0; ch < SESSION_CH_COUNT; ch++) {
        for (;;) {
            struct session *s = t->age[ch].head;
            if (s == NULL || t->lim.total_ms[ch] == 0 ||
                due_reason(t, s, now_ms) != SESSION_END_TOTAL)
                break;
            end_session(t, s, SESSION_END_TOTAL);
            n++;
        }
        for (;;) {
            struct session *s = t->idle[ch].head;
            if (s == NULL)
                break;
            int why = due_reason(t, s, now_ms);
            if (why < 0)
                break;
            end_session(t, s, (enum session_end)why);
            n++;
        }
    }
    return n;
}

uint64_t
session_table_next_due(const struct session_table *t)
{
    uint64_t due = UINT64_MAX;
    if (t == NULL)
        return due;
    for (unsigned ch = 0; ch < SESSION_CH_COUNT; ch++) {
        /* The oldest by activity and the oldest by creation bound every other session. */
        if (t->idle[ch].head != NULL) {
            uint64_t d = session_due_ms(t, t->idle[ch].head);
            if (d < due)
                due = d;
        }
        if (t->age[ch].head != NULL) {
            uint64_t d = session_due_ms(t, t->age[ch].head);
            if (d < due)
                due = d;
        }
    }
    return due;
}

int
session_open(struct session_table *t, const struct session_key *key, uint64_t now_ms,
             struct session **out)
{
    if (out != NULL)
        *out = NULL;
    if (t == NULL || out == NULL || !key_valid(key))
        return GY_EINVAL;
    uint32_t h = key_hash(key);
    struct session *old = lookup(t, key, h);
    if (old != NULL)
        end_session(t, old, SESSION_END_REPLACED);
    if (t->n >= t->lim.max_sessions) {
        session_table_expire(t, now_ms);
        if (t->n >= t->lim.max_sessions) {
            t->counts.refused[key->channel]++;
            return GY_EBUSY;
        }
    }
    struct session *s = calloc(1, sizeof *s);
    if (s == NULL)
        return GY_ENOMEM;
    s->key = *key;
    memset(s->key.msisdn, 0, sizeof s->key.msisdn);
    memcpy(s->key.msisdn, key->msisdn, strlen(key->msisdn));
    s->hash = h;
    s->created_ms = s->last_ms = now_ms;
    size_t b = h & (t->n_buckets - 1);
    s->hnext = t->buckets[b];
    t->buckets[b] = s;
    idle_append(&t->idle[key->channel], s);
    age_append(&t->age[key->channel], s);
    t->n++;
    t->counts.open[key->channel]++;
    t->counts.created[key->channel]++;
    if (t->n > t->n_buckets)
        table_grow(t);
    *out = s;
    return 0;
}

struct session *
session_find(struct session_table *t, const struct session_key *key, uint64_t now_ms)
{
    if (t == NULL || !key_valid(key))
        return NULL;
    struct session *s = lookup(t, key, key_hash(key));
    if (s == NULL)
        return NULL;
    int why = due_reason(t, s, now_ms);
    if (why >= 0) {
        end_session(t, s, (enum session_end)why);
        return NULL;
    }
    return s;
}

void
session_touch(struct session_table *t, struct session *s, uint64_t now_ms)
{
    if (t == NULL || s == NULL)
        return;
    if (now_ms > s->last_ms)
        s->last_ms = now_ms;
    struct session_list *l = &t->idle[s->key.channel];
    if (l->tail != s) {
        idle_remove(l, s);
        idle_append(l, s);
    }
}

void
session_close(struct session_table *t, struct session *s)
{
    if (t == NULL || s == NULL)
        return;
    t->counts.closed[s->key.channel]++;
    unlink_session(t, s);
    session_free_mem(s);
}

void *
session_payload_resize(struct session_table *t, struct session *s, size_t len)
{
    if (t == NULL || s == NULL || len > PAYLOAD_MAX)
        return NULL;
    if (len == 0) {
        t->counts.payload_bytes -= s->payload_cap;
        free(s->payload);
        s->payload = NULL;
        s->payload_len = s->payload_cap = 0;
        return NULL;
    }
    if (len != s->payload_cap) {
        /* Exact size: payloads rarely change size, and memory is what we count. */
        void *p = realloc(s->payload, len);
        if (p == NULL)
            return NULL;
        t->counts.payload_bytes = t->counts.payload_bytes - s->payload_cap + len;
        s->payload = p;
        s->payload_cap = (uint32_t)len;
    }
    if (len > s->payload_len)
        memset((char *)s->payload + s->payload_len, 0, len - s->payload_len);
    s->payload_len = (uint32_t)len;
    return s->payload;
}

int
session_payload_set(struct session_table *t, struct session *s, const void *data, size_t len)
{
    if (t == NULL || s == NULL || (data == NULL && len != 0))
        return GY_EINVAL;
    if (len > PAYLOAD_MAX)
        return GY_ETOOBIG;
    if (len == 0) {
        session_payload_resize(t, s, 0);
        return 0;
    }
    void *p = session_payload_resize(t, s, len);
    if (p == NULL)
        return GY_ENOMEM;
    memcpy(p, data, len);
    return 0;
}

void *
session_payload(const struct session *s, size_t *len)
{
    if (len != NULL)
        *len = s != NULL ? s->payload_len : 0;
    return s != NULL ? s->payload : NULL;
}

void
session_table_counts(const struct session_table *t, struct session_counts *out)
{
    if (out == NULL)
        return;
    if (t == NULL) {
        memset(out, 0, sizeof *out);
        return;
    }
    *out = t->counts;
    out->buckets = t->n_buckets;
}

size_t
session_table_size(const struct session_table *t)
{
    return t != NULL ? t->n : 0;
}
