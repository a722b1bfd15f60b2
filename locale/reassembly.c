/* SPDX-License-Identifier: GPL-3.0-or-later */
/* reassembly: pending concatenated messages in a chained hash table keyed by (bind, source,
 * reference kind, reference, count) and in an age list (oldest first) for timeouts and
 * memory-cap eviction. Parts are stored normalised (packed GSM unpacked) so that a
 * character split across parts rejoins when the stream is decoded once. */
#include "locale/reassembly.h"

#include <stdlib.h>
#include <string.h>

#include "base/gy_err.h"
#include "locale/gsm7.h"

#define IEI_CONCAT8  0x00
#define IEI_CONCAT16 0x08
#define MAX_SOURCE   64

struct slot {
    uint8_t *data; /* NULL when len is 0 */
    size_t len;
    int present;
};

struct entry {
    struct entry *hnext; /* hash chain */
    struct entry *older, *newer;
    uint64_t created;
    uint64_t hash;
    size_t mem;
    uint32_t bind_id;
    uint16_t ref;
    uint8_t kind;
    uint8_t total;
    uint8_t received;
    uint8_t data_coding;
    uint8_t input;
    struct slot *slots; /* total of them, index seq - 1 */
    char source[];
};

struct reasm {
    struct reasm_cfg cfg;
    struct entry **buckets;
    size_t n_buckets; /* a power of two */
    size_t n_entries;
    size_t mem_used;
    struct entry *oldest, *newest;
};

/* What the UDH / SAR parsing found out about one part. */
struct part_info {
    enum reasm_ref_kind kind;
    uint16_t ref;
    unsigned total, seq;
    int invalid;         /* a concat IE or the UDH itself was invalid */
    const uint8_t *text; /* after the UDH */
    size_t text_len;
    size_t udh_len; /* octets of the UDH including its length octet */
};

static uint64_t
fnv1a(uint64_t h, const void *p, size_t n)
{
    const uint8_t *b = p;
    for (size_t i = 0; i < n; i++) {
        h ^= b[i];
        h *= 0x100000001b3ULL;
    }
    return h;
}

static uint64_t
key_hash(uint32_t bind_id, const char *src, size_t src_len, unsigned kind, uint16_t ref,
         unsigned total)
{
    uint8_t k[8] = {(uint8_t)(bind_id >> 24),
                    (uint8_t)(bind_id >> 16),
                    (uint8_t)(bind_id >> 8),
                    (uint8_t)bind_id,
                    (uint8_t)kind,
                    (uint8_t)(ref >> 8),
                    (uint8_t)ref,
                    (uint8_t)total};
    uint64_t h = fnv1a(0xcbf29ce484222325ULL, k, sizeof k);
    return fnv1a(h, src, src_len);
}

