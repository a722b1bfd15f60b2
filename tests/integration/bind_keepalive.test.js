// SPDX-License-Identifier: GPL-3.0-or-later
// Scenario: gongyoud binds to node-smpp with the configured credentials and interface
// version 0x34, keeps the idle link alive with enquire_link within the configured interval,
// and survives a refused bind (wrong password): it stays up, retries, and binds once the
// SMSC accepts.
'use strict';

const test = require('node:test');
const assert = require('node:assert/strict');
const h = require('./harness');

const INTERVAL_S = 5; // the smallest enquire_link_interval the configuration allows

test('bind and keepalive', { timeout: 60000 }, (t) => h.scenario(t, {
  bind: { enquire_link_interval: INTERVAL_S },
}, async (w) => {
  const d = w.startDaemon();
  await w.waitBound(d);
  const b = w.peer.binds[0];
  assert.equal(b.command, 'bind_transceiver');
  assert.equal(b.system_id, 'gytest');
  assert.equal(b.password, 'secret');
  assert.equal(b.interface_version, 0x34);
  const boundAt = b.t;
  // Two enquire_links on an idle link, each within the interval (plus slack for a loaded
  // machine); the wait is a bound, the figure is printed.
  await h.waitFor('the first enquire_link', () => w.peer.enquireLinks.length >= 1,
    INTERVAL_S * 1000 + 5000);
  await h.waitFor('a second enquire_link', () => w.peer.enquireLinks.length >= 2,
    INTERVAL_S * 1000 + 5000);
  const gaps = [w.peer.enquireLinks[0] - boundAt, w.peer.enquireLinks[1] - w.peer.enquireLinks[0]];
  t.diagnostic(`enquire_link after ${gaps.map((g) => Math.round(g)).join(' ms, then ')} ms ` +
    `(interval ${INTERVAL_S} s)`);
  assert.ok(d.alive(), 'gongyoud still running');
  assert.equal(w.peer.connections, 1, 'the answered keepalives kept the first connection');
  assert.equal(w.peer.binds.length, 1, 'no rebind');
  const e = await w.stopDaemon(d);
  assert.equal(e.code, 0, `exit status after SIGTERM: ${JSON.stringify(e)}`);
}));

test('bind refused, retried, then accepted', { timeout: 60000 }, (t) => h.scenario(t, {
  peer: { password: 'other' },
}, async (w) => {
  const d = w.startDaemon();
  await h.waitFor('two refused binds', () => {
    if (!d.alive()) {
      throw new Error(`gongyoud exited: ${JSON.stringify(d.exit)}\n${h.tail(d.log())}`);
    }
    return w.peer.binds.filter((b) => b.status === 0x0e).length >= 2;
  }, 20000);
  assert.ok(d.alive(), 'gongyoud lives on after refused binds');
  assert.equal(w.peer.boundSessions(), 0);
  const log = d.log();
  if (!/RINVPASWD|0x0*e\b|status 14\b/i.test(log)) {
    t.diagnostic('note: the refusal status (ESME_RINVPASWD 0x0E) was not found in the log');
  }
  w.peer.set({ password: 'secret' });
  await w.waitBound(d, 1, 20000);
  assert.ok(d.alive());
}));
