/* SPDX-License-Identifier: GPL-3.0-or-later */
/* gen_workers: synthetic fictional workers with certificates, children and service
 * records, written as CSV in the importer's formats. Every worker is drawn from its own
 * random stream (seed, index), so output is deterministic and worker i does not depend
 * on N. Never touches a database. */
#include "bench/gen_workers.h"
#include "base/gy_err.h"

#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define GEN_MAX_OCC  256
#define GEN_NAME_MAX 96

/* ---- random numbers: splitmix64, one stream per worker ---- */

struct gen_rng {
    uint64_t s;
};

static uint64_t
gen_mix(uint64_t z)
{
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
}

static uint64_t
rng_next(struct gen_rng *r)
{
    r->s += 0x9E3779B97F4A7C15ULL;
    return gen_mix(r->s);
}

/* Uniform in [0, n); n > 0. The modulo bias is irrelevant for test data. */
static unsigned
rng_below(struct gen_rng *r, unsigned n)
{
    return (unsigned)(rng_next(r) % n);
}

static long
rng_range(struct gen_rng *r, long lo, long hi)
{
    if (hi <= lo)
        return lo;
    return lo + (long)(rng_next(r) % (uint64_t)(hi - lo + 1));
}

static bool
rng_chance(struct gen_rng *r, unsigned percent)
{
    return rng_below(r, 100) < percent;
}

/* Index drawn by weights (w[0..n-1], sum > 0). */
static unsigned
rng_weighted(struct gen_rng *r, const unsigned *w, unsigned n)
{
    unsigned sum = 0;
    for (unsigned i = 0; i < n; i++)
        sum += w[i];
    unsigned x = rng_below(r, sum);
    for (unsigned i = 0; i < n; i++) {
        if (x < w[i])
            return i;
        x -= w[i];
    }
    return n - 1;
}

/* ---- keyed permutations: unique msisdns and ID numbers without a set ----
 * A 4-round Feistel network on 28-bit values is a bijection of [0, 2^28); walking the
 * cycle until the value falls below m makes it a bijection of [0, m) (m <= 2^28). */

#define PERM_HALF_BITS 14
#define PERM_HALF_MASK ((1u << PERM_HALF_BITS) - 1)

struct gen_perm {
    uint64_t m;
    uint64_t key[4];
};

static void
perm_init(struct gen_perm *p, uint64_t m, uint64_t seed, uint64_t salt)
{
    p->m = m;
    for (int k = 0; k < 4; k++)
        p->key[k] = gen_mix(seed ^ gen_mix(salt + (uint64_t)k));
}

static uint64_t
perm_apply(const struct gen_perm *p, uint64_t x)
{
    do {
        uint32_t l = (uint32_t)(x >> PERM_HALF_BITS) & PERM_HALF_MASK;
        uint32_t r = (uint32_t)x & PERM_HALF_MASK;
        for (int k = 0; k < 4; k++) {
            uint32_t f = (uint32_t)gen_mix(p->key[k] ^ r) & PERM_HALF_MASK;
            uint32_t t = l ^ f;
            l = r;
            r = t;
        }
        x = ((uint64_t)l << PERM_HALF_BITS) | r;
    } while (x >= p->m);
    return x;
}

/* ---- fictional names and reference lists ---- */

static const char *const surnames[] = {
    "陈", "李", "黄", "张", "王", "刘", "杨", "吴", "周", "梁",
    "罗", "何", "林", "谢", "郭", "赵", "邓", "彭", "曾", "蒋",
};
static const char *const given_male[] = {
    "建军", "伟",   "海涛", "文斌", "志明", "永红", "小龙", "德胜",
    "家辉", "俊峰", "振宇", "立新", "春生", "国庆", "明亮", "金水",
};
static const char *const given_female[] = {
    "秀英", "丽华", "美玲", "小燕", "春梅", "桂芳", "晓霞", "玉兰",
    "海燕", "翠萍", "金凤", "雪梅", "月娥", "淑珍", "红霞", "静",
};
static const char *const given_child[] = {
    "子轩", "梓涵", "浩然", "欣怡", "宇航", "诗琪", "俊杰", "雨桐", "嘉豪", "思彤", "一诺", "子墨",
};
#define NCHILD_NAMES (sizeof given_child / sizeof given_child[0])

