/* SPDX-License-Identifier: GPL-3.0-or-later */
/* db_import: the CSV import driver: decoding, header mapping, one transaction per file
 * (or per demo set), the report of rejected rows, the demo manifest. The kinds and their
 * rows live in import_reference.c and import_people.c. Never prints or logs. */
#include "db/db_import.h"
#include "base/gy_err.h"
#include "db/csv_reader.h"
#include "db/csv_text.h"
#include "db/import_int.h"

#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#define IMPORT_MAX_FILE (512L * 1024 * 1024)

static const struct import_kind_def *const kind_defs[IMPORT_KIND_COUNT] = {
    [IMPORT_OCCUPATIONS] = &import_def_occupations,
    [IMPORT_SHORTAGE] = &import_def_shortage,
    [IMPORT_GUIDE_PRICES] = &import_def_guide_prices,
    [IMPORT_SCHOOLS] = &import_def_schools,
    [IMPORT_ROUNDS] = &import_def_rounds,
    [IMPORT_SCHOOL_ROUNDS] = &import_def_school_rounds,
    [IMPORT_MIN_WAGES] = &import_def_min_wages,
    [IMPORT_GUIDELINES] = &import_def_guidelines,
    [IMPORT_SUBSIDIES] = &import_def_subsidies,
    [IMPORT_WORKERS] = &import_def_workers,
    [IMPORT_CERTIFICATES] = &import_def_certificates,
    [IMPORT_CHILDREN] = &import_def_children,
    [IMPORT_SERVICES] = &import_def_services,
    [IMPORT_DEDUCTIONS] = &import_def_deductions,
};

const char *
import_kind_name(enum import_kind kind)
{
    if ((int)kind < 0 || kind >= IMPORT_KIND_COUNT)
        return "?";
    return kind_defs[kind]->name;
}

int
import_kind_parse(const char *name, enum import_kind *out)
{
    char norm[32];
    size_t n = strlen(name);
    if (n == 0 || n >= sizeof(norm))
        return GY_EINVAL;
    for (size_t i = 0; i <= n; i++)
        norm[i] = name[i] == '_' ? '-' : name[i];
    for (int k = 0; k < IMPORT_KIND_COUNT; k++) {
        if (strcasecmp(norm, kind_defs[k]->name) == 0) {
            *out = (enum import_kind)k;
            return 0;
        }
    }
    return GY_EINVAL;
}

int
import_encoding_parse(const char *name, enum import_encoding *out)
{
    if (strcasecmp(name, "auto") == 0)
        *out = IMPORT_ENC_AUTO;
    else if (strcasecmp(name, "utf-8") == 0 || strcasecmp(name, "utf8") == 0)
        *out = IMPORT_ENC_UTF8;
    else if (strcasecmp(name, "gbk") == 0 || strcasecmp(name, "gb18030") == 0 ||
             strcasecmp(name, "gb2312") == 0)
        *out = IMPORT_ENC_GBK;
    else
        return GY_EINVAL;
    return 0;
}

const char *
import_encoding_name(enum import_encoding enc)
{
    switch (enc) {
    case IMPORT_ENC_AUTO:
        return "auto";
    case IMPORT_ENC_UTF8:
        return "utf-8";
    case IMPORT_ENC_GBK:
        return "gbk";
    }
    return "?";
}

void
import_report_fini(struct import_report *rep)
{
    if (rep == NULL)
        return;
    free(rep->rejects);
    memset(rep, 0, sizeof(*rep));
}

static void
add_reject(struct import_report *rep, enum import_kind kind, const char *label, long line,
           const char *fmt, ...) __attribute__((format(printf, 5, 6)));

