// SPDX-License-Identifier: GPL-3.0-or-later
// Scenario: messages from workers (deliver_sm, not reports) are written to the inbox before
// gongyoud answers ESME_ROK, with their coding and TLVs as they came, then answered (the
// row is marked processed with its reply queued); while another process holds the
// database's write lock the answer is ESME_RX_T_APPN (0x64) so that the SMSC retries, and
// the same message is taken once the lock is gone; nothing is lost.
'use strict';

const test = require('node:test');
const assert = require('node:assert/strict');
const { spawn } = require('child_process');
const h = require('./harness');

const ESME_ROK = 0x00;
const ESME_RX_T_APPN = 0x64;

function inbox(w) {
  return h.sql(w.db, 'SELECT source_addr, dest_addr, data_coding, hex(body) AS body, ussd_op,' +
    ' its_session, state FROM inbox ORDER BY id');
}

test('messages from workers: stored before ESME_ROK; ESME_RX_T_APPN while the database is locked',
  { timeout: 60000 }, (t) => h.scenario(t, {}, async (w) => {
    const d = w.startDaemon();
    await w.waitBound(d);

    // 积分 in UCS-2 and a USSD start with its session info.
    assert.equal(await w.peer.sendMo({ source_addr: '8613800138000', destination_addr: '10658188',
      data_coding: 8, short_message: Buffer.from('79ef5206', 'hex') }), ESME_ROK);
    assert.equal(await w.peer.sendMo({ source_addr: '8613800138001', destination_addr: '188',
      short_message: '*188#', ussd_service_op: 1, its_session_info: Buffer.from([0x0a, 0x02]) }), ESME_ROK);
    let rows = inbox(w);
    assert.equal(rows.length, 2, 'both in the inbox when ROK arrived');
    const { state, ...row0 } = rows[0];
    assert.ok(state === 0 || state === 1);
    assert.deepEqual(row0, { source_addr: '8613800138000', dest_addr: '10658188',
      data_coding: 8, body: '79EF5206', ussd_op: null, its_session: null });
    assert.equal(rows[1].ussd_op, 1);
    assert.equal(rows[1].its_session, 0x0a02);
    // Both answered (this database holds no workers: the SMS reply says how to register),
    // the USSD main menu with op 2 while input is awaited.
    await h.waitFor('both rows processed', () => inbox(w).every((r) => r.state === 1), 10000);
    await h.waitFor('the two replies at the peer', () => w.peer.submits.length >= 2, 10000);
    const sms = w.peer.submits.find((x) => x.dest === '8613800138000');
    assert.ok(sms && /登记/.test(sms.text), `reply to an unregistered number: ${JSON.stringify(sms)}`);
    const ussd = w.peer.submits.find((x) => x.dest === '8613800138001');
    assert.ok(ussd, 'a USSD reply');
    assert.equal(ussd.ussd_op, 2, 'USSR request while input is awaited');
    assert.equal(ussd.registered_delivery, 0, 'no delivery report for USSD');

    // Another writer holds the lock (sqlite3 with an open exclusive transaction).
    const locker = spawn('sqlite3', [w.db], { stdio: ['pipe', 'ignore', 'inherit'] });
    locker.stdin.write('BEGIN EXCLUSIVE;\nSELECT 1;\n');
    await h.waitFor('the lock is held', () => {
      try { h.sql(w.db, 'BEGIN IMMEDIATE; ROLLBACK;'); return false; } catch (e) { return true; }
    }, 10000);
    try {
      const st = await w.peer.sendMo({ source_addr: '8613800138002', destination_addr: '10658188',
        short_message: 'JF' });
      assert.equal(st, ESME_RX_T_APPN, 'a locked database is answered with a retry');
    } finally {
      locker.stdin.end('ROLLBACK;\n');
      await new Promise((r) => locker.on('exit', r));
    }
    assert.ok(d.alive(), 'the daemon lives on');
    // The SMSC retries: now it is taken, once.
    assert.equal(await w.peer.sendMo({ source_addr: '8613800138002', destination_addr: '10658188',
      short_message: 'JF' }), ESME_ROK);
    rows = inbox(w);
    assert.equal(rows.length, 3);
    assert.equal(rows[2].body, Buffer.from('JF').toString('hex').toUpperCase());
    const e = await w.stopDaemon(d);
    assert.equal(e.code, 0);
  }));
