/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Transcript runner: plays one tests/transcripts file (*.txt; format in the README there)
 * through `gongyou simulate` on a fresh demo database and the shipped scripts, and checks
 * every expectation against the reply to the input above it. Run by ctest once per file
 * (transcript_NAME); every failed expectation is reported with its line and the reply. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "test_tmpdir.h"

#define TR_MAX_STEPS 256
#define TR_MAX_EXPECT 1024
#define TR_LINE 1024

/* One expectation about the reply to the step it follows. */
struct tr_expect {
    int line;       /* line in the transcript file */
    char kind;      /* 'c' contains, 'l' exact line, 'n' not contains, '=' status */
    char text[TR_LINE];
};

/* One '>' line and what its reply must satisfy. */
struct tr_step {
    int line;
    char input[TR_LINE];
    size_t first, n; /* expectations expects[first .. first+n) */
};

/* One @msisdn block: a simulator run. */
struct tr_block {
    int line;
    char msisdn[32];
    char channel[8];
    struct tr_step steps[TR_MAX_STEPS];
    size_t n_steps;
};

struct tr {
    const char *file;
    char dir[256];   /* temporary directory: database, input, output */
    char db[320];
    const char *bin; /* GONGYOU_BIN_DIR */
    const char *src; /* GONGYOU_SOURCE_DIR */
    struct tr_expect expects[TR_MAX_EXPECT];
    size_t n_expects;
    int failures;
};

static char *
trim(char *s)
{
    while (*s == ' ' || *s == '\t')
        s++;
    size_t n = strlen(s);
    while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\n' ||
                     s[n - 1] == '\r'))
        s[--n] = '\0';
    return s;
}

/* Runs argv with stdin from in (or /dev/null), stdout to out, stderr to err; returns the
 * exit status or -1. */
