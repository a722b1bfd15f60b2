/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Tests of locale/reassembly: UDH 8/16-bit references and SAR, order, duplicates, extra
 * and invalid IEs, senders kept apart, characters split across parts, timeout and the
 * memory cap (incomplete messages are delivered with a gap marker). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "base/gy_err.h"
#include "locale/gsm7.h"
#include "locale/reassembly.h"
#include "locale/text_decode.h"

#define MAX_DROPS 16

struct drops {
    size_t n;
    enum reasm_reason why[MAX_DROPS];
    struct reasm_msg *msg[MAX_DROPS];
};

static void
on_drop(void *arg, enum reasm_reason why, struct reasm_msg *msg)
{
    struct drops *d = arg;
    assert_true(d->n < MAX_DROPS);
    d->why[d->n] = why;
    d->msg[d->n++] = msg;
}

static void
drops_clear(struct drops *d)
{
    for (size_t i = 0; i < d->n; i++)
        reasm_msg_free(d->msg[i]);
    d->n = 0;
}

struct fx {
    struct reasm *r;
    struct drops drops;
    struct text_codec *codec;
};

static int
setup(void **state)
{
    struct fx *f = calloc(1, sizeof *f);
    assert_non_null(f);
    struct reasm_cfg cfg = {.timeout = 100, .mem_cap = 0, .on_drop = on_drop, .arg = &f->drops};
    f->r = reasm_new(&cfg);
    f->codec = text_codec_new();
    assert_non_null(f->r);
    assert_non_null(f->codec);
    *state = f;
    return 0;
}

static int
teardown(void **state)
{
    struct fx *f = *state;
    drops_clear(&f->drops);
    reasm_free(f->r);
    text_codec_free(f->codec);
    free(f);
    return 0;
}

/* Builds a part: udh (may be NULL) followed by text. buf must hold both. */
static struct reasm_part
mk(uint8_t *buf, const char *src, uint8_t dcs, const uint8_t *udh, size_t udh_len, const void *text,
   size_t text_len)
{
    if (udh_len)
        memcpy(buf, udh, udh_len);
    if (text_len)
        memcpy(buf + udh_len, text, text_len);
    return (struct reasm_part){.bind_id = 1,
                               .source = src,
                               .data_coding = dcs,
                               .input = REASM_IN_OCTETS,
                               .udhi = udh_len > 0,
                               .data = buf,
                               .len = udh_len + text_len};
}

/* Pushes a text part with an 8-bit reference UDH. */
static int
push8(struct fx *f, const char *src, uint8_t ref, uint8_t total, uint8_t seq, const char *text,
      uint64_t now, enum reasm_outcome *oc, struct reasm_msg **out)
{
    uint8_t buf[300];
    uint8_t udh[6] = {5, 0x00, 3, ref, total, seq};
    struct reasm_part p = mk(buf, src, 0, udh, sizeof udh, text, strlen(text));
    return reasm_push(f->r, &p, now, oc, out);
}

static char *
decode(struct fx *f, const struct reasm_msg *m, size_t *n_invalid)
{
    struct text_buf b;
    text_buf_init(&b);
    assert_int_equal(reasm_msg_decode(f->codec, m, NULL, &b, n_invalid), 0);
    if (!b.data)
        return strdup("");
    return b.data;
}

static void
assert_text(struct fx *f, const struct reasm_msg *m, const char *want)
{
    size_t bad = 99;
    char *s = decode(f, m, &bad);
    assert_string_equal(s, want);
    assert_int_equal(bad, 0);
    free(s);
}