static void
add_reject(struct import_report *rep, enum import_kind kind, const char *label, long line,
           const char *fmt, ...)
{
    rep->rejected++;
    if (rep->nrejects >= IMPORT_MAX_REJECTS)
        return;
    if (rep->nrejects == rep->cap) {
        size_t n = rep->cap ? rep->cap * 2 : 16;
        struct import_reject *r = realloc(rep->rejects, n * sizeof(*r));
        if (r == NULL)
            return; /* counted, not stored */
        rep->rejects = r;
        rep->cap = n;
    }
    struct import_reject *r = &rep->rejects[rep->nrejects++];
    r->line = line;
    r->kind = kind;
    int k = snprintf(r->message, sizeof(r->message), "%s", label ? label : "");
    if (k < 0 || (size_t)k >= sizeof(r->message))
        k = 0;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(r->message + k, sizeof(r->message) - (size_t)k, fmt, ap);
    va_end(ap);
}

/* Trims ASCII blanks in place; refuses control characters (and NUL). Returns the trimmed
 * value or NULL. */
static char *
clean_field(struct csv_field *f)
{
    for (size_t i = 0; i < f->len; i++) {
        unsigned char c = (unsigned char)f->s[i];
        if ((c < 0x20 && c != '\t') || c == 0x7F)
            return NULL;
    }
    char *s = f->s, *e = f->s + f->len;
    while (s < e && (*s == ' ' || *s == '\t'))
        s++;
    while (e > s && (e[-1] == ' ' || e[-1] == '\t'))
        e--;
    *e = '\0';
    return s;
}

static bool
col_matches(const struct import_column *c, const char *name)
{
    return strcasecmp(c->name, name) == 0 || (c->alias && strcasecmp(c->alias, name) == 0);
}

/* Maps header fields to columns: map[i] = column index of header field i. */
static int
read_header(struct csv_reader *r, const struct import_kind_def *def, enum import_kind kind,
            const char *label, struct import_report *rep, int *map, unsigned *present)
{
    int rc = csv_reader_next(r);
    if (rc == 0) {
        add_reject(rep, kind, label, 1, "empty file: no header row");
        return GY_EPARSE;
    }
    if (rc < 0) {
        add_reject(rep, kind, label, r->record_line, "header: %s", r->error);
        return rc;
    }
    if (r->nfields > IMPORT_MAX_COLS) {
        add_reject(rep, kind, label, r->record_line, "header: too many columns");
        return GY_EPARSE;
    }
    *present = 0;
    int bad = 0;
    for (size_t i = 0; i < r->nfields; i++) {
        char *name = clean_field(&r->fields[i]);
        int found = -1;
        for (size_t c = 0; name != NULL && c < def->ncols; c++) {
            if (col_matches(&def->cols[c], name))
                found = (int)c;
        }
        if (found < 0) {
            add_reject(rep, kind, label, r->record_line, "header: unknown column '%.40s' for %s",
                       name ? name : "?", def->name);
            bad = 1;
        } else if (*present & (1u << found)) {
            add_reject(rep, kind, label, r->record_line, "header: column '%s' given twice",
                       def->cols[found].name);
            bad = 1;
        } else
            *present |= 1u << found;
        map[i] = found;
    }
    for (size_t c = 0; c < def->ncols; c++) {
        if (def->cols[c].required && !(*present & (1u << c))) {
            add_reject(rep, kind, label, r->record_line, "header: missing column '%s'",
                       def->cols[c].name);
            bad = 1;
        }
    }
    return bad ? GY_EPARSE : 0;
}

static int
tx_begin(struct db *db, bool *own)
{
    *own = sqlite3_get_autocommit(db_sqlite(db)) != 0;
    return *own ? db_begin(db) : db_exec(db, "SAVEPOINT gy_import");
}

static int
tx_end(struct db *db, bool own, bool commit)
{
    if (commit)
        return own ? db_commit(db) : db_exec(db, "RELEASE gy_import");
    if (own)
        db_rollback(db);
    else
        db_exec(db, "ROLLBACK TO gy_import; RELEASE gy_import");
    return 0;
}

