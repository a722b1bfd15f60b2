// SPDX-License-Identifier: GPL-3.0-or-later
// Scenario: SIGTERM with messages still queued: gongyoud stops taking work, drains its
// window, unbinds and exits 0; what was not acknowledged stays queued. A second start
// sends the rest, and in the end every message has arrived, with repeats at most a window.
// The stop line shows that the WAL checkpoints ran in the checkpoint thread.
'use strict';

const test = require('node:test');
const assert = require('node:assert/strict');
const h = require('./harness');

const W = 5;

test('SIGTERM with messages queued, restart, all delivered', { timeout: 60000 }, (t) => h.scenario(t, {
  bind: { window: W },
  peer: { delayMs: 150 },
}, async (w) => {
  const msgs = h.texts('term', 40);
  w.enqueue('8613800138006', msgs);
  const d1 = w.startDaemon();
  await w.waitBound(d1);
  await h.waitFor('ten messages accepted', () => h.acceptedTexts(w.peer).length >= 10, 20000);
  const e1 = await w.stopDaemon(d1);
  assert.equal(e1.code, 0, `exit after SIGTERM: ${JSON.stringify(e1)}`);
  // WAL checkpoints ran in the daemon's checkpoint thread (db/db_checkpointer.c), not in
  // its event loop; the stop line counts them.
  const ck = /checkpoint thread: (\d+) checkpoints, the longest [\d.]+ ms, (\d+) failed/.exec(d1.log());
  assert.ok(ck, 'the stop line reports the checkpoint thread');
  assert.ok(Number(ck[1]) >= 1, `checkpoints made: ${ck[1]}`);
  assert.equal(Number(ck[2]), 0, 'no failed checkpoint');
  assert.doesNotMatch(d1.log(), /checkpoints stay in the event loop/);
  assert.ok(w.peer.unbinds.length >= 1, 'unbind before exit');
  const firstRun = h.acceptedTexts(w.peer).length;
  assert.ok(firstRun < msgs.length, 'messages were still queued at SIGTERM');
  const after = w.messageStates();
  t.diagnostic(`after the first run: ${firstRun} accepted; outbox ${JSON.stringify(after)}`);
  assert.equal(after.submitted + after.delivered, firstRun,
    'the outbox has every accepted message, and only those, as submitted');
  assert.equal(after.queued, msgs.length - firstRun, 'the rest stays queued');

  const d2 = w.startDaemon();
  await w.waitBound(d2);
  await h.waitFor('every message accepted', () => new Set(h.acceptedTexts(w.peer)).size >= msgs.length,
    30000);
  await h.waitFor('outbox: every message submitted', () => {
    const s = w.messageStates();
    return s.submitted + s.delivered === msgs.length;
  }, 10000);
  let extra = 0;
  for (const n of h.receivedCounts(w.peer).values()) extra += n - 1;
  t.diagnostic(`${w.peer.submits.length} submits for ${msgs.length} messages, ${extra} repeated`);
  assert.ok(extra <= W, `${extra} repeats > window ${W}`);
  const e2 = await w.stopDaemon(d2);
  assert.equal(e2.code, 0);
}));