static void
test_out_of_order(void **state)
{
    struct fx *f = *state;
    static const unsigned orders[][3] = {{1, 2, 3}, {3, 1, 2}, {2, 3, 1}, {3, 2, 1}};
    static const char *const texts[] = {"Hello ", "migrant ", "worker"};
    for (size_t o = 0; o < sizeof orders / sizeof orders[0]; o++) {
        enum reasm_outcome oc;
        struct reasm_msg *m = NULL;
        for (size_t i = 0; i < 3; i++) {
            unsigned seq = orders[o][i];
            assert_int_equal(
                push8(f, "8613800138000", 7, 3, (uint8_t)seq, texts[seq - 1], 0, &oc, &m), 0);
            if (i < 2) {
                assert_int_equal(oc, REASM_STORED);
                assert_null(m);
            }
        }
        assert_int_equal(oc, REASM_COMPLETE);
        assert_non_null(m);
        assert_true(m->complete);
        assert_int_equal(m->total, 3);
        assert_int_equal(m->received, 3);
        assert_int_equal(m->ref_kind, REASM_REF_UDH8);
        assert_int_equal(m->ref, 7);
        assert_int_equal(m->n_spans, 1);
        assert_string_equal(m->source, "8613800138000");
        assert_text(f, m, "Hello migrant worker");
        reasm_msg_free(m);
        assert_int_equal(reasm_pending(f->r), 0);
        assert_int_equal(reasm_mem_used(f->r), 0);
    }
}

static void
test_duplicate(void **state)
{
    struct fx *f = *state;
    enum reasm_outcome oc;
    struct reasm_msg *m = NULL;
    assert_int_equal(push8(f, "861", 0, 2, 1, "first ", 0, &oc, &m), 0);
    assert_int_equal(oc, REASM_STORED);
    assert_int_equal(push8(f, "861", 0, 2, 1, "FIRST AGAIN ", 1, &oc, &m), 0);
    assert_int_equal(oc, REASM_DUPLICATE);
    assert_null(m);
    assert_int_equal(push8(f, "861", 0, 2, 2, "second", 2, &oc, &m), 0);
    assert_int_equal(oc, REASM_COMPLETE);
    assert_text(f, m, "first second"); /* reference 0 is legal; the first copy is kept */
    reasm_msg_free(m);
    /* A late duplicate after completion starts a new message: it waits and times out. */
    assert_int_equal(push8(f, "861", 0, 2, 2, "second", 3, &oc, &m), 0);
    assert_int_equal(oc, REASM_STORED);
    assert_int_equal(reasm_expire(f->r, 103), 1);
    assert_int_equal(f->drops.n, 1);
}

static void
test_missing_part_timeout(void **state)
{
    struct fx *f = *state;
    static const struct {
        unsigned total;
        unsigned present[3];
        size_t n_present;
        const char *want;
    } cases[] = {
        {3, {1, 3}, 2, "AAA[…]CCC"},
        {3, {1, 2}, 2, "AAABBB[…]"},
        {3, {2}, 1, "[…]BBB[…]"},
        {3, {3}, 1, "[…]CCC"},
    };
    static const char *const texts[] = {"AAA", "BBB", "CCC"};
    for (size_t c = 0; c < sizeof cases / sizeof cases[0]; c++) {
        enum reasm_outcome oc;
        struct reasm_msg *m = NULL;
        uint64_t t0 = 1000 * (c + 1);
        for (size_t i = 0; i < cases[c].n_present; i++) {
            unsigned seq = cases[c].present[i];
            assert_int_equal(push8(f, "862", 9, (uint8_t)cases[c].total, (uint8_t)seq,
                                   texts[seq - 1], t0 + i, &oc, &m),
                             0);
            assert_int_equal(oc, REASM_STORED);
        }
        uint64_t when = 0;
        assert_int_equal(reasm_next_deadline(f->r, &when), 0);
        assert_int_equal(when, t0 + 100);
        assert_int_equal(reasm_expire(f->r, t0 + 99), 0);
        assert_int_equal(f->drops.n, 0);
        assert_int_equal(reasm_expire(f->r, t0 + 100), 1);
        assert_int_equal(f->drops.n, 1);
        assert_int_equal(f->drops.why[0], REASM_TIMEOUT);
        struct reasm_msg *d = f->drops.msg[0];
        assert_false(d->complete);
        assert_int_equal(d->total, cases[c].total);
        assert_int_equal(d->received, cases[c].n_present);
        assert_text(f, d, cases[c].want);
        drops_clear(&f->drops);
        assert_int_equal(reasm_pending(f->r), 0);
        assert_int_equal(reasm_next_deadline(f->r, &when), GY_ENOTFOUND);
    }
}

