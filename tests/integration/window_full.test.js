// SPDX-License-Identifier: GPL-3.0-or-later
// Scenario: a backlog under a slow SMSC fills the window: node-smpp never sees more than
// W submits without a response, it does see W, and every message is accepted once and
// marked submitted in the outbox.
'use strict';

const test = require('node:test');
const assert = require('node:assert/strict');
const h = require('./harness');

for (const W of [1, 5]) {
  test(`full window under load (window ${W})`, { timeout: 60000 }, (t) => h.scenario(t, {
    bind: { window: W },
    peer: { delayMs: 40 },
  }, async (w) => {
    const msgs = h.texts(`win${W}`, 40);
    w.enqueue('8613800138000', msgs);
    const d = w.startDaemon();
    await w.waitBound(d);
    await h.waitFor('every message accepted', () => h.acceptedTexts(w.peer).length >= msgs.length,
      40000);
    t.diagnostic(`max outstanding at the peer: ${w.peer.maxOutstanding} (window ${W})`);
    assert.ok(w.peer.maxOutstanding <= W, `outstanding ${w.peer.maxOutstanding} > window ${W}`);
    assert.equal(w.peer.maxOutstanding, W, 'the backlog filled the window');
    assert.deepEqual([...h.acceptedTexts(w.peer)].sort(), msgs, 'each message accepted once');
    assert.equal(w.peer.submits[0].dest, '8613800138000');
    await h.waitFor('outbox: every message submitted', () => {
      const s = w.messageStates();
      return s.submitted + s.delivered === msgs.length;
    }, 10000);
    const segs = w.segments();
    assert.ok(segs.every((s) => s.smsc_id !== null && s.bind === 'peer'),
      'SMSC ids and bind recorded');
    assert.equal(w.peer.connections, 1);
  }));
}
