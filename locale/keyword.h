/* SPDX-License-Identifier: GPL-3.0-or-later */
/* keyword: normalises an incoming SMS into a keyword and its arguments (full-width ASCII
 * folded to half-width, U+3000 to a space, ASCII case folded, ASCII and Chinese punctuation
 * around the keyword stripped) and maps configured aliases to canonical keywords.
 * Pure: no I/O, no logging. Input and output are UTF-8. */
#ifndef KEYWORD_H
#define KEYWORD_H

#include <stddef.h>

/* Longest keyword (bytes of UTF-8) kept; a longer first word is cut at a character. */
#define KW_MAX 64

/* The result of kw_parse(). Owned by the caller's struct: release with kw_parsed_fini(). */
struct kw_parsed {
    char *word; /* first word: width- and case-folded, punctuation stripped; "" when the text
                 * has no word (empty, spaces only). A text of punctuation only ("？") gives
                 * that punctuation folded ("?"). */
    char *args; /* the rest, width-folded (case kept), surrounding spaces and punctuation
                 * stripped; "" when none */
};

/* Splits text[0..len) (UTF-8) into keyword and arguments. The keyword ends at a space or a
 * punctuation mark, and also where digits follow letters or Chinese characters, so that
 * 积分123 and JF123 give the keyword and "123". Returns 0 (out filled, even for empty text),
 * GY_EENCODING for invalid UTF-8 (out zeroed), GY_EINVAL, GY_ENOMEM. */
int kw_parse(const char *text, size_t len, struct kw_parsed *out);
/* Frees the strings of p and zeroes it; safe on a zeroed struct. */
void kw_parsed_fini(struct kw_parsed *p);

/* Maps normalised aliases to canonical keywords. */
struct kw_table;

/* Returns a new empty table owned by the caller; free with kw_table_free(). NULL on ENOMEM. */
struct kw_table *kw_table_new(void);
/* Frees t; NULL is a no-op. */
void kw_table_free(struct kw_table *t);

/* Adds alias -> canonical (both copied; the alias is normalised like kw_parse's keyword, so
 * "ｊｆ" and "jf" are the same alias; the canonical name is stored as given). Returns 0,
 * GY_EEXIST when the alias already maps to another canonical keyword, GY_EINVAL when the
 * alias is not one keyword of its own (empty, two words, letters followed by digits) or
 * canonical is empty, GY_EENCODING for invalid UTF-8, GY_ENOMEM. */
int kw_table_add(struct kw_table *t, const char *alias, const char *canonical);

/* Adds the defaults of DESIGN.md point 5: JF 积分, RX 入学, GZ 工资, BT 补贴, RH 入户,
 * TD T 退订, DY 订阅, BZ 帮助 HELP ?, EN, ZW 中文 (canonical names are the first of each
 * group). Returns 0 or the first error of kw_table_add(). */
int kw_table_add_defaults(struct kw_table *t);

/* Canonical keyword for an already normalised word (kw_parsed.word), or NULL. The string
 * belongs to t. */
const char *kw_table_lookup(const struct kw_table *t, const char *word);

/* Number of aliases in t. */
size_t kw_table_count(const struct kw_table *t);

#endif