static void
test_push_expires_first(void **state)
{
    struct fx *f = *state;
    enum reasm_outcome oc;
    struct reasm_msg *m = NULL;
    assert_int_equal(push8(f, "863", 1, 2, 1, "old", 0, &oc, &m), 0);
    /* The second part comes too late: the first left at the timeout, this one waits. */
    assert_int_equal(push8(f, "863", 1, 2, 2, "new", 150, &oc, &m), 0);
    assert_int_equal(oc, REASM_STORED);
    assert_int_equal(f->drops.n, 1);
    assert_text(f, f->drops.msg[0], "old[…]");
    assert_int_equal(reasm_flush(f->r), 1);
    assert_int_equal(f->drops.why[1], REASM_FLUSHED);
    assert_text(f, f->drops.msg[1], "[…]new");
}

static void
test_refs_8_16_sar(void **state)
{
    struct fx *f = *state;
    uint8_t b1[64], b2[64];
    /* 16-bit reference 0x1234, parts 2 then 1. */
    uint8_t u16a[] = {6, 0x08, 4, 0x12, 0x34, 2, 1}, u16b[] = {6, 0x08, 4, 0x12, 0x34, 2, 2};
    /* The same reference value as an 8-bit UDH must not mix with it. */
    uint8_t u8[] = {5, 0x00, 3, 0x34, 2, 1};
    enum reasm_outcome oc;
    struct reasm_msg *m = NULL;
    struct reasm_part p = mk(b2, "864", 0, u16b, sizeof u16b, "world", 5);
    assert_int_equal(reasm_push(f->r, &p, 0, &oc, &m), 0);
    assert_int_equal(oc, REASM_STORED);
    p = mk(b1, "864", 0, u8, sizeof u8, "other ", 6);
    assert_int_equal(reasm_push(f->r, &p, 0, &oc, &m), 0);
    assert_int_equal(oc, REASM_STORED);
    p = mk(b1, "864", 0, u16a, sizeof u16a, "hello ", 6);
    assert_int_equal(reasm_push(f->r, &p, 0, &oc, &m), 0);
    assert_int_equal(oc, REASM_COMPLETE);
    assert_int_equal(m->ref_kind, REASM_REF_UDH16);
    assert_int_equal(m->ref, 0x1234);
    assert_text(f, m, "hello world");
    reasm_msg_free(m);
    assert_int_equal(reasm_pending(f->r), 1);

    /* SAR TLVs, no UDH. */
    static const char *const sar_text[] = {"sar-one ", "sar-two ", "sar-three"};
    static const uint8_t order[] = {2, 3, 1};
    for (size_t i = 0; i < 3; i++) {
        uint8_t seq = order[i];
        p = mk(b1, "864", 0, NULL, 0, sar_text[seq - 1], strlen(sar_text[seq - 1]));
        p.sar_present = 1;
        p.sar_ref = 0xBEEF;
        p.sar_total = 3;
        p.sar_seq = seq;
        assert_int_equal(reasm_push(f->r, &p, 1, &oc, &m), 0);
    }
    assert_int_equal(oc, REASM_COMPLETE);
    assert_int_equal(m->ref_kind, REASM_REF_SAR);
    assert_int_equal(m->ref, 0xBEEF);
    assert_text(f, m, "sar-one sar-two sar-three");
    reasm_msg_free(m);
}

static void
test_extra_ies(void **state)
{
    struct fx *f = *state;
    uint8_t buf[64];
    /* Single shift (0x24), then application port (0x05), then concat; part 2 puts the
     * concat IE first and a special SMS indication (0x01) after it. */
    uint8_t u1[] = {14, 0x24, 1, 0x0D, 0x05, 4, 0x0B, 0x84, 0x23, 0xF0, 0x00, 3, 0x55, 2, 1};
    uint8_t u2[] = {9, 0x00, 3, 0x55, 2, 2, 0x01, 2, 0x00, 0x00};
    enum reasm_outcome oc;
    struct reasm_msg *m = NULL;
    struct reasm_part p = mk(buf, "865", 0, u2, sizeof u2, "IEs", 3);
    assert_int_equal(reasm_push(f->r, &p, 0, &oc, &m), 0);
    assert_int_equal(oc, REASM_STORED);
    p = mk(buf, "865", 0, u1, sizeof u1, "extra ", 6);
    assert_int_equal(reasm_push(f->r, &p, 0, &oc, &m), 0);
    assert_int_equal(oc, REASM_COMPLETE);
    assert_text(f, m, "extra IEs");
    reasm_msg_free(m);
}

