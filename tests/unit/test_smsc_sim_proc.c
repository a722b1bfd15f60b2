/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test_smsc_sim_proc: build/bin/smsc-sim as a process on an ephemeral loopback port, driven
 * by a minimal blocking SMPP client made with the codec and by its console on stdin: bind
 * refused then accepted, submit and its delivery report in another base, an injected MO, a
 * throttled submit, a malformed PDU on a second connection, unbind, SIGTERM and summary. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <unistd.h>

#include "base/gy_err.h"
#include "gateway/smpp_codec.h"

/* A running smsc-sim: its pid, stdin (console) and stdout (one FILE for lines). */
struct sim_proc {
    pid_t pid;
    int in_fd;
    FILE *out;
    int port;
};

static void
sim_path(char *buf, size_t cap)
{
    const char *bin = getenv("GONGYOU_BIN_DIR");
    snprintf(buf, cap, "%s/smsc-sim", bin ? bin : "bin");
}

/* Starts smsc-sim with args (NULL-terminated, after the program name). */
static void
sim_start(struct sim_proc *p, const char *const *args)
{
    int in[2], out[2];
    assert_int_equal(pipe(in), 0);
    assert_int_equal(pipe(out), 0);
    char path[4096];
    sim_path(path, sizeof(path));
    const char *argv[32] = {path};
    size_t n = 1;
    for (; args[n - 1] && n < 31; n++)
        argv[n] = args[n - 1];
    argv[n] = NULL;
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        dup2(in[0], 0);
        dup2(out[1], 1);
        close(in[0]);
        close(in[1]);
        close(out[0]);
        close(out[1]);
        execv(path, (char *const *)argv);
        _exit(127);
    }
    close(in[0]);
    close(out[1]);
    p->pid = pid;
    p->in_fd = in[1];
    p->out = fdopen(out[0], "r");
    assert_non_null(p->out);
    p->port = 0;
}

/* Reads stdout lines until one contains want; returns it in line[cap]. Fails at EOF. */
static void
sim_expect(struct sim_proc *p, const char *want, char *line, size_t cap)
{
    while (fgets(line, (int)cap, p->out) != NULL) {
        if (strstr(line, want))
            return;
    }
    fail_msg("smsc-sim output ended without '%s'", want);
}

static void
sim_console(struct sim_proc *p, const char *cmd)
{
    size_t len = strlen(cmd);
    assert_int_equal(write(p->in_fd, cmd, len), (ssize_t)len);
}

