// SPDX-License-Identifier: GPL-3.0-or-later
// Scenario: node-smpp answers submit_sm with ids in one base and sends the delivery report
// with the same id in another base (hex with leading zeros vs decimal), as TLVs
// (receipted_message_id, message_state) or as the appendix B text only; gongyoud
// correlates them (outbox status delivered) and answers every report with ESME_ROK.
'use strict';

const test = require('node:test');
const assert = require('node:assert/strict');
const h = require('./harness');

// Names of the per-bind settings that say how the SMSC writes message ids in
// submit_sm_resp and in delivery reports (values "dec", "hex" or "text").
const KEY_SUBMIT = process.env.GY_IT_ID_KEY || 'submit_id_format';
const KEY_DLR = process.env.GY_IT_DLR_ID_KEY || 'report_id_format';

const cases = [
  { name: 'submit ids HEX with leading zeros, reports decimal in TLVs',
    peer: { idBase: 'HEX', idPad: 10, idStart: 0xa1b2, dlr: { form: 'tlv', base: 'dec', delayMs: 10 } },
    bind: { [KEY_SUBMIT]: 'hex', [KEY_DLR]: 'dec' } },
  { name: 'submit ids decimal, reports lower-case hex in the text only',
    peer: { idBase: 'dec', idStart: 987650, dlr: { form: 'text', base: 'hex', pad: 8, delayMs: 10 } },
    bind: { [KEY_SUBMIT]: 'dec', [KEY_DLR]: 'hex' } },
];

for (const c of cases) {
  test(`delivery reports: ${c.name}`, { timeout: 60000 }, (t) => h.scenario(t, {
    peer: c.peer, bind: { window: 5 },
  }, async (w) => {
    w.writeConfig(c.bind);
    const chk = require('child_process').spawnSync(`${h.BIN}/gongyoud`, ['--check', '-c', w.conf],
      { encoding: 'utf8' });
    assert.equal(chk.status, 0, `the configuration needs per-bind id bases ${KEY_SUBMIT} and ` +
      `${KEY_DLR} (set GY_IT_ID_KEY / GY_IT_DLR_ID_KEY to other names): ${chk.stderr}`);
    const msgs = h.texts('dlr', 10);
    w.enqueue('8613800138004', msgs);
    const d = w.startDaemon();
    await w.waitBound(d);
    await h.waitFor('every report answered', () => w.peer.dlrResponses.length >= msgs.length, 30000);
    const bad = w.peer.dlrResponses.filter((r) => r.status !== 0);
    assert.deepEqual(bad, [], 'every report answered ESME_ROK');
    await h.waitFor('outbox: every message delivered', () => w.messageStates().delivered === msgs.length,
      10000).catch((e) => {
      throw new Error(`${e.message}; states ${JSON.stringify(w.messageStates())}, segments ` +
        JSON.stringify(w.segments().slice(0, 3)) + `, report ids ${w.peer.delivers.slice(0, 3)
          .map((x) => x.id).join(' ')}`);
    });
    assert.ok(d.alive());
  }));
}
