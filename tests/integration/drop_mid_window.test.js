// SPDX-License-Identifier: GPL-3.0-or-later
// Scenario: node-smpp drops the connection with submits outstanding (mid-window); gongyoud
// reconnects and every message arrives, the unanswered ones again, so that duplicates at
// the SMSC are at most the window size.
'use strict';

const test = require('node:test');
const assert = require('node:assert/strict');
const h = require('./harness');

const W = 5;

test('link dropped mid-window', { timeout: 60000 }, (t) => h.scenario(t, {
  bind: { window: W, reconnect_min: 1, reconnect_max: 2 },
  peer: { delayMs: 100, dropAfter: 8 },
}, async (w) => {
  const msgs = h.texts('drop', 30);
  w.enqueue('8613800138003', msgs);
  const d = w.startDaemon();
  await w.waitBound(d);
  await h.waitFor('the drop', () => w.peer.counts.dropped === 1, 20000);
  await h.waitFor('a second bind after the drop', () => w.peer.binds.length >= 2, 20000);
  await h.waitFor('every message accepted', () => new Set(h.acceptedTexts(w.peer)).size >= msgs.length,
    40000);
  assert.ok(d.alive(), 'gongyoud lives on');
  const accepted = h.acceptedTexts(w.peer);
  assert.deepEqual([...new Set(accepted)].sort(), msgs, 'every message arrived');
  assert.equal(accepted.length, msgs.length, 'nothing accepted twice');
  let extra = 0;
  for (const n of h.receivedCounts(w.peer).values()) extra += n - 1;
  t.diagnostic(`submits received ${w.peer.submits.length} for ${msgs.length} messages ` +
    `(${extra} repeated, window ${W})`);
  assert.ok(extra <= W, `${extra} repeated submits > window ${W}`);
  await h.waitFor('outbox: every message submitted', () => {
    const s = w.messageStates();
    return s.submitted + s.delivered === msgs.length;
  }, 10000);
}));