/* Waits for the process; returns its exit status (or 128 + signal). */
static int
sim_wait(struct sim_proc *p)
{
    int st = 0;
    assert_int_equal(waitpid(p->pid, &st, 0), p->pid);
    p->pid = 0;
    return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

static void
sim_cleanup(struct sim_proc *p)
{
    if (p->pid > 0) {
        kill(p->pid, SIGKILL);
        waitpid(p->pid, NULL, 0);
        p->pid = 0;
    }
    if (p->in_fd >= 0)
        close(p->in_fd);
    p->in_fd = -1;
    if (p->out)
        fclose(p->out);
    p->out = NULL;
}

/* ---- the minimal client ---- */

static int
client_connect(int port)
{
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    assert_true(fd >= 0);
    /* A safety net against a hung simulator, not a timing assertion. */
    struct timeval tv = {.tv_sec = 20};
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
    int one = 1;
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    assert_int_equal(connect(fd, (struct sockaddr *)&a, sizeof(a)), 0);
    return fd;
}

static void
client_send_raw(int fd, const void *buf, size_t len)
{
    assert_int_equal(send(fd, buf, len, MSG_NOSIGNAL), (ssize_t)len);
}

static void
client_send(int fd, const struct smpp_pdu *pdu)
{
    uint8_t buf[SMPP_ENCODE_MAX];
    size_t len = 0;
    assert_int_equal(smpp_pdu_encode(pdu, buf, sizeof(buf), &len, NULL, 0), 0);
    client_send_raw(fd, buf, len);
}

/* Reads exactly len octets; returns 0, or -1 at end of stream. A reset counts as the end:
 * a simulator that closes while our last answer is still unread in its socket makes the
 * kernel send RST instead of FIN. */
static int
read_full(int fd, uint8_t *buf, size_t len)
{
    size_t got = 0;
    while (got < len) {
        ssize_t n = recv(fd, buf + got, len - got, 0);
        if (n == 0 || (n < 0 && errno == ECONNRESET))
            return -1;
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            fail_msg("recv: %s", strerror(errno));
        got += (size_t)n;
    }
    return 0;
}

/* Receives one PDU; returns 0, or -1 when the simulator closed the connection. */
static int
client_recv(int fd, struct smpp_pdu *pdu)
{
    uint8_t buf[8192];
    if (read_full(fd, buf, 4) != 0)
        return -1;
    uint32_t len = 0;
    assert_int_equal(smpp_frame_length(buf, 4, sizeof(buf), &len), 0);
    assert_true(len >= 16);
    if (read_full(fd, buf + 4, len - 4) != 0)
        return -1;
    char err[128] = "";
    int rc = smpp_pdu_decode(buf, len, pdu, err, sizeof(err));
    if (rc != 0)
        fail_msg("simulator sent an undecodable PDU: %s", err);
    return 0;
}

static void
client_bind(int fd, uint32_t seq, const char *pw, uint32_t want_status)
{
    struct smpp_pdu p, r;
    smpp_pdu_init(&p, SMPP_BIND_TRANSCEIVER, seq);
    strcpy(p.body.bind.system_id, "gongyou");
    strcpy(p.body.bind.password, pw);
    client_send(fd, &p);
    assert_int_equal(client_recv(fd, &r), 0);
    assert_int_equal(r.hdr.command_id, SMPP_BIND_TRANSCEIVER_RESP);
    assert_int_equal(r.hdr.sequence_number, seq);
    assert_int_equal(r.hdr.command_status, want_status);
}

static void
client_submit(int fd, uint32_t seq, uint8_t rd)
{
    struct smpp_pdu p;
    smpp_pdu_init(&p, SMPP_SUBMIT_SM, seq);
    strcpy(p.body.sm.source_addr, "10658888");
    p.body.sm.dest_addr_ton = 1;
    p.body.sm.dest_addr_npi = 1;
    strcpy(p.body.sm.destination_addr, "8613800138000");
    p.body.sm.registered_delivery = rd;
    smpp_sm_set_message(&p.body.sm, (const uint8_t *)"JF 114", 6);
    client_send(fd, &p);
}

static void
client_ack(int fd, const struct smpp_pdu *deliver)
{
    struct smpp_pdu r;
    smpp_pdu_init(&r, SMPP_DELIVER_SM_RESP, deliver->hdr.sequence_number);
    client_send(fd, &r);
}

/* ---- tests ---- */

static int
setup(void **state)
{
    struct sim_proc *p = calloc(1, sizeof(*p));
    if (p == NULL)
        return -1;
    p->in_fd = -1;
    *state = p;
    return 0;
}

static int
teardown(void **state)
{
    sim_cleanup(*state);
    free(*state);
    return 0;
}

static void
test_session(void **state)
{
    struct sim_proc *p = *state;
    static const char *const args[] = {
        "--listen",    "127.0.0.1:0", "--system-id",     "gongyou", "--password",     "secret",
        "--id-format", "HEX",         "--dlr-id-format", "dec",     "--dlr-delay-ms", "5",
        "--quiet",     NULL};
    sim_start(p, args);
    char line[4096];
    sim_expect(p, "listening on 127.0.0.1:", line, sizeof(line));
    p->port = atoi(strrchr(line, ':') + 1);
    assert_true(p->port > 0 && p->port < 65536);

    int fd = client_connect(p->port);
    struct smpp_pdu r;
    /* wrong password refused, the connection stays; then the right one */
    client_bind(fd, 1, "wrong", SMPP_ESME_RINVPASWD);
    client_bind(fd, 2, "secret", SMPP_ESME_ROK);

    struct smpp_pdu el;
    smpp_pdu_init(&el, SMPP_ENQUIRE_LINK, 3);
    client_send(fd, &el);
    assert_int_equal(client_recv(fd, &r), 0);
    assert_int_equal(r.hdr.command_id, SMPP_ENQUIRE_LINK_RESP);
    assert_int_equal(r.hdr.sequence_number, 3);

    /* submit: id in upper-case hex, the report's ids in decimal (TLV and text) */
    client_submit(fd, 4, 1);
    assert_int_equal(client_recv(fd, &r), 0);
    assert_int_equal(r.hdr.command_id, SMPP_SUBMIT_SM_RESP);
    assert_int_equal(r.hdr.sequence_number, 4);
    assert_int_equal(r.hdr.command_status, 0);
    assert_string_equal(r.body.sm_resp.message_id, "B2D05E00");
    assert_int_equal(client_recv(fd, &r), 0);
    assert_int_equal(r.hdr.command_id, SMPP_DELIVER_SM);
    assert_int_equal(r.body.sm.esm_class, SMPP_ESM_DELIVERY_RECEIPT);
    assert_string_equal(r.body.sm.tlv.receipted_message_id, "3000000000");
    assert_int_equal(r.body.sm.tlv.message_state, SMPP_STATE_DELIVERED);
    size_t mlen = 0;
    const char *m = (const char *)smpp_sm_message(&r.body.sm, &mlen);
    assert_true(mlen > 20);
    assert_memory_equal(m, "id:3000000000 ", 14);
    char text[256];
    snprintf(text, sizeof(text), "%.*s", (int)mlen, m);
    assert_non_null(strstr(text, " stat:DELIVRD "));
    client_ack(fd, &r);

    /* console: a worker texts 积分 (UCS-2) */
    sim_console(p, "mo 8613800138000 10658888 积分\n");
    assert_int_equal(client_recv(fd, &r), 0);
    assert_int_equal(r.hdr.command_id, SMPP_DELIVER_SM);
    assert_int_equal(r.body.sm.data_coding, 8);
    assert_string_equal(r.body.sm.source_addr, "8613800138000");
    assert_int_equal(r.body.sm.sm_length, 4);
    assert_memory_equal(r.body.sm.short_message, "\x79\xef\x52\x06", 4);
    client_ack(fd, &r);

    /* console: throttle the next submit; wait for its acknowledgement on stdout */
    sim_console(p, "throttle 1\n");
    sim_expect(p, "get ESME_RTHROTTLED", line, sizeof(line));
    client_submit(fd, 5, 0);
    assert_int_equal(client_recv(fd, &r), 0);
    assert_int_equal(r.hdr.sequence_number, 5);
    assert_int_equal(r.hdr.command_status, SMPP_ESME_RTHROTTLED);
    client_submit(fd, 6, 0);
    assert_int_equal(client_recv(fd, &r), 0);
    assert_int_equal(r.hdr.command_status, 0);
    assert_string_equal(r.body.sm_resp.message_id, "B2D05E01");

    /* a bad console line gets an error on stderr, the simulator lives on */
    sim_console(p, "frobnicate 1 2\nstats\n");
    sim_expect(p, "submits=3", line, sizeof(line));

    /* a malformed PDU on a second connection closes that one only */
    int bad = client_connect(p->port);
    static const uint8_t junk[] = {0, 0, 0, 20, 0, 0, 0,   4,   0,   0,
                                   0, 0, 0, 0,  0, 1, 'a', 'b', 'c', 'd'};
    client_send_raw(bad, junk, sizeof(junk));
    assert_int_equal(client_recv(bad, &r), -1);
    close(bad);
    bad = client_connect(p->port);
    static const uint8_t huge[] = {0x7f, 0xff, 0xff, 0xff, 0, 0, 0, 4};
    client_send_raw(bad, huge, sizeof(huge));
    assert_int_equal(client_recv(bad, &r), -1);
    close(bad);
    smpp_pdu_init(&el, SMPP_ENQUIRE_LINK, 7);
    client_send(fd, &el);
    assert_int_equal(client_recv(fd, &r), 0);
    assert_int_equal(r.hdr.command_id, SMPP_ENQUIRE_LINK_RESP);

    /* unbind: answered, then the simulator closes */
    struct smpp_pdu ub;
    smpp_pdu_init(&ub, SMPP_UNBIND, 8);
    client_send(fd, &ub);
    assert_int_equal(client_recv(fd, &r), 0);
    assert_int_equal(r.hdr.command_id, SMPP_UNBIND_RESP);
    assert_int_equal(client_recv(fd, &r), -1);
    close(fd);

    /* stopped by PID */
    assert_int_equal(kill(p->pid, SIGTERM), 0);
    sim_expect(p, "summary:", line, sizeof(line));
    assert_non_null(strstr(line, "submits=3 ok=2 throttled=1"));
    assert_non_null(strstr(line, "malformed=2"));
    assert_non_null(strstr(line, "mo=1"));
    assert_non_null(strstr(line, "binds=1 refused=1"));
    assert_int_equal(sim_wait(p), 0);
}

static void
test_redelivery(void **state)
{
    struct sim_proc *p = *state;
    static const char *const args[] = {"--listen", "127.0.0.1:0", "--redeliver-ms",
                                       "10",       "--quiet",     NULL};
    sim_start(p, args);
    char line[4096];
    sim_expect(p, "listening on 127.0.0.1:", line, sizeof(line));
    p->port = atoi(strrchr(line, ':') + 1);
    struct smpp_pdu r, again;

    /* A takes the MO and disconnects without answering it */
    int a = client_connect(p->port);
    client_bind(a, 1, "pw", SMPP_ESME_ROK);
    sim_console(p, "mo 8613800138002 10658888 RH\n");
    assert_int_equal(client_recv(a, &r), 0);
    assert_int_equal(r.hdr.command_id, SMPP_DELIVER_SM);
    close(a);

    /* B gets it again (whether B binds before or after the simulator sees A go) */
    int b = client_connect(p->port);
    client_bind(b, 1, "pw", SMPP_ESME_ROK);
    assert_int_equal(client_recv(b, &again), 0);
    assert_int_equal(again.hdr.command_id, SMPP_DELIVER_SM);
    assert_memory_equal(&again.body.sm, &r.body.sm, sizeof(r.body.sm));

    /* a temporary refusal: it comes once more; then ESME_ROK ends it */
    struct smpp_pdu resp;
    smpp_pdu_init(&resp, SMPP_DELIVER_SM_RESP, again.hdr.sequence_number);
    resp.hdr.command_status = SMPP_ESME_RX_T_APPN;
    client_send(b, &resp);
    assert_int_equal(client_recv(b, &again), 0);
    assert_int_equal(again.hdr.command_id, SMPP_DELIVER_SM);
    assert_memory_equal(&again.body.sm, &r.body.sm, sizeof(r.body.sm));
    client_ack(b, &again);
    struct smpp_pdu el;
    smpp_pdu_init(&el, SMPP_ENQUIRE_LINK, 9); /* answered after the ack was taken */
    client_send(b, &el);
    assert_int_equal(client_recv(b, &r), 0);
    assert_int_equal(r.hdr.command_id, SMPP_ENQUIRE_LINK_RESP);
    close(b);

    assert_int_equal(kill(p->pid, SIGTERM), 0);
    sim_expect(p, "summary:", line, sizeof(line));
    assert_non_null(strstr(line, "deliver_resp_ok=1 deliver_resp_err=1"));
    assert_non_null(strstr(line, "redelivered=1 requeued=1"));
    assert_int_equal(sim_wait(p), 0);
}

static void
test_options(void **state)
{
    struct sim_proc *p = *state;
    static const struct {
        const char *args[6];
        int status;
        const char *out;
    } rows[] = {
        {{"--version", NULL}, 0, "smsc-sim "},
        {{"--help", NULL}, 0, "--dlr-id-format"},
        {{"--listen", "192.0.2.1:2775", NULL}, 2, NULL},
        {{"--listen", "127.0.0.1:99999", NULL}, 2, NULL},
        {{"--id-format", "octal", NULL}, 2, NULL},
        {{"--throttle-every", "x", NULL}, 2, NULL},
        {{"--no-such-option", NULL}, 2, NULL},
        {{"--script", "/nonexistent/smsc-sim-script", "--listen", "127.0.0.1:0"}, 1, NULL},
    };
    for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
        sim_start(p, rows[i].args);
        char line[4096];
        if (rows[i].out)
            sim_expect(p, rows[i].out, line, sizeof(line));
        assert_int_equal(sim_wait(p), rows[i].status);
        sim_cleanup(p);
    }
}

