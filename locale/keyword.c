/* SPDX-License-Identifier: GPL-3.0-or-later */
/* keyword: code points are folded (full width to half width, U+3000 to space, ASCII to
 * upper case in the keyword) and classed as space, punctuation, digit or letter; the first
 * run of letters and digits is the keyword. The alias table is an open-addressing hash. */
#include "locale/keyword.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "base/gy_err.h"
#include "locale/text_utf8.h"

enum cls { C_SPACE, C_PUNCT, C_DIGIT, C_LETTER };

static uint32_t
fold_width(uint32_t cp)
{
    if (cp >= 0xFF01 && cp <= 0xFF5E)
        return cp - 0xFEE0;
    if (cp == 0x3000)
        return 0x20;
    return cp;
}

static enum cls
classify(uint32_t cp)
{
    if (cp <= 0x20 || cp == 0x7F || (cp >= 0x80 && cp <= 0x9F) || cp == 0xA0 ||
        (cp >= 0x2000 && cp <= 0x200F) || cp == 0x2028 || cp == 0x2029 || cp == 0x202F ||
        cp == 0x205F || cp == 0x3000 || cp == 0xFEFF)
        return C_SPACE;
    if (cp >= '0' && cp <= '9')
        return C_DIGIT;
    if ((cp >= 0x21 && cp <= 0x2F) || (cp >= 0x3A && cp <= 0x40) || (cp >= 0x5B && cp <= 0x60) ||
        (cp >= 0x7B && cp <= 0x7E))
        return C_PUNCT;
    if (cp == 0xA1 || cp == 0xA7 || cp == 0xAB || cp == 0xB6 || cp == 0xB7 || cp == 0xBB ||
        cp == 0xBF)
        return C_PUNCT; /* Latin-1 punctuation and the middle dot */
    if ((cp >= 0x2010 && cp <= 0x2027) || (cp >= 0x2030 && cp <= 0x205E))
        return C_PUNCT; /* dashes, quotes “” ‘’, …, ※ */
    if ((cp >= 0x3001 && cp <= 0x3003) || (cp >= 0x3008 && cp <= 0x3011) ||
        (cp >= 0x3014 && cp <= 0x301F) || cp == 0x30FB)
        return C_PUNCT; /* 、。〃 〈〉《》「」『』【】 〔〕〖〗〘〙〚〛〜〝〞〟 ・ */
    if ((cp >= 0xFE10 && cp <= 0xFE19) || (cp >= 0xFE30 && cp <= 0xFE6B) ||
        (cp >= 0xFF5F && cp <= 0xFF65))
        return C_PUNCT; /* vertical, small and half-width CJK punctuation */
    return C_LETTER;
}

static uint32_t
fold_case(uint32_t cp)
{
    return (cp >= 'a' && cp <= 'z') ? cp - 32 : cp;
}

/* Appends the UTF-8 form of cps[from..to) to a new string; upper folds ASCII case. */
static char *
cps_to_utf8(const uint32_t *cps, size_t from, size_t to, int upper, size_t max_bytes)
{
    char *s = malloc((to > from ? to - from : 0) * 4 + 1);
    if (!s)
        return NULL;
    size_t n = 0;
    for (size_t i = from; i < to; i++) {
        char tmp[4];
        size_t k = text_utf8_put(upper ? fold_case(cps[i]) : cps[i], tmp);
        if (max_bytes && n + k > max_bytes)
            break;
        memcpy(s + n, tmp, k);
        n += k;
    }
    s[n] = '\0';
    return s;
}

void
kw_parsed_fini(struct kw_parsed *p)
{
    if (!p)
        return;
    free(p->word);
    free(p->args);
    p->word = NULL;
    p->args = NULL;
}

int
kw_parse(const char *text, size_t len, struct kw_parsed *out)
{
    if (!out || (!text && len))
        return GY_EINVAL;
    memset(out, 0, sizeof *out);
    if (len && text_utf8_validate(text, len, NULL) != 0)
        return GY_EENCODING;
    uint32_t *cps = malloc((len ? len : 1) * sizeof *cps);
    if (!cps)
        return GY_ENOMEM;
    size_t n = 0, pos = 0;
    while (pos < len) {
        int32_t cp = text_utf8_next(text, len, &pos);
        cps[n++] = fold_width(cp < 0 ? TEXT_REPLACEMENT_CHAR : (uint32_t)cp);
    }

    size_t i = 0, first_punct = n;
    while (i < n && classify(cps[i]) <= C_PUNCT) {
        if (first_punct == n && classify(cps[i]) == C_PUNCT)
            first_punct = i;
        i++;
    }
    size_t w0 = i, w1 = i;
    if (w0 == n && first_punct < n) {
        w0 = first_punct; /* punctuation only: "？" is the keyword "?" */
        w1 = first_punct + 1;
    } else {
        while (w1 < n && classify(cps[w1]) >= C_DIGIT) {
            if (w1 > w0 && classify(cps[w1]) == C_DIGIT && classify(cps[w1 - 1]) == C_LETTER)
                break;
            w1++;
        }
    }
    size_t a0 = w1 > w0 ? w1 : n, a1 = n;
    if (w0 == w1)
        a0 = n;
    while (a0 < a1 && classify(cps[a0]) <= C_PUNCT)
        a0++;
    while (a1 > a0 && classify(cps[a1 - 1]) <= C_PUNCT)
        a1--;
    out->word = cps_to_utf8(cps, w0, w1, 1, KW_MAX);
    out->args = cps_to_utf8(cps, a0, a1, 0, 0);
    free(cps);
    if (!out->word || !out->args) {
        kw_parsed_fini(out);
        return GY_ENOMEM;
    }
    return 0;
}

