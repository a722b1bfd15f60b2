/* SPDX-License-Identifier: GPL-3.0-or-later */
/* libFuzzer target for locale/catalog: the input is loaded as a catalog file; a good load
 * must give valid UTF-8 texts reachable by every listed key; every text, and the input
 * itself as a template, goes through ${name} expansion. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "base/gy_err.h"
#include "locale/catalog.h"
#include "locale/text_utf8.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char *const vars[][2] = {{"keyword", "JF"}, {"limit", "20"}, {"ussd", "*188#"}};

static void
expand(const char *tmpl)
{
    size_t unknown = 0;
    char *s = catalog_expand(tmpl, vars, 3, &unknown);
    if (!s)
        abort();
    if (text_utf8_validate(tmpl, strlen(tmpl), NULL) == 0 &&
        text_utf8_validate(s, strlen(s), NULL) != 0)
        abort(); /* expansion of valid UTF-8 with valid values stays valid */
    free(s);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct catalog *c = catalog_new();
    if (!c)
        abort();
    struct catalog_error err;
    memset(&err, 0, sizeof err);
    int rc = catalog_load_text(c, "zh", "fuzz.cat", (const char *)data, size, &err);
    if (rc == 0) {
        size_t n = catalog_key_count(c, "zh");
        for (size_t i = 0; i < n; i++) {
            const char *key = catalog_key_at(c, "zh", i);
            const char *text = catalog_get(c, "en", key); /* through the fallback */
            if (!key || !text || text_utf8_validate(text, strlen(text), NULL) != 0)
                abort();
            expand(text);
        }
    } else if (rc != GY_EPARSE || err.line < 1) {
        abort();
    }
    char *tmpl = malloc(size + 1);
    if (!tmpl)
        abort();
    memcpy(tmpl, data, size);
    tmpl[size] = '\0';
    expand(tmpl);
    free(tmpl);
    catalog_free(c);
    return 0;
}
