/* SPDX-License-Identifier: GPL-3.0-or-later */
/* csv_reader: an RFC 4180 record reader over a buffer, with line numbers. */
#include "db/csv_reader.h"
#include "base/gy_err.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void
csv_reader_init(struct csv_reader *r, const char *data, size_t len)
{
    memset(r, 0, sizeof(*r));
    r->p = data;
    r->end = data + len;
    r->line = 1;
}

void
csv_reader_fini(struct csv_reader *r)
{
    if (r == NULL)
        return;
    free(r->buf);
    free(r->offs);
    free(r->fields);
    memset(r, 0, sizeof(*r));
}

static int
buf_put(struct csv_reader *r, size_t *used, char c)
{
    if (*used + 1 >= r->buf_cap) {
        size_t n = r->buf_cap ? r->buf_cap * 2 : 256;
        char *b = realloc(r->buf, n);
        if (b == NULL)
            return GY_ENOMEM;
        r->buf = b;
        r->buf_cap = n;
    }
    r->buf[(*used)++] = c;
    return 0;
}

static int
field_start(struct csv_reader *r, size_t used)
{
    if (r->nfields == r->fields_cap) {
        size_t n = r->fields_cap ? r->fields_cap * 2 : 16;
        size_t *o = realloc(r->offs, n * sizeof(*o));
        if (o == NULL)
            return GY_ENOMEM;
        r->offs = o;
        struct csv_field *f = realloc(r->fields, n * sizeof(*f));
        if (f == NULL)
            return GY_ENOMEM;
        r->fields = f;
        r->fields_cap = n;
    }
    r->offs[r->nfields] = used;
    r->fields[r->nfields].quoted = false;
    r->nfields++;
    return 0;
}

/* Consumes one line end at r->p if there is one. Returns true when it did. */
static bool
eat_eol(struct csv_reader *r)
{
    if (r->p < r->end && *r->p == '\r') {
        r->p++;
        if (r->p < r->end && *r->p == '\n')
            r->p++;
        r->line++;
        return true;
    }
    if (r->p < r->end && *r->p == '\n') {
        r->p++;
        r->line++;
        return true;
    }
    return false;
}

static int
fail(struct csv_reader *r, const char *why)
{
    snprintf(r->error, sizeof(r->error), "%s", why);
    /* Resynchronise at the next physical line. */
    while (r->p < r->end && *r->p != '\n' && *r->p != '\r')
        r->p++;
    eat_eol(r);
    return GY_EPARSE;
}

int
csv_reader_next(struct csv_reader *r)
{
    r->nfields = 0;
    r->error[0] = '\0';
    while (r->p < r->end && eat_eol(r))
        ; /* empty lines */
    if (r->p >= r->end)
        return 0;
    r->record_line = r->line;
    size_t used = 0;
    for (;;) {
        if (field_start(r, used) != 0)
            return GY_ENOMEM;
        struct csv_field *f = &r->fields[r->nfields - 1];
        if (r->p < r->end && *r->p == '"') {
            f->quoted = true;
            r->p++;
            for (;;) {
                if (r->p >= r->end) {
                    snprintf(r->error, sizeof(r->error),
                             "unterminated quoted field (truncated line?)");
                    return GY_EPARSE;
                }
                char c = *r->p++;
                if (c == '"') {
                    if (r->p < r->end && *r->p == '"') {
                        r->p++;
                    } else
                        break;
                } else if (c == '\n' || (c == '\r' && (r->p >= r->end || *r->p != '\n')))
                    r->line++;
                if (buf_put(r, &used, c) != 0)
                    return GY_ENOMEM;
            }
            if (r->p < r->end && *r->p != ',' && *r->p != '\n' && *r->p != '\r')
                return fail(r, "text after a closing quote");
        } else {
            while (r->p < r->end && *r->p != ',' && *r->p != '\n' && *r->p != '\r') {
                if (*r->p == '"')
                    return fail(r, "quote inside an unquoted field (quote the whole field)");
                if (buf_put(r, &used, *r->p++) != 0)
                    return GY_ENOMEM;
            }
        }
        if (buf_put(r, &used, '\0') != 0)
            return GY_ENOMEM;
        if (r->p < r->end && *r->p == ',') {
            r->p++;
            continue;
        }
        eat_eol(r);
        break;
    }
    for (size_t i = 0; i < r->nfields; i++) {
        r->fields[i].s = r->buf + r->offs[i];
        size_t next = (i + 1 < r->nfields) ? r->offs[i + 1] : used;
        r->fields[i].len = next - r->offs[i] - 1;
    }
    return 1;
}