/* Parses the UDH (when udhi) and the SAR TLVs into *pi. */
static void
part_parse(const struct reasm_part *p, struct part_info *pi)
{
    memset(pi, 0, sizeof *pi);
    pi->text = p->data;
    pi->text_len = p->len;
    int have_concat = 0;
    if (p->udhi) {
        if (p->len < 1 || (size_t)p->data[0] + 1 > p->len) {
            /* A UDH longer than the message: no text can be trusted. */
            pi->invalid = 1;
            pi->udh_len = p->len;
            pi->text = NULL;
            pi->text_len = 0;
            pi->total = 1;
            pi->seq = 1;
            return;
        }
        size_t udhl = p->data[0];
        pi->udh_len = udhl + 1;
        pi->text = p->data + pi->udh_len;
        pi->text_len = p->len - pi->udh_len;
        const uint8_t *ie = p->data + 1;
        size_t i = 0;
        while (i + 2 <= udhl) {
            uint8_t iei = ie[i], iel = ie[i + 1];
            if (i + 2 + iel > udhl) {
                pi->invalid = 1; /* an IE runs past the UDH: ignore the rest */
                break;
            }
            const uint8_t *v = ie + i + 2;
            /* 3GPP TS 23.040: a repeated IE, the last occurrence counts. */
            if (iei == IEI_CONCAT8 || iei == IEI_CONCAT16) {
                size_t want = iei == IEI_CONCAT8 ? 3 : 4;
                if (iel != want) {
                    pi->invalid = 1;
                    have_concat = 0;
                } else if (iei == IEI_CONCAT8) {
                    pi->kind = REASM_REF_UDH8;
                    pi->ref = v[0];
                    pi->total = v[1];
                    pi->seq = v[2];
                    have_concat = 1;
                } else {
                    pi->kind = REASM_REF_UDH16;
                    pi->ref = (uint16_t)(v[0] << 8 | v[1]);
                    pi->total = v[2];
                    pi->seq = v[3];
                    have_concat = 1;
                }
            }
            i += 2 + (size_t)iel;
        }
        if (i < udhl && i + 2 > udhl)
            pi->invalid = 1; /* one dangling octet */
    }
    if (!have_concat && p->sar_present) {
        /* UDH concatenation wins when both are present (SMPP forbids the mix). */
        pi->kind = REASM_REF_SAR;
        pi->ref = p->sar_ref;
        pi->total = p->sar_total;
        pi->seq = p->sar_seq;
        have_concat = 1;
    }
    if (have_concat && (pi->total == 0 || pi->seq == 0 || pi->seq > pi->total)) {
        pi->invalid = 1;
        have_concat = 0;
    }
    if (!have_concat) {
        pi->kind = REASM_REF_NONE;
        pi->ref = 0;
        pi->total = 1;
        pi->seq = 1;
    }
}

/* Normalises the text of a part into a new buffer (*out NULL when *out_len is 0). */
static int
part_units(const struct reasm_part *p, const struct part_info *pi, uint8_t **out, size_t *out_len)
{
    *out = NULL;
    *out_len = 0;
    if (pi->text_len == 0)
        return 0;
    if (p->input != REASM_IN_GSM7_PACKED) {
        uint8_t *b = malloc(pi->text_len);
        if (!b)
            return GY_ENOMEM;
        memcpy(b, pi->text, pi->text_len);
        *out = b;
        *out_len = pi->text_len;
        return 0;
    }
    /* The text starts at the first septet boundary after the UDH. */
    unsigned fill = (unsigned)((7 - (pi->udh_len * 8) % 7) % 7);
    size_t n = gsm7_septets_in(pi->text_len, fill);
    if (n == 0)
        return 0;
    uint8_t *b = malloc(n);
    if (!b)
        return GY_ENOMEM;
    if (gsm7_unpack(pi->text, pi->text_len, fill, b, n) != 0) {
        free(b);
        return GY_EINVAL;
    }
    /* TS 23.038 6.1.2.3.1: seven spare bits at the end are filled with CR. Only the last
     * part can have spare bits (senders fill the others), so a CR that ends a middle part
     * is text. */
    int last = pi->kind == REASM_REF_NONE || pi->seq == pi->total;
    if (last && fill + n * 7 == pi->text_len * 8 && b[n - 1] == 0x0D)
        n--;
    if (n == 0) {
        free(b);
        return 0;
    }
    *out = b;
    *out_len = n;
    return 0;
}

static struct reasm_msg *
msg_alloc(uint32_t bind_id, const char *src, uint8_t dcs, int septets, size_t len, size_t n_spans)
{
    struct reasm_msg *m = calloc(1, sizeof *m);
    if (!m)
        return NULL;
    m->bind_id = bind_id;
    m->data_coding = dcs;
    m->septets = septets;
    m->source = strdup(src);
    m->units = malloc(len ? len : 1);
    m->spans = calloc(n_spans ? n_spans : 1, sizeof *m->spans);
    if (!m->source || !m->units || !m->spans) {
        reasm_msg_free(m);
        return NULL;
    }
    m->len = len;
    return m;
}

void
reasm_msg_free(struct reasm_msg *m)
{
    if (!m)
        return;
    free(m->source);
    free(m->units);
    free(m->spans);
    free(m);
}