static void
test_invalid_ies_single(void **state)
{
    struct fx *f = *state;
    static const struct {
        uint8_t udh[8];
        size_t udh_len;
        enum reasm_outcome oc;
        const char *want;
    } cases[] = {
        {{5, 0x00, 3, 1, 0, 1}, 6, REASM_INVALID_IE, "text"},    /* count 0 */
        {{5, 0x00, 3, 1, 2, 0}, 6, REASM_INVALID_IE, "text"},    /* sequence 0 */
        {{5, 0x00, 3, 1, 2, 3}, 6, REASM_INVALID_IE, "text"},    /* sequence > count */
        {{6, 0x08, 4, 0, 1, 0, 1}, 7, REASM_INVALID_IE, "text"}, /* 16-bit count 0 */
        {{4, 0x00, 2, 1, 2}, 5, REASM_INVALID_IE, "text"},       /* IE length 2, not 3 */
        {{5, 0x00, 9, 1, 2, 1}, 6, REASM_INVALID_IE, "text"},    /* IE past the UDH */
        {{5, 0x00, 3, 1, 1, 1}, 6, REASM_SINGLE, "text"},        /* 1 of 1 */
        {{2, 0x70, 0}, 3, REASM_SINGLE, "text"},                 /* no concat IE */
        {{0}, 1, REASM_SINGLE, "text"},                          /* empty UDH */
    };
    uint8_t buf[64];
    for (size_t c = 0; c < sizeof cases / sizeof cases[0]; c++) {
        enum reasm_outcome oc;
        struct reasm_msg *m = NULL;
        struct reasm_part p = mk(buf, "866", 0, cases[c].udh, cases[c].udh_len, "text", 4);
        assert_int_equal(reasm_push(f->r, &p, 0, &oc, &m), 0);
        assert_int_equal(oc, cases[c].oc);
        assert_non_null(m);
        assert_true(m->complete);
        assert_int_equal(m->total, 1);
        assert_text(f, m, cases[c].want);
        reasm_msg_free(m);
    }
    /* A UDH longer than the message: no text, still no crash; SAR with seq > count too. */
    uint8_t bad[] = {40, 0x00, 3};
    enum reasm_outcome oc;
    struct reasm_msg *m = NULL;
    struct reasm_part p = mk(buf, "866", 0, bad, sizeof bad, NULL, 0);
    assert_int_equal(reasm_push(f->r, &p, 0, &oc, &m), 0);
    assert_int_equal(oc, REASM_INVALID_IE);
    assert_int_equal(m->len, 0);
    assert_int_equal(m->total, 1);
    assert_true(m->complete);
    reasm_msg_free(m);
    p = mk(buf, "866", 0, NULL, 0, "sar", 3);
    p.sar_present = 1;
    p.sar_total = 2;
    p.sar_seq = 5;
    assert_int_equal(reasm_push(f->r, &p, 0, &oc, &m), 0);
    assert_int_equal(oc, REASM_INVALID_IE);
    assert_text(f, m, "sar");
    reasm_msg_free(m);
    assert_int_equal(reasm_pending(f->r), 0);
}

static void
test_senders_apart(void **state)
{
    struct fx *f = *state;
    enum reasm_outcome oc;
    struct reasm_msg *m = NULL;
    assert_int_equal(push8(f, "8613800138000", 42, 2, 1, "A1 ", 0, &oc, &m), 0);
    assert_int_equal(push8(f, "8613800138001", 42, 2, 1, "B1 ", 0, &oc, &m), 0);
    assert_int_equal(oc, REASM_STORED);
    assert_int_equal(reasm_pending(f->r), 2);
    assert_int_equal(push8(f, "8613800138000", 42, 2, 2, "A2", 1, &oc, &m), 0);
    assert_int_equal(oc, REASM_COMPLETE);
    assert_string_equal(m->source, "8613800138000");
    assert_text(f, m, "A1 A2");
    reasm_msg_free(m);
    /* Another bind with the same sender and reference is another message too. */
    uint8_t buf[64], udh[] = {5, 0x00, 3, 42, 2, 2};
    struct reasm_part p = mk(buf, "8613800138001", 0, udh, sizeof udh, "X2", 2);
    p.bind_id = 2;
    assert_int_equal(reasm_push(f->r, &p, 1, &oc, &m), 0);
    assert_int_equal(oc, REASM_STORED);
    assert_int_equal(push8(f, "8613800138001", 42, 2, 2, "B2", 1, &oc, &m), 0);
    assert_int_equal(oc, REASM_COMPLETE);
    assert_text(f, m, "B1 B2");
    reasm_msg_free(m);
    /* Same reference but another count is another message. */
    assert_int_equal(push8(f, "8613800138000", 42, 3, 1, "C", 1, &oc, &m), 0);
    assert_int_equal(oc, REASM_STORED);
    assert_int_equal(reasm_pending(f->r), 2);
}

