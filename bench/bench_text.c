/* SPDX-License-Identifier: GPL-3.0-or-later */
/* bench_text: decode, encode and split throughput of locale/ in MB/s for GSM, UCS-2 and
 * GBK text, on message-sized inputs (what the gateway sees), median of several runs of thread CPU
 * time on one core. Prints figures; --smoke runs each case once, briefly, for ctest. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "locale/text_decode.h"
#include "locale/text_encode.h"
#include "locale/text_split.h"

struct bench_ctx {
    struct text_codec *codec;
    const uint8_t *in; /* input of one operation */
    size_t len;
    uint8_t dcs;
    unsigned allow;
    size_t sink; /* keeps the work observable */
};

typedef void (*bench_fn)(struct bench_ctx *b);

static void
op_decode(struct bench_ctx *b)
{
    struct text_buf out;
    text_buf_init(&out);
    size_t bad = 0;
    if (text_decode(b->codec, b->dcs, b->in, b->len, NULL, &out, &bad) == 0)
        b->sink += out.len + bad;
    text_buf_fini(&out);
}

static void
op_encode(struct bench_ctx *b)
{
    struct text_encoded e;
    if (text_encode(b->codec, (const char *)b->in, b->len, b->allow, &e, NULL) == 0) {
        b->sink += e.len;
        text_encoded_fini(&e);
    }
}

static void
op_split(struct bench_ctx *b)
{
    struct text_split_opts o = {
        .allow = b->allow, .concat = TEXT_CONCAT_UDH8, .signature = NULL, .ref = 7};
    struct text_split sp;
    if (text_split_make(b->codec, (const char *)b->in, b->len, &o, &sp, NULL) == 0) {
        b->sink += sp.n_parts;
        text_split_fini(&sp);
    }
}

static double
now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts); /* CPU time: load on the machine does not count */
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int
cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* Median MB/s (input bytes) over runs of iters operations. */
static double
measure(bench_fn fn, struct bench_ctx *b, size_t iters, int runs)
{
    double mbs[16];
    for (int r = 0; r < runs; r++) {
        double t0 = now_s();
        for (size_t i = 0; i < iters; i++)
            fn(b);
        double dt = now_s() - t0;
        mbs[r] = dt > 0 ? (double)(b->len * iters) / dt / 1e6 : 0;
    }
    qsort(mbs, (size_t)runs, sizeof mbs[0], cmp_double);
    return mbs[runs / 2];
}

/* Returns a new UTF-8 string of about n bytes built from unit (caller frees). */
static char *
fill_utf8(const char *unit, size_t n)
{
    size_t ul = strlen(unit), k = n / ul;
    char *s = malloc(k * ul + 1);
    if (s == NULL)
        return NULL;
    for (size_t i = 0; i < k; i++)
        memcpy(s + i * ul, unit, ul);
    s[k * ul] = '\0';
    return s;
}

int
main(int argc, char **argv)
{
    int smoke = argc > 1 && strcmp(argv[1], "--smoke") == 0;
    if (argc > 1 && !smoke) {
        fprintf(stderr, "usage: bench_text [--smoke]\n");
        return 2;
    }
    size_t iters = smoke ? 200 : 200000;
    int runs = smoke ? 1 : 7;
    struct text_codec *codec = text_codec_new();
    if (codec == NULL) {
        fprintf(stderr, "bench_text: iconv lacks GBK/GB18030\n");
        return 1;
    }
    /* Message-sized texts: 160 GSM characters, 70 Chinese characters (reply of a keyword). */
    const char *gsm_unit = "Points JF: total 120, social 60 {ok} ";
    const char *zh_unit = "您的积分共一百二十分其中社保六十分学历三十分【江门人社】";
    char *gsm_txt = fill_utf8(gsm_unit, 160);
    char *zh_txt = fill_utf8(zh_unit, 70 * 3);
    /* Three-part replies for the split case. */
    char *gsm_long = fill_utf8(gsm_unit, 400);
    char *zh_long = fill_utf8(zh_unit, 190 * 3);
    if (!gsm_txt || !zh_txt || !gsm_long || !zh_long)
        return 1;

    struct text_encoded gsm_enc, ucs2_enc, gbk_enc;
    if (text_encode(codec, gsm_txt, strlen(gsm_txt), TEXT_ALLOW_DEFAULT, &gsm_enc, NULL) != 0 ||
        text_encode(codec, zh_txt, strlen(zh_txt), TEXT_ALLOW_DEFAULT, &ucs2_enc, NULL) != 0 ||
        text_encode(codec, zh_txt, strlen(zh_txt), TEXT_ALLOW_GBK, &gbk_enc, NULL) != 0) {
        fprintf(stderr, "bench_text: cannot encode the sample texts\n");
        return 1;
    }

    struct {
        const char *name;
        bench_fn fn;
        const void *in;
        size_t len;
        uint8_t dcs;
        unsigned allow;
    } cases[] = {
        {"decode GSM (unpacked, 160 septets)", op_decode, gsm_enc.bytes, gsm_enc.len, 0, 0},
        {"decode UCS-2 (70 chars, 140 octets)", op_decode, ucs2_enc.bytes, ucs2_enc.len, 8, 0},
        {"decode GBK (70 chars, 140 octets)", op_decode, gbk_enc.bytes, gbk_enc.len, 15, 0},
        {"encode GSM (160 chars)", op_encode, gsm_txt, strlen(gsm_txt), 0, TEXT_ALLOW_DEFAULT},
        {"encode UCS-2 (70 chars)", op_encode, zh_txt, strlen(zh_txt), 0, TEXT_ALLOW_DEFAULT},
        {"encode GBK (70 chars)", op_encode, zh_txt, strlen(zh_txt), 0, TEXT_ALLOW_GBK},
        {"split GSM (400 chars, 3 parts)", op_split, gsm_long, strlen(gsm_long), 0,
         TEXT_ALLOW_DEFAULT},
        {"split UCS-2 (190 chars, 3 parts)", op_split, zh_long, strlen(zh_long), 0,
         TEXT_ALLOW_DEFAULT},
        {"split GBK (190 chars, 3 parts)", op_split, zh_long, strlen(zh_long), 0, TEXT_ALLOW_GBK},
    };
    printf("bench_text: %s, median of %d runs x %zu operations, one core\n",
           smoke ? "smoke" : "full", runs, iters);
    printf("%-40s %10s %12s\n", "case", "MB/s", "ops/s");
    size_t sink = 0;
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct bench_ctx b = {.codec = codec,
                              .in = cases[i].in,
                              .len = cases[i].len,
                              .dcs = cases[i].dcs,
                              .allow = cases[i].allow};
        double mbs = measure(cases[i].fn, &b, iters, runs);
        printf("%-40s %10.1f %12.0f\n", cases[i].name, mbs, mbs * 1e6 / (double)cases[i].len);
        sink += b.sink;
    }
    printf("(input bytes per second; sink %zu)\n", sink % 10);
    text_encoded_fini(&gsm_enc);
    text_encoded_fini(&ucs2_enc);
    text_encoded_fini(&gbk_enc);
    free(gsm_txt);
    free(zh_txt);
    free(gsm_long);
    free(zh_long);
    text_codec_free(codec);
    return sink == 0; /* nothing worked: fail */
}
