/* SPDX-License-Identifier: GPL-3.0-or-later */
/* libFuzzer target comparing the two paths of the SMPP codec (gateway/smpp_codec_int.h): the
 * fast submit_sm/deliver_sm code and libsmpp34. Every input is decoded both ways (same return
 * code, same struct to the octet); what decodes is re-encoded both ways (same return code, same
 * octets), and what the fast encoder writes must decode again. abort() on any difference.
 * Input: one mode octet, then the PDU. Mode bits 0-1: 0 forces command_id submit_sm, 1 or 2
 * deliver_sm, 3 keeps the input's; bit 2 keeps the input's command_length (otherwise it is set
 * to the PDU's size); bits 4-7: when not 0, the encode buffer is that many sixteenths of
 * SMPP_ENCODE_MAX (to reach the buffer bound). */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "base/gy_err.h"
#include "gateway/smpp_codec.h"
#include "gateway/smpp_codec_int.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
put32(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)(v >> 24);
    p[1] = (uint8_t)(v >> 16);
    p[2] = (uint8_t)(v >> 8);
    p[3] = (uint8_t)v;
}

/* Both decoders on buf[len]; aborts unless they agree. Returns the common rc. */
static int
decode_both(const uint8_t *buf, size_t len, struct smpp_pdu *a)
{
    static struct smpp_pdu b;
    memset(a, 0xA5, sizeof *a);
    memset(&b, 0x5A, sizeof b);
    char ea[160] = "", eb[160] = "";
    int ra = codec_sm_decode_fast(buf, len, a, ea, sizeof ea);
    int rb = codec_sm_decode_l34(buf, len, &b, eb, sizeof eb);
    if (ra != rb || memcmp(a, &b, sizeof b) != 0)
        abort();
    if (ra != 0 && (ea[0] == '\0' || eb[0] == '\0'))
        abort();
    if (ra != 0 && ra != GY_EPARSE && ra != GY_ERANGE && ra != GY_ENOTFOUND && ra != GY_ETOOBIG)
        abort();
    return ra;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static uint8_t pdu[SMPP_PDU_MAX_LIMIT];
    static uint8_t ea[SMPP_ENCODE_MAX], eb[SMPP_ENCODE_MAX];
    static struct smpp_pdu p, q;
    if (size < 1 || size - 1 > sizeof pdu)
        return 0;
    uint8_t mode = data[0];
    size_t len = size - 1;
    memcpy(pdu, data + 1, len);
    if (len >= 8 && (mode & 3) != 3)
        put32(pdu + 4, (mode & 3) == 0 ? SMPP_SUBMIT_SM : SMPP_DELIVER_SM);
    if (len >= 4 && !(mode & 4))
        put32(pdu, (uint32_t)len);

    if (decode_both(pdu, len, &p) != 0)
        return 0;

    size_t cap = (mode >> 4) != 0 ? (size_t)(mode >> 4) * SMPP_ENCODE_MAX / 16 : sizeof ea;
    memset(ea, 0xA5, sizeof ea);
    memset(eb, 0x5A, sizeof eb);
    size_t na = 1, nb = 2;
    char xa[160] = "", xb[160] = "";
    int ra = codec_sm_encode_fast(&p, ea, cap, &na, xa, sizeof xa);
    int rb = codec_sm_encode_l34(&p, eb, cap, &nb, xb, sizeof xb);
    if (ra != rb || na != nb || (ra == 0 && memcmp(ea, eb, na) != 0))
        abort();
    if (ra != 0 && (na != 0 || xa[0] == '\0' || xb[0] == '\0'))
        abort();
    if (ra != 0 && ra != GY_EINVAL && ra != GY_ETOOBIG)
        abort();
    if (ra == 0 && decode_both(ea, na, &q) != 0)
        abort(); /* what we write, we read */
    return 0;
}