/* Imports decoded UTF-8 text inside the current transaction. Returns 0, GY_EPARSE
 * (rejects added) or a fatal code. *done receives the rows applied. */
static int
import_rows(struct db *db, enum import_kind kind, const struct csv_text *text, const char *label,
            struct import_report *rep, long *done)
{
    const struct import_kind_def *def = kind_defs[kind];
    struct import_ctx ctx;
    memset(&ctx, 0, sizeof(ctx));
    ctx.db = db;
    ctx.def = def;
    gy_date_today(&ctx.today); /* a bad GONGYOU_TODAY leaves the clock's date */
    gy_date_format(ctx.today, ctx.today_s);

    struct csv_reader r;
    csv_reader_init(&r, text->data, text->len);
    int map[IMPORT_MAX_COLS];
    long before = rep->rejected;
    int rc = read_header(&r, def, kind, label, rep, map, &ctx.present);
    size_t nhead = r.nfields;
    *done = 0;
    while (rc == 0) {
        int n = csv_reader_next(&r);
        if (n == 0)
            break;
        ctx.line = r.record_line;
        if (n == GY_ENOMEM) {
            add_reject(rep, kind, label, 0, "out of memory");
            rc = GY_ENOMEM;
            break;
        }
        rep->rows_read++;
        if (n < 0) {
            add_reject(rep, kind, label, r.record_line, "%s", r.error);
            continue;
        }
        bool blank = true;
        for (size_t i = 0; i < r.nfields; i++)
            blank = blank && r.fields[i].len == 0 && !r.fields[i].quoted;
        if (blank) {
            rep->rows_read--;
            continue;
        }
        if (r.nfields != nhead) {
            add_reject(rep, kind, label, r.record_line, "expected %zu fields, found %zu", nhead,
                       r.nfields);
            continue;
        }
        for (size_t c = 0; c < def->ncols; c++)
            ctx.val[c] = "";
        bool ok = true;
        for (size_t i = 0; i < r.nfields && ok; i++) {
            char *v = clean_field(&r.fields[i]);
            if (v == NULL) {
                add_reject(rep, kind, label, r.record_line, "%s: control character in value",
                           def->cols[map[i]].name);
                ok = false;
            } else
                ctx.val[map[i]] = v;
        }
        if (!ok)
            continue;
        ctx.msg[0] = '\0';
        int row = def->row(&ctx);
        if (row == 0) {
            (*done)++;
        } else if (row == GY_EPARSE) {
            add_reject(rep, kind, label, r.record_line, "%s", ctx.msg);
        } else {
            add_reject(rep, kind, label, r.record_line, "%s",
                       ctx.msg[0] ? ctx.msg : gy_strerror(row));
            rc = row;
        }
    }
    csv_reader_fini(&r);
    imp_keyset_fini(&ctx.keys);
    if (rc == 0 && rep->rejected > before)
        rc = GY_EPARSE;
    return rc;
}