/* The message of one part alone (single, invalid IE or conflict). */
static struct reasm_msg *
msg_single(const struct reasm_part *p, const struct part_info *pi, const char *src,
           const uint8_t *units, size_t len)
{
    struct reasm_msg *m =
        msg_alloc(p->bind_id, src, p->data_coding, p->input == REASM_IN_GSM7_PACKED, len, 1);
    if (!m)
        return NULL;
    if (len)
        memcpy(m->units, units, len);
    m->ref_kind = pi->kind;
    m->ref = pi->ref;
    m->total = pi->total;
    m->received = 1;
    m->complete = pi->total == 1;
    m->spans[0] = (struct reasm_span){0, len, pi->seq, pi->seq};
    m->n_spans = 1;
    return m;
}

/* Builds the message of entry e (complete or not). */
static struct reasm_msg *
msg_from_entry(const struct entry *e)
{
    size_t len = 0, n_spans = 0;
    for (unsigned i = 0; i < e->total; i++) {
        if (!e->slots[i].present)
            continue;
        len += e->slots[i].len;
        if (i == 0 || !e->slots[i - 1].present)
            n_spans++;
    }
    struct reasm_msg *m = msg_alloc(e->bind_id, e->source, e->data_coding,
                                    e->input == REASM_IN_GSM7_PACKED, len, n_spans);
    if (!m)
        return NULL;
    m->ref_kind = (enum reasm_ref_kind)e->kind;
    m->ref = e->ref;
    m->total = e->total;
    m->received = e->received;
    m->complete = e->received == e->total;
    size_t off = 0;
    struct reasm_span *sp = NULL;
    for (unsigned i = 0; i < e->total; i++) {
        const struct slot *s = &e->slots[i];
        if (!s->present)
            continue;
        if (i == 0 || !e->slots[i - 1].present) {
            sp = &m->spans[m->n_spans++];
            *sp = (struct reasm_span){off, 0, i + 1, i + 1};
        }
        if (s->len)
            memcpy(m->units + off, s->data, s->len);
        off += s->len;
        sp->len += s->len;
        sp->last_seq = i + 1;
    }
    return m;
}

static void
entry_free(struct entry *e)
{
    if (!e)
        return;
    for (unsigned i = 0; i < e->total; i++)
        free(e->slots[i].data);
    free(e->slots);
    free(e);
}

/* Unlinks e from the table and the age list and frees it. */
static void
entry_remove(struct reasm *r, struct entry *e)
{
    struct entry **pp = &r->buckets[e->hash & (r->n_buckets - 1)];
    while (*pp && *pp != e)
        pp = &(*pp)->hnext;
    if (*pp)
        *pp = e->hnext;
    if (e->older)
        e->older->newer = e->newer;
    else
        r->oldest = e->newer;
    if (e->newer)
        e->newer->older = e->older;
    else
        r->newest = e->older;
    r->n_entries--;
    r->mem_used -= e->mem;
    entry_free(e);
}

/* Hands e to on_drop (when it can be built) and removes it. */
static void
entry_drop(struct reasm *r, struct entry *e, enum reasm_reason why)
{
    struct reasm_msg *m = r->cfg.on_drop ? msg_from_entry(e) : NULL;
    entry_remove(r, e);
    if (m)
        r->cfg.on_drop(r->cfg.arg, why, m);
}

struct reasm *
reasm_new(const struct reasm_cfg *cfg)
{
    if (!cfg)
        return NULL;
    struct reasm *r = calloc(1, sizeof *r);
    if (!r)
        return NULL;
    r->cfg = *cfg;
    if (r->cfg.mem_cap == 0)
        r->cfg.mem_cap = REASM_DEFAULT_MEM_CAP;
    r->n_buckets = 64;
    r->buckets = calloc(r->n_buckets, sizeof *r->buckets);
    if (!r->buckets) {
        free(r);
        return NULL;
    }
    return r;
}

void
reasm_free(struct reasm *r)
{
    if (!r)
        return;
    while (r->oldest)
        entry_remove(r, r->oldest);
    free(r->buckets);
    free(r);
}