static void
test_split_characters(void **state)
{
    struct fx *f = *state;
    static const struct {
        uint8_t dcs;
        uint8_t p1[8];
        size_t n1;
        uint8_t p2[8];
        size_t n2;
        const char *want;
    } cases[] = {
        /* UCS-2: A, then 😀 (D83D DE00) split between its surrogates, then B. */
        {8, {0x00, 0x41, 0xD8, 0x3D}, 4, {0xDE, 0x00, 0x00, 0x42}, 4, "A😀B"},
        /* UCS-2: 𠮶 U+20BB6 (D842 DFB6) split. */
        {8, {0xD8, 0x42}, 2, {0xDF, 0xB6}, 2, "𠮶"},
        /* UCS-2 split inside one code unit (odd part lengths). */
        {8, {0x79, 0xEF, 0x52}, 3, {0x06}, 1, "积分"},
        /* GBK: 积分 bb fd b7 d6, the second double byte split. */
        {15, {0xBB, 0xFD, 0xB7}, 3, {0xD6}, 1, "积分"},
        /* Unpacked GSM: ESC at the end of part 1, '(' code in part 2 gives '{'. */
        {0, {'a', 0x1B}, 2, {0x28, 'b'}, 2, "a{b"},
    };
    uint8_t buf[64];
    for (size_t c = 0; c < sizeof cases / sizeof cases[0]; c++) {
        uint8_t u1[] = {5, 0x00, 3, (uint8_t)c, 2, 1}, u2[] = {5, 0x00, 3, (uint8_t)c, 2, 2};
        enum reasm_outcome oc;
        struct reasm_msg *m = NULL;
        struct reasm_part p = mk(buf, "867", cases[c].dcs, u2, sizeof u2, cases[c].p2, cases[c].n2);
        assert_int_equal(reasm_push(f->r, &p, 0, &oc, &m), 0);
        p = mk(buf, "867", cases[c].dcs, u1, sizeof u1, cases[c].p1, cases[c].n1);
        assert_int_equal(reasm_push(f->r, &p, 0, &oc, &m), 0);
        assert_int_equal(oc, REASM_COMPLETE);
        assert_int_equal(m->data_coding, cases[c].dcs);
        assert_text(f, m, cases[c].want);
        reasm_msg_free(m);
    }
}

/* Packs septets after a UDH the way a phone does: the text starts at a septet boundary. */
static size_t
pack_part(uint8_t *buf, size_t cap, const uint8_t *udh, size_t udh_len, const uint8_t *septets,
          size_t n)
{
    memcpy(buf, udh, udh_len);
    unsigned fill = (unsigned)((7 - (udh_len * 8) % 7) % 7);
    int w = gsm7_pack(septets, n, fill, buf + udh_len, cap - udh_len);
    assert_true(w >= 0);
    return udh_len + (size_t)w;
}