/* GB 11643 region codes of home counties (the first 6 digits); fictional people. */
static const char *const regions[] = {
    "430421", "450921", "511322", "360722", "522121", "411522",
    "421127", "441823", "500235", "341221", "431121", "452123",
};
#define NREGIONS (sizeof regions / sizeof regions[0])

/* The 7 districts and cities, weighted roughly by their migrant population. */
static const char *const districts[] = {
    "蓬江区", "江海区", "新会区", "台山市", "开平市", "鹤山市", "恩平市",
};
static const char *const district_short[] = {
    "蓬江", "江海", "新会", "台山", "开平", "鹤山", "恩平",
};
static const unsigned district_w[] = {25, 15, 20, 10, 12, 12, 6};
#define NDISTRICTS (sizeof districts / sizeof districts[0])

static const char *const products[] = {
    "五金制品", "电子",       "制衣", "鞋业", "家具", "食品",
    "塑料制品", "摩托车配件", "卫浴", "印刷", "纸品", "电器",
};
static const char *const firm_kinds[] = {"厂", "有限公司"};

/* Education as written in the CSV files (names and aliases of education_levels). */
static const char *const educations[] = {"初中", "高中", "中专", "中职", "大专", "本科"};
static const unsigned education_w[] = {32, 22, 12, 4, 20, 10};

/* Skill levels by rank 1..5 and the subsidy amounts (yuan) paid in the records. */
static const char *const levels[] = {"初级工", "中级工", "高级工", "技师", "高级技师"};
static const unsigned level_w[] = {45, 30, 15, 8, 2};
static const unsigned level_paid_yuan[] = {1000, 1500, 2000, 2000, 2000};
#define NLEVELS 5

/* Service kinds as written in services.csv (points_rules names): blood donations (count
 * 1), volunteer hours, charitable donations in yuan. */
static const char *const service_kinds[] = {"献血", "志愿服务", "慈善捐款"};
static const unsigned service_w[] = {50, 40, 10};
#define NSERVICE_KINDS 3

struct gen_ref {
    char occ[GEN_MAX_OCC][GEN_NAME_MAX];
    unsigned nocc;
    char short_occ[GEN_MAX_OCC][GEN_NAME_MAX];
    unsigned short_uplift[GEN_MAX_OCC]; /* percent */
    long short_from[GEN_MAX_OCC];       /* days */
    unsigned nshort;
};

static void
set_err(char *err, size_t errlen, const char *fmt, ...)
{
    if (err == NULL || errlen == 0)
        return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err, errlen, fmt, ap);
    va_end(ap);
}

/* Splits line (modified in place) at commas into at most max fields; returns the count. */
static int
split_csv(char *line, char **f, int max)
{
    int n = 0;
    line[strcspn(line, "\r\n")] = '\0';
    char *p = line;
    while (n < max) {
        f[n++] = p;
        char *c = strchr(p, ',');
        if (c == NULL)
            break;
        *c = '\0';
        p = c + 1;
    }
    return n;
}