/* Decodes, then imports data in its own transaction (or savepoint). */
static int
import_data(struct db *db, enum import_kind kind, const char *data, size_t len,
            enum import_encoding enc, const char *label, struct import_report *rep)
{
    if ((int)kind < 0 || kind >= IMPORT_KIND_COUNT) {
        add_reject(rep, kind, label, 0, "unknown kind of file");
        return GY_EINVAL;
    }
    char err[256];
    if (db_require_current(db, err, sizeof(err)) != 0) {
        add_reject(rep, kind, label, 0, "%.180s", err);
        return GY_ESCHEMA;
    }
    struct csv_text text;
    size_t bad = 0;
    enum csv_text_encoding want = enc == IMPORT_ENC_UTF8  ? CSV_TEXT_UTF8
                                  : enc == IMPORT_ENC_GBK ? CSV_TEXT_GBK
                                                          : CSV_TEXT_AUTO;
    int rc = csv_text_decode(data, len, want, &text, &bad);
    rep->encoding = text.encoding == CSV_TEXT_GBK ? IMPORT_ENC_GBK : IMPORT_ENC_UTF8;
    rep->bom = text.bom;
    if (rc == GY_ENOMEM) {
        add_reject(rep, kind, label, 0, "out of memory");
        return rc;
    }
    if (rc != 0) {
        long line = csv_text_line_at(data, len, bad);
        if (want == CSV_TEXT_AUTO && !text.bom)
            add_reject(rep, kind, label, line,
                       "neither UTF-8 nor GBK text: invalid bytes (use --encoding?)");
        else
            add_reject(rep, kind, label, line, "invalid %s bytes",
                       want == CSV_TEXT_GBK ? "GBK" : "UTF-8");
        csv_text_fini(&text);
        return GY_EPARSE;
    }
    bool own;
    if (tx_begin(db, &own) != 0) {
        add_reject(rep, kind, label, 0, "cannot start a transaction: %s", db_errmsg(db));
        csv_text_fini(&text);
        return GY_EDB;
    }
    long done = 0;
    rc = import_rows(db, kind, &text, label, rep, &done);
    csv_text_fini(&text);
    if (rc == 0 && tx_end(db, own, true) != 0) {
        add_reject(rep, kind, label, 0, "cannot commit: %s", db_errmsg(db));
        rc = GY_EDB;
    }
    if (rc != 0)
        tx_end(db, own, false);
    if (rc != 0)
        return rc;
    rep->imported += done;
    return 0;
}

int
import_buffer(struct db *db, enum import_kind kind, const char *data, size_t len,
              enum import_encoding enc, struct import_report *rep)
{
    return import_data(db, kind, data, len, enc, NULL, rep);
}

/* Reads a whole file into a new buffer (free()). Returns 0, GY_EIO, GY_ETOOBIG, GY_ENOMEM. */
static int
slurp(const char *path, char **out, size_t *len)
{
    *out = NULL;
    FILE *f = fopen(path, "rb");
    if (f == NULL)
        return GY_EIO;
    int rc = 0;
    size_t cap = 65536, n = 0;
    char *buf = malloc(cap);
    while (buf != NULL) {
        if (n == cap) {
            if (cap >= (size_t)IMPORT_MAX_FILE) {
                rc = GY_ETOOBIG;
                break;
            }
            char *b = realloc(buf, cap * 2);
            if (b == NULL)
                break;
            buf = b;
            cap *= 2;
        }
        size_t got = fread(buf + n, 1, cap - n, f);
        n += got;
        if (got == 0) {
            if (ferror(f))
                rc = GY_EIO;
            break;
        }
    }
    if (buf == NULL || (rc == 0 && n == cap && !feof(f)))
        rc = rc ? rc : GY_ENOMEM;
    fclose(f);
    if (rc != 0) {
        free(buf);
        return rc;
    }
    *out = buf;
    *len = n;
    return 0;
}

static int
import_path(struct db *db, enum import_kind kind, const char *path, enum import_encoding enc,
            const char *label, struct import_report *rep)
{
    char *data;
    size_t len;
    int rc = slurp(path, &data, &len);
    if (rc != 0) {
        add_reject(rep, kind, label, 0, "cannot read file: %s",
                   rc == GY_EIO ? strerror(errno) : gy_strerror(rc));
        return rc;
    }
    rc = import_data(db, kind, data, len, enc, label, rep);
    free(data);
    return rc;
}

int
import_file(struct db *db, enum import_kind kind, const char *path, enum import_encoding enc,
            struct import_report *rep)
{
    return import_path(db, kind, path, enc, NULL, rep);
}

