/* SPDX-License-Identifier: GPL-3.0-or-later */
/* libFuzzer target for locale/reassembly: the input is a small script of parts (UDH or SAR,
 * any coding, packed or not, four senders on two binds) and clock steps, run against a
 * reassembler with a tiny memory cap; every message handed back is checked and decoded,
 * and its UTF-8 must be valid. Input format: see script_run() below. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "locale/reassembly.h"
#include "locale/text_decode.h"
#include "locale/text_utf8.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

struct run {
    struct text_codec *codec;
    size_t mem_cap;
    size_t handed_back;
};

static void
check_msg(struct run *run, const struct reasm_msg *m)
{
    if (!m->units || !m->source || m->total == 0 || m->received == 0 || m->received > m->total ||
        (m->complete != 0) != (m->received == m->total) || m->n_spans == 0)
        abort();
    size_t sum = 0;
    unsigned last = 0;
    for (size_t i = 0; i < m->n_spans; i++) {
        const struct reasm_span *s = &m->spans[i];
        if (s->off != sum || s->first_seq <= last || s->last_seq < s->first_seq ||
            s->last_seq > m->total)
            abort();
        sum += s->len;
        last = s->last_seq;
    }
    if (sum != m->len)
        abort();
    if (m->septets)
        for (size_t i = 0; i < m->len; i++)
            if (m->units[i] > 0x7F)
                abort();
    struct text_buf b;
    text_buf_init(&b);
    size_t bad = 0;
    int rc = reasm_msg_decode(run->codec, m, NULL, &b, &bad);
    if (rc == 0 && b.data && text_utf8_validate(b.data, b.len, NULL) != 0)
        abort(); /* raw bytes leaked into UTF-8 */
    text_buf_fini(&b);
    run->handed_back++;
}

static void
on_drop(void *arg, enum reasm_reason why, struct reasm_msg *msg)
{
    (void)why;
    check_msg(arg, msg);
    if (msg->complete)
        abort(); /* only incomplete messages are dropped */
    reasm_msg_free(msg);
}

static const uint8_t codings[8] = {0, 1, 3, 8, 15, 4, 0, 8};
static const char *const sources[4] = {"8613800138000", "8613800138001", "", "10086"};

/* Script: byte 0 sets the timeout (low nibble x 10, 0 = none) and the memory cap
 * ((high nibble + 1) x 256 bytes). Then ops: one byte op; op % 8 == 7 advances the clock by
 * the next byte; otherwise a part: op bit 3 bind, bits 4-5 sender, bit 6 UDHI, bit 7 SAR;
 * then a byte (low 3 bits coding, bit 3 packed GSM), SAR fields (ref 2, total 1, seq 1)
 * when SAR, a length byte and that many bytes (fewer at the end of input). */
static void
script_run(struct run *run, struct reasm *r, const uint8_t *d, size_t n)
{
    uint64_t now = 0;
    size_t i = 0;
    while (i < n) {
        uint8_t op = d[i++];
        if (op % 8 == 7) {
            now += i < n ? d[i++] : 1;
            continue;
        }
        if (i >= n)
            break;
        uint8_t cod = d[i++];
        struct reasm_part p = {
            .bind_id = (op >> 3) & 1,
            .source = sources[(op >> 4) & 3],
            .data_coding = codings[cod & 7],
            .input = (cod & 8) ? REASM_IN_GSM7_PACKED : REASM_IN_OCTETS,
            .udhi = (op >> 6) & 1,
        };
        if (op & 0x80) {
            if (n - i < 4)
                break;
            p.sar_present = 1;
            p.sar_ref = (uint16_t)(d[i] << 8 | d[i + 1]);
            p.sar_total = d[i + 2];
            p.sar_seq = d[i + 3];
            i += 4;
        }
        size_t len = i < n ? d[i++] : 0;
        if (len > n - i)
            len = n - i;
        p.data = len ? d + i : NULL;
        p.len = len;
        i += len;
        enum reasm_outcome oc;
        struct reasm_msg *m = NULL;
        int rc = reasm_push(r, &p, now, &oc, &m);
        if (rc != 0) {
            if (m)
                abort();
            continue;
        }
        if ((oc == REASM_STORED || oc == REASM_DUPLICATE) != (m == NULL))
            abort();
        if (reasm_mem_used(r) > run->mem_cap && reasm_pending(r) > 1)
            abort(); /* over the cap only while the one message being filled needs it */
        if (m) {
            check_msg(run, m);
            reasm_msg_free(m);
        }
    }
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    /* One codec for the whole process (iconv_open is slow); still reachable at exit. */
    static struct text_codec *codec;
    if (!codec && !(codec = text_codec_new()))
        abort();
    struct run run = {codec, (size_t)((data[0] >> 4) + 1) * 256, 0};
    struct reasm_cfg cfg = {
        .timeout = (uint64_t)(data[0] & 0x0F) * 10,
        .mem_cap = run.mem_cap,
        .on_drop = on_drop,
        .arg = &run,
    };
    struct reasm *r = reasm_new(&cfg);
    if (!r)
        abort();
    script_run(&run, r, data + 1, size - 1);
    reasm_flush(r);
    if (reasm_pending(r) != 0 || reasm_mem_used(r) != 0)
        abort();
    reasm_free(r);
    return 0;
}