static int
ref_load(struct gen_ref *ref, const char *dir, char *err, size_t errlen)
{
    char path[4096], line[512];
    char *f[8];
    memset(ref, 0, sizeof *ref);

    snprintf(path, sizeof path, "%s/occupations.csv", dir);
    FILE *fp = fopen(path, "r");
    if (fp == NULL) {
        set_err(err, errlen, "%s: %s", path, strerror(errno));
        return GY_EIO;
    }
    for (int lineno = 1; fgets(line, sizeof line, fp) != NULL; lineno++) {
        if (lineno == 1)
            continue; /* header code,name_zh,name_en */
        if (split_csv(line, f, 8) < 2 || f[1][0] == '\0' || strlen(f[1]) >= GEN_NAME_MAX)
            continue;
        if (ref->nocc < GEN_MAX_OCC)
            snprintf(ref->occ[ref->nocc++], GEN_NAME_MAX, "%s", f[1]);
    }
    fclose(fp);
    if (ref->nocc < 3) {
        set_err(err, errlen, "%s: fewer than 3 occupations", path);
        return GY_EPARSE;
    }

    snprintf(path, sizeof path, "%s/shortage.csv", dir);
    fp = fopen(path, "r");
    if (fp == NULL)
        return 0; /* no shortage list: no uplift in the paid amounts */
    for (int lineno = 1; fgets(line, sizeof line, fp) != NULL; lineno++) {
        struct gy_date d;
        if (lineno == 1 || split_csv(line, f, 8) < 3 || strlen(f[0]) >= GEN_NAME_MAX ||
            gy_date_parse(f[2], &d) != 0 || ref->nshort >= GEN_MAX_OCC)
            continue;
        snprintf(ref->short_occ[ref->nshort], GEN_NAME_MAX, "%s", f[0]);
        ref->short_uplift[ref->nshort] = (unsigned)strtoul(f[1], NULL, 10);
        ref->short_from[ref->nshort] = gy_date_to_days(d);
        ref->nshort++;
    }
    fclose(fp);
    return 0;
}

static unsigned
ref_uplift(const struct gen_ref *ref, const char *occ, long on_days)
{
    for (unsigned i = 0; i < ref->nshort; i++)
        if (strcmp(ref->short_occ[i], occ) == 0 && on_days >= ref->short_from[i])
            return ref->short_uplift[i];
    return 0;
}

/* ---- one worker ---- */

struct gen_ctx {
    const struct gen_config *cfg;
    const struct gen_ref *ref;
    struct gen_perm msisdn_perm; /* over [0, GEN_MAX_WORKERS): 86139 + (1 + x) */
    struct gen_perm id_perm;     /* over regions x birth days x 1000 sequence numbers */
    long today;                  /* days */
    long birth_lo;               /* first birth day: 60 years before today */
    long birth_days;             /* number of birth days: until 19 years before today */
    FILE *workers, *certs, *children, *services;
    struct gen_counts counts;
};

static const char *
fmt_day(long days, char *buf)
{
    return gy_date_format(gy_date_from_days(days), buf);
}

static long
add_years(long days, int years)
{
    struct gy_date d = gy_date_from_days(days);
    return gy_date_to_days(gy_date_add_months(d, years * 12));
}

char
gen_idnum_check(const char *id17)
{
    static const int w[17] = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
    static const char check[] = "10X98765432";
    int sum = 0;
    for (int i = 0; i < 17; i++) {
        if (id17[i] < '0' || id17[i] > '9')
            return 0;
        sum += (id17[i] - '0') * w[i];
    }
    return check[sum % 11];
}

static void
ctx_perms(struct gen_ctx *c, const struct gen_config *cfg)
{
    /* 12 regions x about 15,000 birth days x 1000 sequence numbers: about 1.8e8 < 2^28,
     * and more than GEN_MAX_WORKERS, so every worker gets a different ID number. */
    perm_init(&c->msisdn_perm, GEN_MAX_WORKERS, cfg->seed, 0x6D736973ULL);
    perm_init(&c->id_perm, (uint64_t)NREGIONS * (uint64_t)c->birth_days * 1000u, cfg->seed,
              0x69646E6FULL);
}

/* 86139 and 8 digits from x + 1 (x < 99999999), so never 8613900000000. */
static char *
msisdn_fmt(uint64_t x, char *buf)
{
    unsigned v = (unsigned)((x + 1) % 100000000u);
    snprintf(buf, GEN_MSISDN_LEN, "86139%08u", v % 100000000u);
    return buf;
}

char *
gen_worker_msisdn(const struct gen_config *cfg, unsigned long i, char *buf)
{
    struct gen_perm p;
    perm_init(&p, GEN_MAX_WORKERS, cfg->seed, 0x6D736973ULL);
    return msisdn_fmt(perm_apply(&p, i), buf);
}