static int
run(char *const argv[], const char *in, const char *out, const char *err)
{
    fflush(NULL);
    pid_t pid = fork();
    if (pid < 0)
        return -1;
    if (pid == 0) {
        int fi = open(in != NULL ? in : "/dev/null", O_RDONLY);
        int fo = open(out, O_WRONLY | O_CREAT | O_TRUNC, 0600);
        int fe = open(err, O_WRONLY | O_CREAT | O_TRUNC, 0600);
        if (fi < 0 || fo < 0 || fe < 0 || dup2(fi, 0) < 0 || dup2(fo, 1) < 0 ||
            dup2(fe, 2) < 0)
            _exit(127);
        setenv("GONGYOU_TODAY", "2026-11-28", 0);
        execv(argv[0], argv);
        _exit(127);
    }
    int st = 0;
    if (waitpid(pid, &st, 0) != pid)
        return -1;
    return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

/* Reads a whole file into a new NUL-terminated buffer (free()), or NULL. */
static char *
slurp(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (f == NULL)
        return NULL;
    size_t cap = 4096, len = 0;
    char *buf = malloc(cap);
    size_t n;
    while (buf != NULL && (n = fread(buf + len, 1, cap - len - 1, f)) > 0) {
        len += n;
        if (cap - len < 2) {
            char *nb = realloc(buf, cap * 2);
            if (nb == NULL) {
                free(buf);
                buf = NULL;
                break;
            }
            buf = nb;
            cap *= 2;
        }
    }
    fclose(f);
    if (buf != NULL)
        buf[len] = '\0';
    return buf;
}

static void
report(struct tr *t, int line, const char *why, const char *input, const char *reply)
{
    t->failures++;
    print_error("%s:%d: %s\n  input: %s\n  reply:\n%s\n", t->file, line, why, input,
                reply != NULL ? reply : "(no reply)");
}

/* The reply is the text between its echo line "> input" and the next echo line. Checks one
 * expectation; returns true when it holds. */
static bool
check(const struct tr_expect *e, const char *reply)
{
    switch (e->kind) {
    case 'c':
        return strstr(reply, e->text) != NULL;
    case 'n':
        return strstr(reply, e->text) == NULL;
    case 'l': {
        size_t n = strlen(e->text);
        for (const char *p = reply; p != NULL && *p != '\0';) {
            const char *nl = strchr(p, '\n');
            size_t len = nl != NULL ? (size_t)(nl - p) : strlen(p);
            if (len == n && memcmp(p, e->text, n) == 0)
                return true;
            p = nl != NULL ? nl + 1 : NULL;
        }
        return false;
    }
    default: {
        /* '=' end | open | gsm7 | ucs2 | pages N | segments N */
        bool end = strstr(reply, "\n[END]") != NULL || strncmp(reply, "[END]", 5) == 0;
        if (strcmp(e->text, "end") == 0)
            return end;
        if (strcmp(e->text, "open") == 0)
            return !end && strstr(reply, "\n-- ") != NULL;
        if (strcmp(e->text, "gsm7") == 0)
            return strstr(reply, "-- GSM 7-bit") != NULL || strstr(reply, " GSM 7-bit") != NULL;
        if (strcmp(e->text, "ucs2") == 0)
            return strstr(reply, " UCS-2") != NULL;
        unsigned n = 0;
        char pat[64];
        if (sscanf(e->text, "pages %u", &n) == 1) {
            snprintf(pat, sizeof(pat), "/%u --", n);
            return strstr(reply, pat) != NULL;
        }
        if (sscanf(e->text, "segments %u", &n) == 1) {
            snprintf(pat, sizeof(pat), " %u segment", n);
            return strstr(reply, pat) != NULL;
        }
        return false;
    }
    }
}

/* Plays one block through the simulator and checks its steps. */
static void
play(struct tr *t, const struct tr_block *b)
{
    char in[400], out[400], err[400], exe[512], menus[512];
    assert_int_equal(test_tmpdir_path(in, sizeof(in), t->dir, "in.txt"), 0);
    assert_int_equal(test_tmpdir_path(out, sizeof(out), t->dir, "out.txt"), 0);
    assert_int_equal(test_tmpdir_path(err, sizeof(err), t->dir, "err.txt"), 0);
    snprintf(exe, sizeof(exe), "%s/gongyou", t->bin);
    snprintf(menus, sizeof(menus), "%s/menus/scripts", t->src);
    FILE *f = fopen(in, "w");
    assert_non_null(f);
    for (size_t i = 0; i < b->n_steps; i++)
        fprintf(f, "%s\n", b->steps[i].input);
    fclose(f);
    char *argv[] = {exe,        (char *)"simulate", (char *)"--msisdn", (char *)b->msisdn,
                    (char *)"--channel", (char *)b->channel, (char *)"--db", t->db,
                    (char *)"--menus", menus, NULL};
    int rc = run(argv, in, out, err);
    char *o = slurp(out);
    char *e = slurp(err);
    assert_non_null(o);
    if (rc != 0) {
        t->failures++;
        print_error("%s:%d: gongyou simulate exited with %d\n  stderr:\n%s\n  stdout:\n%s\n",
                    t->file, b->line, rc, e != NULL ? e : "", o);
    }
    /* Cut the output at the echo lines: one reply per step, in order. */
    char *p = o;
    for (size_t i = 0; i < b->n_steps; i++) {
        const struct tr_step *s = &b->steps[i];
        char echo[TR_LINE + 4];
        snprintf(echo, sizeof(echo), "> %s\n", s->input);
        char *start = NULL;
        if (p != NULL && strncmp(p, echo, strlen(echo)) == 0)
            start = p;
        else if (p != NULL) {
            char nl_echo[TR_LINE + 8];
            snprintf(nl_echo, sizeof(nl_echo), "\n%s", echo);
            char *q = strstr(p, nl_echo);
            start = q != NULL ? q + 1 : NULL;
        }
        if (start == NULL) {
            report(t, s->line, "the simulator did not echo this input", s->input, o);
            break;
        }
        char *body = start + strlen(echo);
        char *next = strstr(body, "\n> ");
        char saved = 0;
        if (next != NULL) {
            saved = next[1];
            next[1] = '\0';
        }
        for (size_t k = 0; k < s->n; k++) {
            const struct tr_expect *x = &t->expects[s->first + k];
            if (!check(x, body)) {
                char why[TR_LINE + 32];
                snprintf(why, sizeof(why), "expected %s%s",
                         x->kind == 'c'   ? "the reply to contain: "
                         : x->kind == 'l' ? "a reply line equal to: "
                         : x->kind == 'n' ? "the reply not to contain: "
                                          : "= ",
                         x->text);
                report(t, x->line, why, s->input, body);
            }
        }
        if (next != NULL) {
            next[1] = saved;
            p = next + 1;
        } else {
            p = NULL;
        }
    }
    free(o);
    free(e);
}

/* Parses the file block by block and plays each block as soon as it is complete. */
static void
run_file(struct tr *t)
{
    FILE *f = fopen(t->file, "r");
    if (f == NULL)
        fail_msg("cannot open %s", t->file);
    struct tr_block *b = calloc(1, sizeof(*b));
    assert_non_null(b);
    char buf[TR_LINE + 8];
    int lineno = 0;
    size_t n_blocks = 0, n_checks = 0;
    bool open_block = false;
    while (fgets(buf, sizeof(buf), f) != NULL) {
        lineno++;
        char *s = trim(buf);
        if (*s == '\0' || *s == '#')
            continue;
        if (strncmp(s, "@msisdn", 7) == 0) {
            if (open_block) {
                play(t, b);
                n_blocks++;
            }
            memset(b, 0, sizeof(*b));
            b->line = lineno;
            snprintf(b->msisdn, sizeof(b->msisdn), "%s", trim(s + 7));
            snprintf(b->channel, sizeof(b->channel), "ussd");
            t->n_expects = 0;
            open_block = true;
            continue;
        }
        if (!open_block)
            fail_msg("%s:%d: a block starts with @msisdn N", t->file, lineno);
        if (strncmp(s, "@channel", 8) == 0) {
            snprintf(b->channel, sizeof(b->channel), "%s", trim(s + 8));
            continue;
        }
        if (s[0] == '>') {
            if (b->n_steps == TR_MAX_STEPS)
                fail_msg("%s:%d: too many steps in one block", t->file, lineno);
            struct tr_step *st = &b->steps[b->n_steps++];
            st->line = lineno;
            snprintf(st->input, sizeof(st->input), "%s", s[1] == ' ' ? s + 2 : s + 1);
            st->first = t->n_expects;
            continue;
        }
        char kind = 0;
        const char *text = "";
        if (strncmp(s, "<=", 2) == 0)
            kind = 'l', text = s + 2;
        else if (strncmp(s, "<!", 2) == 0)
            kind = 'n', text = s + 2;
        else if (s[0] == '<')
            kind = 'c', text = s + 1;
        else if (s[0] == '=')
            kind = '=', text = s + 1;
        else
            fail_msg("%s:%d: unknown line (expected @, >, <, <=, <!, = or #)", t->file,
                     lineno);
        if (b->n_steps == 0)
            fail_msg("%s:%d: an expectation before any '>' line", t->file, lineno);
        if (t->n_expects == TR_MAX_EXPECT)
            fail_msg("%s:%d: too many expectations in one block", t->file, lineno);
        struct tr_expect *x = &t->expects[t->n_expects++];
        x->line = lineno;
        x->kind = kind;
        snprintf(x->text, sizeof(x->text), "%s", *text == ' ' ? text + 1 : text);
        b->steps[b->n_steps - 1].n++;
        n_checks++;
    }
    fclose(f);
    if (open_block) {
        play(t, b);
        n_blocks++;
    }
    free(b);
    if (n_blocks == 0 || n_checks == 0)
        fail_msg("%s: no session or no expectation: a transcript must be able to fail",
                 t->file);
    print_message("%s: %zu sessions, %zu expectations, %d failed\n", t->file, n_blocks,
                  n_checks, t->failures);
}

static const char *the_file;

static void
test_transcript(void **state)
{
    (void)state;
    struct tr *t = calloc(1, sizeof(*t));
    assert_non_null(t);
    t->file = the_file;
    t->bin = getenv("GONGYOU_BIN_DIR");
    t->src = getenv("GONGYOU_SOURCE_DIR");
    assert_non_null(t->bin);
    assert_non_null(t->src);
    assert_int_equal(test_tmpdir_make(t->dir, sizeof(t->dir), "gy-transcript-"), 0);
    assert_int_equal(test_tmpdir_path(t->db, sizeof(t->db), t->dir, "demo.db"), 0);
    char exe[512], out[400], err[400];
    snprintf(exe, sizeof(exe), "%s/gongyou", t->bin);
    assert_int_equal(test_tmpdir_path(out, sizeof(out), t->dir, "init.out"), 0);
    assert_int_equal(test_tmpdir_path(err, sizeof(err), t->dir, "init.err"), 0);
    char *argv[] = {exe, (char *)"db", (char *)"init", (char *)"--demo", (char *)"--db", t->db,
                    NULL};
    assert_int_equal(run(argv, NULL, out, err), 0);
    run_file(t);
    int failures = t->failures;
    test_tmpdir_remove(t->dir);
    free(t);
    assert_int_equal(failures, 0);
}

int
main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: %s TRANSCRIPT.txt\n", argv[0]);
        return 2;
    }
    the_file = argv[1];
    const struct CMUnitTest tests[] = {cmocka_unit_test(test_transcript)};
    return cmocka_run_group_tests_name(argv[1], tests, NULL, NULL);
}