static void
test_script(void **state)
{
    struct sim_proc *p = *state;
    /* A script that waits for a receiver, injects a USSD dialogue opening and quits. */
    char path[] = "/tmp/test_smsc_sim_script_XXXXXX";
    const char *tmp = getenv("TMPDIR");
    char tpath[4096];
    snprintf(tpath, sizeof(tpath), "%s/test_smsc_sim_script_XXXXXX", tmp && *tmp ? tmp : "/tmp");
    int sfd = mkstemp(tpath);
    if (sfd < 0) {
        sfd = mkstemp(path);
        snprintf(tpath, sizeof(tpath), "%s", path);
    }
    assert_true(sfd >= 0);
    static const char script[] = "# demo\nwait-bind\nussd 8613800138000 *188#\nsleep 1\n"
                                 "bad command here\nquit\n";
    assert_int_equal(write(sfd, script, sizeof(script) - 1), (ssize_t)sizeof(script) - 1);
    close(sfd);
    const char *args[] = {"--listen", "127.0.0.1:0", "--script", tpath, "--no-console", NULL};
    sim_start(p, args);
    char line[4096];
    sim_expect(p, "listening on 127.0.0.1:", line, sizeof(line));
    int port = atoi(strrchr(line, ':') + 1);
    int fd = client_connect(port);
    client_bind(fd, 1, "any", SMPP_ESME_ROK);
    struct smpp_pdu r;
    assert_int_equal(client_recv(fd, &r), 0);
    assert_int_equal(r.hdr.command_id, SMPP_DELIVER_SM);
    assert_string_equal(r.body.sm.service_type, "USSD");
    assert_int_equal(r.body.sm.tlv.ussd_service_op, SMPP_USSD_PSSR_IND);
    assert_memory_equal(r.body.sm.short_message, "*188#", 5);
    client_ack(fd, &r);
    /* quit closes the connection and exits 0 */
    assert_int_equal(client_recv(fd, &r), -1);
    close(fd);
    sim_expect(p, "summary:", line, sizeof(line));
    assert_non_null(strstr(line, "ussd=1"));
    assert_int_equal(sim_wait(p), 0);
    unlink(tpath);
}

int
main(void)
{
    signal(SIGPIPE, SIG_IGN);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_session, setup, teardown),
        cmocka_unit_test_setup_teardown(test_redelivery, setup, teardown),
        cmocka_unit_test_setup_teardown(test_options, setup, teardown),
        cmocka_unit_test_setup_teardown(test_script, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