static void
gen_certificates(struct gen_ctx *c, struct gen_rng *r, const char *msisdn, long birth)
{
    static const unsigned count_w[] = {45, 30, 17, 8};
    unsigned n = rng_weighted(r, count_w, 4);
    unsigned occ[3], rank[3];
    long date[3];
    unsigned have = 0;
    long first = add_years(birth, 18);
    long lo = c->today - 12 * 366 > first ? c->today - 12 * 366 : first;

    for (unsigned k = 0; k < n; k++) {
        unsigned o, rk;
        long d;
        if (have > 0 && rank[have - 1] < NLEVELS && date[have - 1] < c->today - 365 &&
            rng_chance(r, 65)) {
            /* the next level in the same trade, one to four years later */
            o = occ[have - 1];
            rk = rank[have - 1] + 1;
            d = date[have - 1] + rng_range(r, 365, 4 * 365);
            if (d > c->today)
                d = c->today - rng_range(r, 0, 60);
            if (d <= date[have - 1])
                continue;
        } else {
            o = rng_below(r, c->ref->nocc);
            rk = rng_weighted(r, level_w, NLEVELS) + 1;
            d = rng_range(r, lo, c->today);
        }
        bool dup = false;
        for (unsigned j = 0; j < have; j++)
            dup = dup || (occ[j] == o && rank[j] == rk);
        if (dup)
            continue;
        occ[have] = o;
        rank[have] = rk;
        date[have] = d;
        have++;

        char issued[GY_DATE_STRLEN], paid_on[GY_DATE_STRLEN];
        long months = gy_date_months_between(gy_date_from_days(d), gy_date_from_days(c->today));
        bool paid = months >= 1 && rng_chance(r, months < 12 ? 40 : 65);
        fmt_day(d, issued);
        if (!paid) {
            fprintf(c->certs, "%s,%s,%s,%s,unclaimed,,\n", msisdn, c->ref->occ[o], levels[rk - 1],
                    issued);
        } else {
            long within = months < 11 ? months : 11;
            struct gy_date pd =
                gy_date_add_months(gy_date_from_days(d), (int)rng_range(r, 1, within));
            unsigned yuan = level_paid_yuan[rk - 1];
            yuan += yuan * ref_uplift(c->ref, c->ref->occ[o], d) / 100;
            fprintf(c->certs, "%s,%s,%s,%s,paid,%u,%s\n", msisdn, c->ref->occ[o], levels[rk - 1],
                    issued, yuan, gy_date_format(pd, paid_on));
        }
        c->counts.certificates++;
    }
}

/* Grade now from the birth date: 6 full years on 31 August of the school year's start
 * means grade 1; before that 0; capped at 12. */
static int
grade_of(const struct gen_ctx *c, long birth)
{
    struct gy_date t = gy_date_from_days(c->today);
    int start = t.month >= 9 ? t.year : t.year - 1;
    struct gy_date ref = {start, 8, 31};
    int age = gy_date_age_on(gy_date_from_days(birth), ref);
    int g = age - 5;
    return g < 0 ? 0 : g > 12 ? 12 : g;
}

static void
gen_children(struct gen_ctx *c, struct gen_rng *r, const char *msisdn, const char *surname,
             long parent_birth)
{
    static const unsigned count_w[] = {35, 25, 30, 10};
    unsigned n = rng_weighted(r, count_w, 4);
    long lo = add_years(parent_birth, 20);
    long lo17 = c->today - 17 * 365;
    if (lo < lo17)
        lo = lo17;
    if (lo > c->today - 30)
        return;
    unsigned first = rng_below(r, NCHILD_NAMES);
    for (unsigned k = 0; k < n; k++) {
        long b = rng_range(r, lo, c->today - 30);
        char birth[GY_DATE_STRLEN];
        fprintf(c->children, "%s,%s%s,%s,%d\n", msisdn, surname,
                given_child[(first + k) % NCHILD_NAMES], fmt_day(b, birth), grade_of(c, b));
        c->counts.children++;
    }
}

