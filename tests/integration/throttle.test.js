// SPDX-License-Identifier: GPL-3.0-or-later
// Scenario: node-smpp answers submits with ESME_RTHROTTLED (0x58); the bind pauses, the
// throttled messages are retried in their original order, and every message is accepted
// exactly once.
'use strict';

const test = require('node:test');
const assert = require('node:assert/strict');
const h = require('./harness');

test('0x58 throttling, then success in order (window 1)', { timeout: 60000 }, (t) => h.scenario(t, {
  bind: { window: 1, throttle_pause: 200 },
  peer: { throttleNext: 3 },
}, async (w) => {
  const msgs = h.texts('thr', 12);
  w.enqueue('8613800138001', msgs);
  const d = w.startDaemon();
  await w.waitBound(d);
  await h.waitFor('every message accepted', () => h.acceptedTexts(w.peer).length >= msgs.length,
    40000);
  assert.equal(w.peer.counts.throttled, 3);
  assert.deepEqual(h.acceptedTexts(w.peer), msgs, 'accepted in enqueue order');
  // Everything the peer received, in order, is the enqueue order with repeats only of the
  // message that was throttled.
  const seen = w.peer.submits.map((s) => s.text);
  assert.deepEqual([...new Set(seen)], msgs, 'never a later message before an earlier one');
  await h.waitFor('outbox: every message submitted', () => {
    const s = w.messageStates();
    return s.submitted + s.delivered === msgs.length;
  }, 10000);
  assert.ok(d.alive());
}));

test('0x58 throttling with a window of 5', { timeout: 60000 }, (t) => h.scenario(t, {
  bind: { window: 5, throttle_pause: 200 },
  peer: { throttleNext: 3, delayMs: 20 },
}, async (w) => {
  const msgs = h.texts('thw', 30);
  w.enqueue('8613800138002', msgs);
  const d = w.startDaemon();
  await w.waitBound(d);
  await h.waitFor('every message accepted', () => h.acceptedTexts(w.peer).length >= msgs.length,
    40000);
  const accepted = h.acceptedTexts(w.peer);
  assert.deepEqual([...accepted].sort(), msgs, 'each message accepted exactly once');
  const throttled = w.peer.submits.filter((s) => s.outcome === 'throttled').map((s) => s.text);
  assert.equal(throttled.length, 3);
  const retried = accepted.filter((x) => throttled.includes(x));
  assert.deepEqual(retried, throttled, 'throttled messages retried in their order');
  assert.ok(w.peer.maxOutstanding <= 5);
  assert.ok(d.alive());
}));