int
import_demo(struct db *db, const char *demo_dir, struct import_report *rep)
{
    char path[PATH_MAX];
    snprintf(path, sizeof(path), "%s/manifest.txt", demo_dir);
    FILE *f = fopen(path, "r");
    if (f == NULL) {
        add_reject(rep, IMPORT_KIND_COUNT, "manifest.txt: ", 0, "cannot read: %s",
                   strerror(errno));
        return GY_EIO;
    }
    bool own;
    if (tx_begin(db, &own) != 0) {
        fclose(f);
        add_reject(rep, IMPORT_KIND_COUNT, NULL, 0, "cannot start a transaction");
        return GY_EDB;
    }
    long imported_before = rep->imported;
    char line[512];
    long lineno = 0;
    int rc = 0;
    while (rc == 0 && fgets(line, sizeof(line), f) != NULL) {
        lineno++;
        char kind_s[64], file[256], extra[8];
        char *hash = strchr(line, '#');
        if (hash != NULL)
            *hash = '\0';
        int n = sscanf(line, "%63s %255s %7s", kind_s, file, extra);
        if (n <= 0)
            continue;
        enum import_kind kind;
        if (n != 2 || import_kind_parse(kind_s, &kind) != 0 || strchr(file, '/') != NULL) {
            add_reject(rep, IMPORT_KIND_COUNT, "manifest.txt: ", lineno,
                       "expected 'kind file.csv'");
            rc = GY_EPARSE;
            break;
        }
        char label[280];
        snprintf(label, sizeof(label), "%s: ", file);
        snprintf(path, sizeof(path), "%s/%s", demo_dir, file);
        rc = import_path(db, kind, path, IMPORT_ENC_AUTO, label, rep);
    }
    fclose(f);
    if (rc == 0 && tx_end(db, own, true) != 0) {
        add_reject(rep, IMPORT_KIND_COUNT, NULL, 0, "cannot commit: %s", db_errmsg(db));
        rc = GY_EDB;
    }
    if (rc != 0) {
        tx_end(db, own, false);
        rep->imported = imported_before;
    }
    return rc;
}

static bool
has_manifest(const char *dir)
{
    char p[PATH_MAX + 16];
    int n = snprintf(p, sizeof(p), "%s/manifest.txt", dir);
    return n > 0 && (size_t)n < sizeof(p) && access(p, R_OK) == 0;
}

static int
found(const char *dir, char *out, size_t outlen)
{
    if (!has_manifest(dir) || strlen(dir) >= outlen)
        return GY_ENOTFOUND;
    snprintf(out, outlen, "%s", dir);
    return 0;
}

/* Tries DIR_OF(exe)/../../db/demo (build/bin), then ../../../db/demo (build/asan/bin). */
static int
from_exe(const char *exe, char *out, size_t outlen)
{
    static const char *const ups[] = {"/../../db/demo", "/../../../db/demo"};
    const char *slash = strrchr(exe, '/');
    if (slash == NULL)
        return GY_ENOTFOUND;
    for (size_t i = 0; i < sizeof(ups) / sizeof(ups[0]); i++) {
        char dir[PATH_MAX], real[PATH_MAX];
        int n = snprintf(dir, sizeof(dir), "%.*s%s", (int)(slash - exe), exe, ups[i]);
        if (n < 0 || (size_t)n >= sizeof(dir) || realpath(dir, real) == NULL)
            continue;
        if (found(real, out, outlen) == 0)
            return 0;
    }
    return GY_ENOTFOUND;
}

int
import_demo_dir_find(const char *exe_path, char *out, size_t outlen)
{
    const char *env = getenv("GONGYOU_DEMO_DIR");
    if (env != NULL && env[0] != '\0')
        return found(env, out, outlen);
    if (found("db/demo", out, outlen) == 0)
        return 0;
    char self[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", self, sizeof(self) - 1);
    if (n > 0) {
        self[n] = '\0';
        if (from_exe(self, out, outlen) == 0)
            return 0;
    }
    if (exe_path != NULL && from_exe(exe_path, out, outlen) == 0)
        return 0;
    return GY_ENOTFOUND;
}