static void
table_grow(struct reasm *r)
{
    size_t n = r->n_buckets * 2;
    struct entry **b = calloc(n, sizeof *b);
    if (!b)
        return; /* chains just get longer */
    for (size_t i = 0; i < r->n_buckets; i++) {
        struct entry *e = r->buckets[i];
        while (e) {
            struct entry *next = e->hnext;
            e->hnext = b[e->hash & (n - 1)];
            b[e->hash & (n - 1)] = e;
            e = next;
        }
    }
    free(r->buckets);
    r->buckets = b;
    r->n_buckets = n;
}

static struct entry *
entry_find(const struct reasm *r, uint64_t h, const struct reasm_part *p,
           const struct part_info *pi, const char *src, size_t src_len)
{
    for (struct entry *e = r->buckets[h & (r->n_buckets - 1)]; e; e = e->hnext) {
        if (e->hash == h && e->bind_id == p->bind_id && e->kind == pi->kind && e->ref == pi->ref &&
            e->total == pi->total && strlen(e->source) == src_len &&
            memcmp(e->source, src, src_len) == 0)
            return e;
    }
    return NULL;
}

/* Evicts the oldest entries other than keep until need more bytes fit under the cap. */
static void
make_room(struct reasm *r, size_t need, const struct entry *keep)
{
    while (r->mem_used + need > r->cfg.mem_cap) {
        struct entry *victim = r->oldest;
        if (victim && victim == keep)
            victim = victim->newer;
        if (!victim)
            return;
        entry_drop(r, victim, REASM_EVICTED);
    }
}

size_t
reasm_expire(struct reasm *r, uint64_t now)
{
    size_t n = 0;
    if (!r || r->cfg.timeout == 0)
        return 0;
    while (r->oldest && now >= r->oldest->created && now - r->oldest->created >= r->cfg.timeout) {
        entry_drop(r, r->oldest, REASM_TIMEOUT);
        n++;
    }
    return n;
}

size_t
reasm_flush(struct reasm *r)
{
    size_t n = 0;
    while (r && r->oldest) {
        entry_drop(r, r->oldest, REASM_FLUSHED);
        n++;
    }
    return n;
}

int
reasm_next_deadline(const struct reasm *r, uint64_t *when)
{
    if (!r || !when || !r->oldest || r->cfg.timeout == 0)
        return GY_ENOTFOUND;
    *when = r->oldest->created + r->cfg.timeout;
    return 0;
}

size_t
reasm_pending(const struct reasm *r)
{
    return r ? r->n_entries : 0;
}

size_t
reasm_mem_used(const struct reasm *r)
{
    return r ? r->mem_used : 0;
}

int
reasm_push(struct reasm *r, const struct reasm_part *p, uint64_t now, enum reasm_outcome *outcome,
           struct reasm_msg **out)
{
    if (out)
        *out = NULL;
    if (!r || !p || !outcome || !out || (p->len && !p->data) ||
        (p->input != REASM_IN_OCTETS && p->input != REASM_IN_GSM7_PACKED))
        return GY_EINVAL;
    const char *src = p->source ? p->source : "";
    size_t src_len = strnlen(src, MAX_SOURCE + 1);
    if (src_len > MAX_SOURCE)
        return GY_EINVAL;
    reasm_expire(r, now);

    struct part_info pi;
    part_parse(p, &pi);
    uint8_t *units;
    size_t n_units;
    int rc = part_units(p, &pi, &units, &n_units);
    if (rc != 0)
        return rc;

    if (pi.kind == REASM_REF_NONE || pi.total == 1) {
        *out = msg_single(p, &pi, src, units, n_units);
        free(units);
        if (!*out)
            return GY_ENOMEM;
        *outcome = pi.invalid ? REASM_INVALID_IE : REASM_SINGLE;
        return 0;
    }