static void
gen_services(struct gen_ctx *c, struct gen_rng *r, const char *msisdn, long birth)
{
    static const unsigned count_w[] = {40, 20, 15, 10, 10, 5};
    unsigned n = rng_weighted(r, count_w, 6);
    unsigned kinds[6];
    long days[6];
    long lo = c->today - 7 * 365;
    long adult = add_years(birth, 18);
    if (lo < adult)
        lo = adult;
    for (unsigned k = 0; k < n; k++) {
        unsigned kind = rng_weighted(r, service_w, NSERVICE_KINDS);
        long qty = kind == 0 ? 1 : kind == 1 ? rng_range(r, 4, 80) : rng_range(r, 50, 3000);
        long day = rng_range(r, lo, c->today);
        /* one record per worker, kind and day (the importer's key): move to an earlier
         * free day (strictly decreasing, so this ends) */
        for (unsigned j = 0; j < k; j++) {
            if (kinds[j] == kind && days[j] == day) {
                day--;
                j = (unsigned)-1; /* check again from the start */
            }
        }
        kinds[k] = kind;
        days[k] = day;
        char on[GY_DATE_STRLEN];
        fprintf(c->services, "%s,%s,%ld,%s\n", msisdn, service_kinds[kind], qty, fmt_day(day, on));
        c->counts.services++;
    }
}

static void
gen_one(struct gen_ctx *c, unsigned long i)
{
    struct gen_rng r = {gen_mix(c->cfg->seed ^ gen_mix(i + 0x5EEDULL))};
    char msisdn[GEN_MSISDN_LEN], id[19], permit[GY_DATE_STRLEN];

    msisdn_fmt(perm_apply(&c->msisdn_perm, i), msisdn);

    uint64_t key = perm_apply(&c->id_perm, i);
    unsigned region = (unsigned)(key % NREGIONS);
    key /= NREGIONS;
    long birth = c->birth_lo + (long)(key % (uint64_t)c->birth_days);
    unsigned seq = (unsigned)(key / (uint64_t)c->birth_days); /* 0..999 */
    struct gy_date bd = gy_date_from_days(birth);
    snprintf(id, sizeof id, "%s%04d%02d%02d%03u", regions[region], bd.year, bd.month, bd.day, seq);
    id[17] = gen_idnum_check(id);
    id[18] = '\0';
    bool male = seq % 2 == 1; /* the 17th digit: odd for men */

    const char *surname = surnames[rng_below(&r, sizeof surnames / sizeof surnames[0])];
    const char *given = male ? given_male[rng_below(&r, 16)] : given_female[rng_below(&r, 16)];
    unsigned dist = rng_weighted(&r, district_w, NDISTRICTS);
    unsigned product = rng_below(&r, sizeof products / sizeof products[0]);
    unsigned firm = rng_below(&r, 2);
    unsigned edu = rng_weighted(&r, education_w, sizeof education_w / sizeof education_w[0]);

    long adult = add_years(birth, 16);
    long max_months = gy_date_months_between(gy_date_from_days(adult), gy_date_from_days(c->today));
    long cap = max_months < 216 ? max_months : 216;
    long work = rng_range(&r, 0, rng_range(&r, 0, cap)); /* skewed towards short stays */
    long insurance = rng_chance(&r, 12) ? 0 : work * rng_range(&r, 50, 100) / 100;

    permit[0] = '\0';
    if (rng_chance(&r, 85)) {
        long lo = c->today - 16 * 365 > adult ? c->today - 16 * 365 : adult;
        fmt_day(rng_range(&r, lo, c->today - 30), permit);
    }
    int stable = rng_chance(&r, 85);
    int backbone = rng_chance(&r, 8);
    const char *lang = rng_chance(&r, 3) ? "en" : "zh";
    int opted_out = rng_chance(&r, 4);

    fprintf(c->workers, "%s,%s,%s%s,%s,%s示例%s%s（虚构）,%s,%s,%d,%d,%ld,%ld,%s,%d\n", msisdn, id,
            surname, given, districts[dist], district_short[dist], products[product],
            firm_kinds[firm], educations[edu], permit, stable, backbone, insurance, work, lang,
            opted_out);
    c->counts.workers++;

    gen_certificates(c, &r, msisdn, birth);
    gen_children(c, &r, msisdn, surname, birth);
    gen_services(c, &r, msisdn, birth);
}