static void
test_packed_gsm_escape_split(void **state)
{
    struct fx *f = *state;
    /* "ab" ESC | "(" "cd": the escape pair for '{' straddles the two parts. 8-bit reference
     * (6-octet UDH, 1 fill bit) and 16-bit reference (7-octet UDH, no fill bits). */
    static const uint8_t s1[] = {'a', 'b', 0x1B}, s2[] = {0x28, 'c', 'd'};
    static const uint8_t udhs[2][2][7] = {
        {{5, 0x00, 3, 0x21, 2, 1}, {5, 0x00, 3, 0x21, 2, 2}},
        {{6, 0x08, 4, 0x01, 0x21, 2, 1}, {6, 0x08, 4, 0x01, 0x21, 2, 2}},
    };
    static const size_t udh_lens[2] = {6, 7};
    for (size_t k = 0; k < 2; k++) {
        uint8_t b1[64], b2[64];
        size_t n1 = pack_part(b1, sizeof b1, udhs[k][0], udh_lens[k], s1, sizeof s1);
        size_t n2 = pack_part(b2, sizeof b2, udhs[k][1], udh_lens[k], s2, sizeof s2);
        struct reasm_part p = {.bind_id = 1,
                               .source = "868",
                               .data_coding = 0,
                               .input = REASM_IN_GSM7_PACKED,
                               .udhi = 1,
                               .data = b2,
                               .len = n2};
        enum reasm_outcome oc;
        struct reasm_msg *m = NULL;
        assert_int_equal(reasm_push(f->r, &p, 0, &oc, &m), 0);
        assert_int_equal(oc, REASM_STORED);
        p.data = b1;
        p.len = n1;
        assert_int_equal(reasm_push(f->r, &p, 0, &oc, &m), 0);
        assert_int_equal(oc, REASM_COMPLETE);
        assert_true(m->septets);
        assert_int_equal(m->len, 6);
        assert_memory_equal(m->units, "ab\x1B(cd", 6);
        assert_text(f, m, "ab{cd");
        reasm_msg_free(m);
    }
    /* A full middle part (153 septets, no spare bits) that ends in CR keeps it; the last
     * part of 152 septets ends in a CR pad (7 spare bits), which goes. */
    {
        uint8_t t1[153], t2[153], b1[160], b2[160];
        memset(t1, 'm', sizeof t1);
        t1[152] = 0x0D;
        memset(t2, 'z', sizeof t2);
        t2[152] = 0x0D;
        static const uint8_t u1[] = {5, 0x00, 3, 0x22, 2, 1}, u2[] = {5, 0x00, 3, 0x22, 2, 2};
        size_t n1 = pack_part(b1, sizeof b1, u1, sizeof u1, t1, sizeof t1);
        size_t n2 = pack_part(b2, sizeof b2, u2, sizeof u2, t2, sizeof t2);
        assert_int_equal(n1, 140);
        assert_int_equal(n2, 140);
        struct reasm_part p = {.bind_id = 1,
                               .source = "868",
                               .input = REASM_IN_GSM7_PACKED,
                               .udhi = 1,
                               .data = b1,
                               .len = n1};
        enum reasm_outcome oc;
        struct reasm_msg *m = NULL;
        assert_int_equal(reasm_push(f->r, &p, 0, &oc, &m), 0);
        p.data = b2;
        p.len = n2;
        assert_int_equal(reasm_push(f->r, &p, 0, &oc, &m), 0);
        assert_int_equal(oc, REASM_COMPLETE);
        assert_int_equal(m->len, 153 + 152);
        assert_int_equal(m->units[152], 0x0D);
        assert_int_equal(m->units[m->len - 1], 'z');
        reasm_msg_free(m);
    }
    /* A single packed message of 7 septets: the 7 spare bits are a CR pad, dropped. */
    static const uint8_t seven[] = {'g', 'o', 'n', 'g', 'y', 'o', 'u', 0x0D};
    uint8_t b[16];
    int w = gsm7_pack(seven, sizeof seven, 0, b, sizeof b);
    assert_int_equal(w, 7);
    struct reasm_part p = {
        .bind_id = 1, .source = "868", .input = REASM_IN_GSM7_PACKED, .data = b, .len = 7};
    enum reasm_outcome oc;
    struct reasm_msg *m = NULL;
    assert_int_equal(reasm_push(f->r, &p, 0, &oc, &m), 0);
    assert_int_equal(oc, REASM_SINGLE);
    assert_text(f, m, "gongyou");
    reasm_msg_free(m);
}

