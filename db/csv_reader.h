/* SPDX-License-Identifier: GPL-3.0-or-later */
/* csv_reader: RFC 4180 records from a UTF-8 buffer in memory: quoted fields with "" and
 * embedded commas or line breaks, CRLF / LF / CR line ends, the line number where each
 * record starts. Does not decode or validate text (csv_text does) and allocates only
 * its reusable scratch buffers, never per record. */
#ifndef CSV_READER_H
#define CSV_READER_H

#include <stdbool.h>
#include <stddef.h>

struct csv_field {
    char *s; /* unquoted value, NUL-terminated, in the reader's scratch buffer: the caller
              * may edit it in place (trim); valid until the next csv_reader_next() */
    size_t len;
    bool quoted;
};

/* Reader state. Zero-initialise through csv_reader_init(); release with csv_reader_fini().
 * The input buffer stays owned by the caller and must outlive the reader. */
struct csv_reader {
    const char *p, *end;
    long line;                 /* line of the next unread byte */
    char *buf;                 /* unquoted field bytes of the current record */
    size_t buf_cap;
    size_t *offs;              /* start offset of each field in buf */
    struct csv_field *fields;  /* the current record */
    size_t nfields, fields_cap;
    long record_line;          /* line where the current record started */
    char error[96];            /* reason of the last GY_EPARSE */
};

void csv_reader_init(struct csv_reader *r, const char *data, size_t len);
void csv_reader_fini(struct csv_reader *r);

/* Reads the next record, skipping empty lines. Returns 1 with the record in
 * r->fields[0..r->nfields) starting at r->record_line; 0 at the end of input; GY_EPARSE
 * for a malformed record (unterminated quote, text after a closing quote, a quote inside
 * an unquoted field), with r->error and r->record_line set and the reader moved to the
 * next line, so reading can go on; GY_ENOMEM. */
int csv_reader_next(struct csv_reader *r);

#endif
