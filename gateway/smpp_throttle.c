/* SPDX-License-Identifier: GPL-3.0-or-later */
/* smpp_throttle: token bucket in thousandths of a token (a rate of r segments per second
 * refills r milli-tokens per ms, exactly), and the back-off pause after 0x58 / 0x14. */
#include "gateway/smpp_throttle.h"

#include "base/gy_err.h"
#include "gateway/smpp_pdu.h"

void
smpp_throttle_init(struct smpp_throttle *t, unsigned rate, unsigned burst, uint64_t pause_ms,
                   uint64_t pause_max_ms, uint64_t now_ms)
{
    if (burst == 0)
        burst = rate / 5 > 0 ? rate / 5 : 1;
    if (pause_ms == 0)
        pause_ms = 1000;
    if (pause_max_ms == 0)
        pause_max_ms = 64 * pause_ms;
    if (pause_max_ms < pause_ms)
        pause_max_ms = pause_ms;
    *t = (struct smpp_throttle){.rate = rate,
                                .burst_milli = (uint64_t)burst * 1000u,
                                .tokens_milli = (uint64_t)burst * 1000u,
                                .last_ms = now_ms,
                                .pause_base_ms = pause_ms,
                                .pause_max_ms = pause_max_ms};
}

static void
refill(struct smpp_throttle *t, uint64_t now_ms)
{
    if (now_ms <= t->last_ms)
        return;
    uint64_t add = (now_ms - t->last_ms) * t->rate;
    t->last_ms = now_ms;
    uint64_t room = t->burst_milli - t->tokens_milli;
    t->tokens_milli += add < room ? add : room;
}

bool
smpp_throttle_paused(const struct smpp_throttle *t, uint64_t now_ms)
{
    return now_ms < t->pause_until_ms;
}

bool
smpp_throttle_can(struct smpp_throttle *t, uint64_t now_ms, unsigned n)
{
    if (smpp_throttle_paused(t, now_ms))
        return false;
    if (t->rate == 0)
        return true;
    refill(t, now_ms);
    return t->tokens_milli >= (uint64_t)n * 1000u;
}

int
smpp_throttle_take(struct smpp_throttle *t, uint64_t now_ms, unsigned n)
{
    if (!smpp_throttle_can(t, now_ms, n))
        return GY_EBUSY;
    if (t->rate != 0)
        t->tokens_milli -= (uint64_t)n * 1000u;
    return 0;
}

uint64_t
smpp_throttle_wait_ms(struct smpp_throttle *t, uint64_t now_ms, unsigned n)
{
    uint64_t pause = smpp_throttle_paused(t, now_ms) ? t->pause_until_ms - now_ms : 0;
    if (t->rate == 0)
        return pause;
    refill(t, now_ms);
    uint64_t need = (uint64_t)n * 1000u;
    if (need > t->burst_milli)
        need = t->burst_milli;
    uint64_t wait = 0;
    if (t->tokens_milli < need)
        wait = (need - t->tokens_milli + t->rate - 1) / t->rate; /* ceil */
    return wait > pause ? wait : pause;
}

uint64_t
smpp_throttle_pause(struct smpp_throttle *t, uint64_t now_ms, uint64_t sent_ms)
{
    if (t->pauses > 0 && sent_ms <= t->pause_start_ms)
        return t->pause_cur_ms;
    if (t->pauses == 0)
        t->pause_cur_ms = t->pause_base_ms;
    else if (t->pause_cur_ms < t->pause_max_ms)
        t->pause_cur_ms =
            t->pause_cur_ms * 2 < t->pause_max_ms ? t->pause_cur_ms * 2 : t->pause_max_ms;
    t->pauses++;
    t->pause_start_ms = now_ms;
    uint64_t until = now_ms + t->pause_cur_ms;
    if (until > t->pause_until_ms)
        t->pause_until_ms = until;
    return t->pause_cur_ms;
}

void
smpp_throttle_success(struct smpp_throttle *t)
{
    t->pauses = 0;
}

bool
smpp_throttle_status(uint32_t command_status)
{
    return command_status == SMPP_ESME_RTHROTTLED || command_status == SMPP_ESME_RMSGQFUL;
}
