// SPDX-License-Identifier: GPL-3.0-or-later
// Scenario: node-smpp's side sends what no SMSC should: a deliver_sm whose body does not
// unpack, a command_length below the header, a command_length far past any limit, and an
// unknown command. Each malformed PDU resets that link only: the daemon lives on,
// rebinds, and later messages are delivered. The unknown command gets generic_nack
// (ESME_RINVCMDID) on the same link.
'use strict';

const test = require('node:test');
const assert = require('node:assert/strict');
const h = require('./harness');

test('malformed PDUs from the SMSC', { timeout: 60000 }, (t) => h.scenario(t, {
  bind: { window: 5, reconnect_min: 1, reconnect_max: 2 },
}, async (w) => {
  const d = w.startDaemon();
  await w.waitBound(d);
  let binds = w.peer.binds.length;
  for (const kind of ['body', 'length', 'huge']) {
    const conns = w.peer.connections;
    assert.equal(w.peer.sendMalformed(kind), 1, `malformed '${kind}' sent`);
    await h.waitFor(`the link reset after '${kind}'`, () => w.peer.closes >= conns, 15000);
    await h.waitFor(`a rebind after '${kind}'`, () => w.peer.binds.length > binds &&
      w.peer.boundSessions() === 1, 20000);
    assert.ok(d.alive(), `gongyoud lives on after '${kind}'`);
    binds = w.peer.binds.length;
  }
  const conns = w.peer.connections;
  assert.equal(w.peer.sendUnknownCommand(), 1);
  await h.waitFor('generic_nack for the unknown command', () => w.peer.nacks.length >= 1, 10000);
  assert.equal(w.peer.nacks[0].status, 0x03, 'ESME_RINVCMDID');
  assert.equal(w.peer.nacks[0].seq, 0x6000, 'the original sequence number');
  const msgs = h.texts('mal', 5);
  w.enqueue('8613800138005', msgs);
  await h.waitFor('later messages accepted', () => h.acceptedTexts(w.peer).length >= msgs.length,
    20000);
  assert.deepEqual(h.acceptedTexts(w.peer), msgs);
  assert.equal(w.peer.connections, conns, 'the unknown command did not reset the link');
  assert.ok(d.alive());
  const e = await w.stopDaemon(d);
  assert.equal(e.code, 0, `exit after SIGTERM: ${JSON.stringify(e)}`);
}));
