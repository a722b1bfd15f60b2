/* SPDX-License-Identifier: GPL-3.0-or-later */
/* libFuzzer target for locale/keyword: any bytes are parsed; valid UTF-8 must give a
 * keyword and arguments that are valid UTF-8, a keyword of at most KW_MAX bytes that
 * parses to itself, and a lookup in the default alias table that does not crash. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "base/gy_err.h"
#include "locale/keyword.h"
#include "locale/text_utf8.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *text = (const char *)data;
    struct kw_parsed p;
    int rc = kw_parse(text, size, &p);
    int valid = text_utf8_validate(text, size, NULL) == 0;
    if (rc == GY_EENCODING && !valid && !p.word && !p.args)
        return 0;
    if (rc != 0 || !valid || !p.word || !p.args)
        abort();
    size_t wl = strlen(p.word), al = strlen(p.args);
    if (wl > KW_MAX || text_utf8_validate(p.word, wl, NULL) != 0 ||
        text_utf8_validate(p.args, al, NULL) != 0)
        abort();
    struct kw_parsed again;
    if (kw_parse(p.word, wl, &again) != 0 || strcmp(again.word, p.word) != 0 || *again.args)
        abort(); /* a keyword is a fixed point of the normalisation */
    kw_parsed_fini(&again);
    static struct kw_table *defaults; /* built once; still reachable at exit */
    if (!defaults && (!(defaults = kw_table_new()) || kw_table_add_defaults(defaults) != 0))
        abort();
    (void)kw_table_lookup(defaults, p.word);
    struct kw_table *t = kw_table_new();
    if (!t)
        abort();
    /* The input as an alias: accepted ones must then be found. */
    char *alias = malloc(size + 1);
    if (!alias)
        abort();
    memcpy(alias, data, size);
    alias[size] = '\0';
    if (kw_table_add(t, alias, "X") == 0 && strlen(alias) == size) {
        const char *c = kw_table_lookup(t, p.word);
        if (!c)
            abort();
    }
    free(alias);
    kw_table_free(t);
    kw_parsed_fini(&p);
    return 0;
}