    uint64_t h = key_hash(p->bind_id, src, src_len, pi.kind, pi.ref, pi.total);
    struct entry *e = entry_find(r, h, p, &pi, src, src_len);
    if (e && (e->data_coding != p->data_coding || e->input != (uint8_t)p->input)) {
        *out = msg_single(p, &pi, src, units, n_units);
        free(units);
        if (!*out)
            return GY_ENOMEM;
        (*out)->complete = 0;
        *outcome = REASM_CONFLICT;
        return 0;
    }
    if (e && e->slots[pi.seq - 1].present) {
        free(units);
        *outcome = REASM_DUPLICATE;
        return 0;
    }
    size_t entry_mem = sizeof(struct entry) + src_len + 1 + pi.total * sizeof(struct slot);
    make_room(r, n_units + (e ? 0 : entry_mem), e);
    if (!e) {
        e = calloc(1, sizeof *e + src_len + 1);
        struct slot *slots = e ? calloc(pi.total, sizeof *slots) : NULL;
        if (!slots) {
            free(e);
            free(units);
            return GY_ENOMEM;
        }
        e->slots = slots;
        memcpy(e->source, src, src_len);
        e->hash = h;
        e->created = now;
        e->bind_id = p->bind_id;
        e->kind = (uint8_t)pi.kind;
        e->ref = pi.ref;
        e->total = (uint8_t)pi.total;
        e->data_coding = p->data_coding;
        e->input = (uint8_t)p->input;
        e->mem = entry_mem;
        size_t b = h & (r->n_buckets - 1);
        e->hnext = r->buckets[b];
        r->buckets[b] = e;
        e->older = r->newest;
        if (r->newest)
            r->newest->newer = e;
        else
            r->oldest = e;
        r->newest = e;
        r->n_entries++;
        r->mem_used += entry_mem;
        if (r->n_entries > r->n_buckets)
            table_grow(r);
    }
    struct slot *s = &e->slots[pi.seq - 1];
    s->data = units;
    s->len = n_units;
    s->present = 1;
    e->received++;
    e->mem += n_units;
    r->mem_used += n_units;
    if (e->received < e->total) {
        *outcome = REASM_STORED;
        return 0;
    }
    *out = msg_from_entry(e);
    entry_remove(r, e);
    if (!*out)
        return GY_ENOMEM;
    *outcome = REASM_COMPLETE;
    return 0;
}

static int
decode_run(struct text_codec *c, const struct reasm_msg *m, const uint8_t *u, size_t n,
           const struct text_decode_opts *opts, struct text_buf *out, size_t *n_invalid)
{
    size_t bad = 0;
    int rc;
    if (m->septets) {
        rc = gsm7_decode_septets(u, n, out, &bad);
    } else {
        rc = text_decode(c, m->data_coding, u, n, opts, out, &bad);
    }
    if (n_invalid)
        *n_invalid += bad;
    return rc;
}

int
reasm_msg_decode(struct text_codec *c, const struct reasm_msg *m,
                 const struct text_decode_opts *opts, struct text_buf *out, size_t *n_invalid)
{
    if (!m || !out)
        return GY_EINVAL;
    if (n_invalid)
        *n_invalid = 0;
    static const char gap[] = REASM_GAP_MARKER;
    unsigned next_seq = 1;
    for (size_t i = 0; i < m->n_spans; i++) {
        const struct reasm_span *sp = &m->spans[i];
        int rc;
        if (sp->first_seq > next_seq && (rc = text_buf_put(out, gap, sizeof gap - 1)) != 0)
            return rc;
        if (sp->off > m->len || sp->len > m->len - sp->off)
            return GY_EINVAL;
        rc = decode_run(c, m, m->units + sp->off, sp->len, opts, out, n_invalid);
        if (rc != 0)
            return rc;
        next_seq = sp->last_seq + 1;
    }
    if (next_seq <= m->total) {
        int rc = text_buf_put(out, gap, sizeof gap - 1);
        if (rc != 0)
            return rc;
    }
    return 0;
}

const char *
reasm_outcome_name(enum reasm_outcome o)
{
    switch (o) {
    case REASM_SINGLE:
        return "single";
    case REASM_INVALID_IE:
        return "invalid-ie";
    case REASM_STORED:
        return "stored";
    case REASM_COMPLETE:
        return "complete";
    case REASM_DUPLICATE:
        return "duplicate";
    case REASM_CONFLICT:
        return "conflict";
    }
    return "?";
}

const char *
reasm_reason_name(enum reasm_reason why)
{
    switch (why) {
    case REASM_TIMEOUT:
        return "timeout";
    case REASM_EVICTED:
        return "evicted";
    case REASM_FLUSHED:
        return "flushed";
    }
    return "?";
}