/* ---- alias table ---- */

struct kw_alias {
    char *alias;
    char *canonical;
};

struct kw_table {
    struct kw_alias *slots; /* n_slots, a power of two; alias NULL = free */
    size_t n_slots;
    size_t count;
};

static uint64_t
str_hash(const char *s)
{
    uint64_t h = 0xcbf29ce484222325ULL;
    for (; *s; s++) {
        h ^= (uint8_t)*s;
        h *= 0x100000001b3ULL;
    }
    return h;
}

struct kw_table *
kw_table_new(void)
{
    struct kw_table *t = calloc(1, sizeof *t);
    if (!t)
        return NULL;
    t->n_slots = 32;
    t->slots = calloc(t->n_slots, sizeof *t->slots);
    if (!t->slots) {
        free(t);
        return NULL;
    }
    return t;
}

void
kw_table_free(struct kw_table *t)
{
    if (!t)
        return;
    for (size_t i = 0; i < t->n_slots; i++) {
        free(t->slots[i].alias);
        free(t->slots[i].canonical);
    }
    free(t->slots);
    free(t);
}

static struct kw_alias *
slot_for(struct kw_alias *slots, size_t n_slots, const char *alias)
{
    size_t i = str_hash(alias) & (n_slots - 1);
    while (slots[i].alias && strcmp(slots[i].alias, alias) != 0)
        i = (i + 1) & (n_slots - 1);
    return &slots[i];
}

static int
table_grow(struct kw_table *t)
{
    size_t n = t->n_slots * 2;
    struct kw_alias *s = calloc(n, sizeof *s);
    if (!s)
        return GY_ENOMEM;
    for (size_t i = 0; i < t->n_slots; i++)
        if (t->slots[i].alias)
            *slot_for(s, n, t->slots[i].alias) = t->slots[i];
    free(t->slots);
    t->slots = s;
    t->n_slots = n;
    return 0;
}

int
kw_table_add(struct kw_table *t, const char *alias, const char *canonical)
{
    if (!t || !alias || !canonical || !*canonical)
        return GY_EINVAL;
    if (text_utf8_validate(canonical, strlen(canonical), NULL) != 0)
        return GY_EENCODING;
    struct kw_parsed p;
    int rc = kw_parse(alias, strlen(alias), &p);
    if (rc != 0)
        return rc;
    if (!*p.word || *p.args) {
        kw_parsed_fini(&p);
        return GY_EINVAL;
    }
    if ((t->count + 1) * 2 > t->n_slots && (rc = table_grow(t)) != 0) {
        kw_parsed_fini(&p);
        return rc;
    }
    struct kw_alias *s = slot_for(t->slots, t->n_slots, p.word);
    if (s->alias) {
        rc = strcmp(s->canonical, canonical) == 0 ? 0 : GY_EEXIST;
        kw_parsed_fini(&p);
        return rc;
    }
    char *c = strdup(canonical);
    if (!c) {
        kw_parsed_fini(&p);
        return GY_ENOMEM;
    }
    s->alias = p.word; /* takes the normalised word */
    s->canonical = c;
    free(p.args);
    t->count++;
    return 0;
}

int
kw_table_add_defaults(struct kw_table *t)
{
    static const char *const defaults[][2] = {
        {"JF", "JF"},   {"积分", "JF"}, {"RX", "RX"},   {"入学", "RX"}, {"GZ", "GZ"},
        {"工资", "GZ"}, {"BT", "BT"},   {"补贴", "BT"}, {"RH", "RH"},   {"入户", "RH"},
        {"TD", "TD"},   {"T", "TD"},    {"退订", "TD"}, {"DY", "DY"},   {"订阅", "DY"},
        {"BZ", "BZ"},   {"帮助", "BZ"}, {"HELP", "BZ"}, {"?", "BZ"},    {"EN", "EN"},
        {"ZW", "ZW"},   {"中文", "ZW"},
    };
    for (size_t i = 0; i < sizeof defaults / sizeof defaults[0]; i++) {
        int rc = kw_table_add(t, defaults[i][0], defaults[i][1]);
        if (rc != 0)
            return rc;
    }
    return 0;
}

const char *
kw_table_lookup(const struct kw_table *t, const char *word)
{
    if (!t || !word || !*word)
        return NULL;
    const struct kw_alias *s = slot_for(t->slots, t->n_slots, word);
    return s->alias ? s->canonical : NULL;
}

size_t
kw_table_count(const struct kw_table *t)
{
    return t ? t->count : 0;
}