static FILE *
open_out(const char *dir, const char *name, const char *header, char *err, size_t errlen)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *fp = fopen(path, "w");
    if (fp == NULL) {
        set_err(err, errlen, "%s: %s", path, strerror(errno));
        return NULL;
    }
    setvbuf(fp, NULL, _IOFBF, 1 << 20);
    fputs(header, fp);
    return fp;
}

static int
close_out(FILE *fp, const char *name, int rc, char *err, size_t errlen)
{
    if (fp == NULL)
        return rc;
    bool bad = ferror(fp) != 0;
    if (fclose(fp) != 0)
        bad = true;
    if (bad && rc == 0) {
        set_err(err, errlen, "%s: write error", name);
        return GY_EIO;
    }
    return rc;
}

int
gen_workers_write(const struct gen_config *cfg, const char *out_dir, struct gen_counts *counts,
                  char *err, size_t errlen)
{
    if (cfg == NULL || out_dir == NULL || cfg->ref_dir == NULL || cfg->workers == 0 ||
        cfg->first >= GEN_MAX_WORKERS || cfg->workers > GEN_MAX_WORKERS - cfg->first ||
        !gy_date_valid(cfg->today)) {
        set_err(err, errlen, "bad generator configuration (first + N must be 1..%lu)",
                GEN_MAX_WORKERS);
        return GY_EINVAL;
    }
    struct gen_ref *ref = malloc(sizeof *ref);
    if (ref == NULL) {
        set_err(err, errlen, "out of memory");
        return GY_ENOMEM;
    }
    int rc = ref_load(ref, cfg->ref_dir, err, errlen);
    if (rc != 0) {
        free(ref);
        return rc;
    }

    struct gen_ctx c = {.cfg = cfg, .ref = ref};
    c.today = gy_date_to_days(cfg->today);
    c.birth_lo = add_years(c.today, -60);
    c.birth_days = add_years(c.today, -19) - c.birth_lo;
    ctx_perms(&c, cfg);

    c.workers = open_out(out_dir, GEN_FILE_WORKERS,
                         "msisdn,id_number,name,district,employer,education,"
                         "residence_permit_since,stable_residence,enterprise_backbone,"
                         "insurance_months,work_months,language,opted_out\n",
                         err, errlen);
    c.certs = open_out(out_dir, GEN_FILE_CERTIFICATES,
                       "msisdn,occupation,level,issued_on,subsidy_status,subsidy_paid_yuan,"
                       "subsidy_paid_on\n",
                       err, errlen);
    c.children = open_out(out_dir, GEN_FILE_CHILDREN,
                          "parent_msisdn,name,birth_date,current_grade\n", err, errlen);
    c.services =
        open_out(out_dir, GEN_FILE_SERVICES, "msisdn,kind,quantity,on_date\n", err, errlen);
    if (c.workers == NULL || c.certs == NULL || c.children == NULL || c.services == NULL)
        rc = GY_EIO;

    for (unsigned long i = 0; rc == 0 && i < cfg->workers; i++)
        gen_one(&c, cfg->first + i);

    rc = close_out(c.workers, GEN_FILE_WORKERS, rc, err, errlen);
    rc = close_out(c.certs, GEN_FILE_CERTIFICATES, rc, err, errlen);
    rc = close_out(c.children, GEN_FILE_CHILDREN, rc, err, errlen);
    rc = close_out(c.services, GEN_FILE_SERVICES, rc, err, errlen);
    free(ref);
    if (rc == 0 && counts != NULL)
        *counts = c.counts;
    return rc;
}