static void
test_conflict(void **state)
{
    struct fx *f = *state;
    uint8_t buf[64], u1[] = {5, 0x00, 3, 3, 2, 1}, u2[] = {5, 0x00, 3, 3, 2, 2};
    enum reasm_outcome oc;
    struct reasm_msg *m = NULL;
    struct reasm_part p = mk(buf, "869", 0, u1, sizeof u1, "gsm", 3);
    assert_int_equal(reasm_push(f->r, &p, 0, &oc, &m), 0);
    p = mk(buf, "869", 8, u2, sizeof u2, "\x00\x41", 2);
    assert_int_equal(reasm_push(f->r, &p, 0, &oc, &m), 0);
    assert_int_equal(oc, REASM_CONFLICT);
    assert_false(m->complete);
    assert_text(f, m, "[…]A");
    reasm_msg_free(m);
    assert_int_equal(reasm_pending(f->r), 1);
}

static size_t
mem_after_two(void)
{
    struct reasm_cfg cfg = {.timeout = 0};
    struct reasm *r = reasm_new(&cfg);
    assert_non_null(r);
    uint8_t buf[64];
    for (uint8_t ref = 1; ref <= 2; ref++) {
        uint8_t udh[] = {5, 0x00, 3, ref, 2, 1};
        struct reasm_part p = mk(buf, "870", 0, udh, sizeof udh, "0123456789", 10);
        enum reasm_outcome oc;
        struct reasm_msg *m = NULL;
        assert_int_equal(reasm_push(r, &p, 0, &oc, &m), 0);
        assert_int_equal(oc, REASM_STORED);
    }
    size_t used = reasm_mem_used(r);
    reasm_free(r);
    return used;
}

static void
test_memory_cap_evicts_oldest(void **state)
{
    (void)state;
    size_t two = mem_after_two();
    assert_true(two > 20);
    struct drops d = {0};
    struct reasm_cfg cfg = {.timeout = 0, .mem_cap = two + two / 4, .on_drop = on_drop, .arg = &d};
    struct reasm *r = reasm_new(&cfg);
    assert_non_null(r);
    uint8_t buf[64];
    for (uint8_t ref = 1; ref <= 4; ref++) {
        uint8_t udh[] = {5, 0x00, 3, ref, 2, 1};
        struct reasm_part p = mk(buf, "870", 0, udh, sizeof udh, "0123456789", 10);
        enum reasm_outcome oc;
        struct reasm_msg *m = NULL;
        assert_int_equal(reasm_push(r, &p, ref, &oc, &m), 0);
        assert_int_equal(oc, REASM_STORED);
        assert_true(reasm_mem_used(r) <= cfg.mem_cap);
    }
    /* Room for two: refs 1 and 2 were evicted, oldest first, each reported once. */
    assert_int_equal(reasm_pending(r), 2);
    assert_int_equal(d.n, 2);
    for (size_t i = 0; i < 2; i++) {
        assert_int_equal(d.why[i], REASM_EVICTED);
        assert_int_equal(d.msg[i]->ref, i + 1);
        assert_int_equal(d.msg[i]->received, 1);
        assert_int_equal(d.msg[i]->len, 10);
    }
    assert_int_equal(reasm_expire(r, 1000000), 0); /* timeout 0: never */
    drops_clear(&d);
    reasm_free(r);

    /* A cap smaller than one message: each new message evicts the one before, and the one
     * being filled is kept (found by the fuzzer: an empty table must not crash). */
    cfg.mem_cap = 1;
    r = reasm_new(&cfg);
    assert_non_null(r);
    for (uint8_t seq = 1; seq <= 2; seq++) {
        uint8_t udh[] = {5, 0x00, 3, 9, 2, seq};
        struct reasm_part p = mk(buf, "871", 0, udh, sizeof udh, "xy", 2);
        enum reasm_outcome oc;
        struct reasm_msg *m = NULL;
        assert_int_equal(reasm_push(r, &p, 0, &oc, &m), 0);
        assert_int_equal(oc, seq == 1 ? REASM_STORED : REASM_COMPLETE);
        if (m)
            assert_memory_equal(m->units, "xyxy", 4);
        reasm_msg_free(m);
    }
    assert_int_equal(d.n, 0);
    reasm_free(r);
}

static void
test_decode_errors(void **state)
{
    struct fx *f = *state;
    uint8_t buf[16];
    enum reasm_outcome oc;
    struct reasm_msg *m = NULL;
    /* Binary data (data_coding 4) is reassembled but carries no text. */
    struct reasm_part p = mk(buf, "872", 4, NULL, 0, "\x01\x02", 2);
    assert_int_equal(reasm_push(f->r, &p, 0, &oc, &m), 0);
    assert_int_equal(oc, REASM_SINGLE);
    struct text_buf b;
    text_buf_init(&b);
    assert_int_equal(reasm_msg_decode(f->codec, m, NULL, &b, NULL), GY_EENCODING);
    assert_int_equal(reasm_msg_decode(f->codec, NULL, NULL, &b, NULL), GY_EINVAL);
    text_buf_fini(&b);
    reasm_msg_free(m);
    /* Odd-length UCS-2 and truncated GBK: U+FFFD counted, never raw bytes. */
    static const struct {
        uint8_t dcs;
        const char *bytes;
        size_t n;
    } cases[] = {{8, "\x00\x41\x00", 3}, {15, "\xBB\xFD\xB7", 3}};
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        p = mk(buf, "872", cases[i].dcs, NULL, 0, cases[i].bytes, cases[i].n);
        assert_int_equal(reasm_push(f->r, &p, 0, &oc, &m), 0);
        size_t bad = 0;
        char *s = decode(f, m, &bad);
        assert_true(bad >= 1);
        assert_non_null(strstr(s, "\xEF\xBF\xBD"));
        free(s);
        reasm_msg_free(m);
    }
    uint64_t when;
    struct reasm_cfg cfg = {.timeout = 0};
    struct reasm *r = reasm_new(&cfg);
    uint8_t udh[] = {5, 0x00, 3, 1, 2, 1};
    p = mk(buf, "872", 0, udh, sizeof udh, "x", 1);
    assert_int_equal(reasm_push(r, &p, 0, &oc, &m), 0);
    assert_int_equal(reasm_next_deadline(r, &when), GY_ENOTFOUND); /* never times out */
    assert_int_equal(reasm_flush(r), 1);                           /* no on_drop: freed */
    assert_int_equal(reasm_pending(r), 0);
    reasm_free(r);
}

static void
test_bad_arguments(void **state)
{
    struct fx *f = *state;
    enum reasm_outcome oc;
    struct reasm_msg *m = (struct reasm_msg *)1;
    struct reasm_part p = {.source = "1", .data = NULL, .len = 3};
    assert_int_equal(reasm_push(f->r, &p, 0, &oc, &m), GY_EINVAL);
    assert_null(m);
    char longsrc[100];
    memset(longsrc, '9', sizeof longsrc - 1);
    longsrc[sizeof longsrc - 1] = '\0';
    p = (struct reasm_part){.source = longsrc};
    assert_int_equal(reasm_push(f->r, &p, 0, &oc, &m), GY_EINVAL);
    assert_null(reasm_new(NULL));
    reasm_free(NULL);
    reasm_msg_free(NULL);
    assert_string_equal(reasm_outcome_name(REASM_DUPLICATE), "duplicate");
    assert_string_equal(reasm_reason_name(REASM_EVICTED), "evicted");
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_out_of_order, setup, teardown),
        cmocka_unit_test_setup_teardown(test_duplicate, setup, teardown),
        cmocka_unit_test_setup_teardown(test_missing_part_timeout, setup, teardown),
        cmocka_unit_test_setup_teardown(test_push_expires_first, setup, teardown),
        cmocka_unit_test_setup_teardown(test_refs_8_16_sar, setup, teardown),
        cmocka_unit_test_setup_teardown(test_extra_ies, setup, teardown),
        cmocka_unit_test_setup_teardown(test_invalid_ies_single, setup, teardown),
        cmocka_unit_test_setup_teardown(test_senders_apart, setup, teardown),
        cmocka_unit_test_setup_teardown(test_split_characters, setup, teardown),
        cmocka_unit_test_setup_teardown(test_packed_gsm_escape_split, setup, teardown),
        cmocka_unit_test_setup_teardown(test_conflict, setup, teardown),
        cmocka_unit_test(test_memory_cap_evicts_oldest),
        cmocka_unit_test_setup_teardown(test_decode_errors, setup, teardown),
        cmocka_unit_test_setup_teardown(test_bad_arguments, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
