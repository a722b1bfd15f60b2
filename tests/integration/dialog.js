// SPDX-License-Identifier: GPL-3.0-or-later
// dialog.js: runs a dialogue script (tests/integration/dialogs/*.txt, STYLE.md point 12)
// against gongyoud with the node-smpp peer playing the USSD gateway and the SMSC: each input
// line becomes a deliver_sm (USSD with ussd_service_op and its_session_info, or SMS in a
// given data_coding), each expect line checks the daemon's answer (submit_sm) within a bound.
'use strict';

const fs = require('fs');
const path = require('path');
const { createRequire } = require('module');
const h = require('./harness');

const OP_PSSR_IND = 0x01; // start (the dialled code)
const OP_USSR_CONF = 0x12; // the worker's answer
const OP_USSR_REQ = 0x02; // reply awaiting input
const OP_PSSR_RESP = 0x11; // final reply
const OP_USER_ABORT = 0x81;
const DC_GBK = 15;

// GBK encoder: iconv-lite, which node-smpp depends on (node itself has none).
function gbkEncode(text) {
  const req = createRequire(path.join(__dirname, '..', 'peer', 'package.json'));
  return req('iconv-lite').encode(text, 'gbk');
}

function ucs2(text) {
  const b = Buffer.from(text, 'utf16le');
  for (let i = 0; i + 1 < b.length; i += 2) [b[i], b[i + 1]] = [b[i + 1], b[i]];
  return b;
}

// `\n` in a script argument is a newline; `\\` a backslash.
function unescape(s) {
  return s.replace(/\\(n|\\)/g, (_, c) => (c === 'n' ? '\n' : '\\'));
}

// Parses a script: `@config TEXT` lines (libconfig, top level) and the steps, each
// {line, cmd, arg}. Blank lines and '#' comments are skipped.
function parse(text, file) {
  const config = [];
  const steps = [];
  text.split('\n').forEach((raw, i) => {
    const line = raw.replace(/\r$/, '');
    if (/^\s*(#|$)/.test(line)) return;
    const m = /^\s*(\S+)(?:\s(.*))?$/.exec(line);
    const cmd = m[1];
    const arg = m[2] === undefined ? '' : m[2];
    if (cmd === '@config') config.push(arg);
    else steps.push({ line: i + 1, file, cmd, arg });
  });
  return { config, steps };
}

function load(name) {
  const file = path.join(__dirname, 'dialogs', `${name}.txt`);
  return parse(fs.readFileSync(file, 'utf8'), `dialogs/${name}.txt`);
}

// Complete replies (one logical message each) to number out of the peer's submits, from
// index `from`; a concatenated reply (UDH or SAR) counts once all its parts arrived.
// Returns {replies, next} with next the index after the last submit consumed.
function collect(submits, msisdn, from) {
  const replies = [];
  let i = from;
  let next = from;
  const open = new Map();
  for (; i < submits.length; i++) {
    const s = submits[i];
    if (s.dest !== msisdn) continue;
    const c = s.udh || s.sar;
    if (!c || c.total <= 1) {
      if (open.size > 0) break; // another message inside a concatenation: report it below
      replies.push(reply([s]));
      next = i + 1;
      continue;
    }
    const key = `${s.udh ? 'udh' : 'sar'}:${c.ref}`;
    if (!open.has(key)) open.set(key, []);
    const parts = open.get(key);
    parts.push(s);
    if (parts.length === c.total) {
      open.delete(key);
      replies.push(reply(parts));
      if (open.size === 0) next = i + 1;
    }
  }
  return { replies, next };
}

function reply(parts) {
  const sorted = [...parts].sort((a, b) => ((a.udh || a.sar || { seq: 1 }).seq -
    (b.udh || b.sar || { seq: 1 }).seq));
  const first = sorted[0];
  return {
    parts: sorted,
    text: sorted.map((p) => p.text).join(''),
    ussd: first.ussd_op !== undefined && first.ussd_op !== null,
    op: first.ussd_op,
    its: first.its_session ? Buffer.from(first.its_session) : null,
    umr: first.umr === undefined ? null : first.umr,
    dcs: sorted.map((p) => p.data_coding),
  };
}

class Dialog {
  // world: a harness World with the daemon bound; d: its daemon handle.
  constructor(world, d, opts = {}) {
    this.w = world;
    this.d = d;
    this.waitMs = opts.waitMs || 10000;
    this.numbers = new Map(); // msisdn -> {sess, seq, cursor, seen, pending, last, lastInput}
    this.cur = null;
    this.nextSession = 0x10;
  }

  num(msisdn) {
    if (!this.numbers.has(msisdn)) {
      this.numbers.set(msisdn, { sess: this.nextSession++ & 0xff, seq: 0, cursor: 0, seen: 0,
        pending: false, last: null, lastInput: null, lastIts: null, key: 'its', umr: 0 });
    }
    return this.numbers.get(msisdn);
  }

  where(step) {
    return `${step.file}:${step.line}: ${step.cmd} ${step.arg}`;
  }

  fail(step, msg) {
    const n = this.cur ? this.numbers.get(this.cur) : null;
    const last = n && n.last ? JSON.stringify({ text: n.last.text, op: n.last.op,
      its: n.last.its && n.last.its.toString('hex'), dcs: n.last.dcs }) : 'none';
    throw new Error(`${this.where(step)}: ${msg}\n  number ${this.cur}, last reply: ${last}`);
  }

  async mo(fields) {
    const st = await this.w.peer.sendMo(Object.assign({ source_addr: this.cur,
      source_addr_ton: 1, source_addr_npi: 1, destination_addr: '10658188' }, fields));
    if (st !== 0) throw new Error(`deliver_sm answered 0x${st.toString(16)}`);
  }

  async input(step, fields) {
    const n = this.num(this.cur);
    if (n.pending) await this.awaitReply(step); // one question at a time per number
    await this.mo(fields);
    n.pending = true;
    n.lastInput = step;
  }

  // The reply to the last input of the current number (waits for it, bounded).
  async awaitReply(step) {
    const n = this.num(this.cur);
    if (!n.pending) {
      if (!n.last) this.fail(step, 'no input before this expectation');
      return n.last;
    }
    const got = await h.waitFor(`the reply to ${this.where(n.lastInput)}`, () => {
      const r = collect(this.w.peer.submits, this.cur, n.cursor);
      return r.replies.length > 0 ? r : null;
    }, this.waitMs).catch((e) => this.fail(step, e.message));
    if (got.replies.length > 1) {
      this.fail(step, `${got.replies.length} replies to one input: ` +
        JSON.stringify(got.replies.map((r) => r.text)));
    }
    n.cursor = got.next;
    n.last = got.replies[0];
    if (process.env.GY_DIALOG_TRACE) {
      process.stderr.write(`${this.where(n.lastInput)}\n  -> op ${n.last.op} dcs ${n.last.dcs} ` +
        `${n.last.parts.length} part(s): ${JSON.stringify(n.last.text)}\n`);
    }
    n.pending = false;
    n.seen++;
    return n.last;
  }

  // Waits until the daemon processed every inbox row (the reply, if any, is then in the
  // outbox: it is queued in the same transaction).
  async inboxDone(step) {
    await h.waitFor('every inbox row processed', () =>
      h.sql(this.w.db, 'SELECT count(*) AS n FROM inbox WHERE state = 0')[0].n === 0,
    this.waitMs).catch((e) => this.fail(step, e.message));
  }

  outboxCount(msisdn) {
    return h.sql(this.w.db, `SELECT count(*) AS n FROM outbox_messages WHERE msisdn = '${
      msisdn.replace(/[^0-9]/g, '')}'`)[0].n;
  }

  // The last input got no answer: processed, nothing queued for the number beyond the
  // replies already seen.
  async expectNone(step) {
    const n = this.num(this.cur);
    if (!n.pending) this.fail(step, 'expect-none needs an input before it');
    await this.inboxDone(step);
    const queued = this.outboxCount(this.cur);
    if (queued !== n.seen) {
      const extra = collect(this.w.peer.submits, this.cur, n.cursor).replies.map((r) => r.text);
      this.fail(step, `expected no reply, but ${queued - n.seen} more queued ${JSON.stringify(extra)}`);
    }
    n.pending = false;
    n.last = null;
  }

  async ussd(op, text, endBit) {
    const n = this.num(this.cur);
    if (op === OP_PSSR_IND) n.seq = 0;
    else n.seq = (n.seq + 1) & 0x7f;
    n.lastIts = Buffer.from([n.sess, (n.seq << 1) | (endBit ? 1 : 0)]);
    const ascii = /^[\x20-\x7e]*$/.test(text);
    const pdu = {
      service_type: 'USSD', ussd_service_op: op,
      data_coding: ascii ? 0 : 8, short_message: ascii ? Buffer.from(text, 'latin1') : ucs2(text),
    };
    if (n.key === 'its') pdu.its_session_info = n.lastIts;
    else if (n.key === 'umr') pdu.user_message_reference = n.umr;
    return pdu;
  }

  checkText(step, r, cond, what) {
    if (!cond) this.fail(step, `${what}; reply: ${JSON.stringify(r.text)}`);
  }

  async step(step) {
    const a = unescape(step.arg);
    const n = () => this.num(this.cur);
    switch (step.cmd) {
      case '@msisdn':
        this.cur = a.trim();
        this.num(this.cur);
        return;
      case '@session': // its_session_info session number (octet 1) for the next dial
        n().sess = parseInt(a, 16) & 0xff;
        return;
      case '@key': // what carries the USSD session id: its (its_session_info), umr
        // (user_message_reference N), none (the number alone)
        {
          const [k, v] = a.trim().split(/\s+/);
          if (!['its', 'umr', 'none'].includes(k)) this.fail(step, 'its, umr N or none');
          n().key = k;
          n().umr = Number(v || 0);
        }
        return;
      case '@wait':
        this.waitMs = Number(a);
        return;
      case 'dial':
        return this.input(step, await this.ussd(OP_PSSR_IND, a, false));
      case 'send':
        return this.input(step, await this.ussd(OP_USSR_CONF, a, false));
      case 'abort':
        return this.input(step, await this.ussd(OP_USER_ABORT, '', true));
      case 'hangup': // an answer (0x12) with the its_session_info end bit set: also an end
        return this.input(step, await this.ussd(OP_USSR_CONF, a, true));
      case 'sms':
        if (!/^[\x20-\x7e]*$/.test(a)) this.fail(step, 'sms takes GSM-safe ASCII; use sms-ucs2');
        return this.input(step, { data_coding: 0, short_message: Buffer.from(a, 'latin1') });
      case 'sms-ucs2':
        return this.input(step, { data_coding: 8, short_message: ucs2(a) });
      case 'sms-gbk':
        return this.input(step, { data_coding: DC_GBK, short_message: gbkEncode(a) });
      case 'sms-hex': { // sms-hex DCS HEXBYTES
        const [dc, ...hex] = a.trim().split(/\s+/);
        return this.input(step, { data_coding: Number(dc), short_message: Buffer.from(hex.join(''), 'hex') });
      }
      case 'expect': {
        const r = await this.awaitReply(step);
        return this.checkText(step, r, r.text.includes(a), `reply lacks ${JSON.stringify(a)}`);
      }
      case 'expect-line': {
        const r = await this.awaitReply(step);
        return this.checkText(step, r, r.text.split('\n').includes(a), `no line equals ${JSON.stringify(a)}`);
      }
      case 'expect-not': {
        const r = await this.awaitReply(step);
        return this.checkText(step, r, !r.text.includes(a), `reply contains ${JSON.stringify(a)}`);
      }
      case 'expect-text': {
        const r = await this.awaitReply(step);
        return this.checkText(step, r, r.text === a, `reply is not exactly ${JSON.stringify(a)}`);
      }
      case 'expect-sms': {
        const r = await this.awaitReply(step);
        if (r.ussd) this.fail(step, `a USSD reply (op ${r.op}) where an SMS was expected`);
        return this.checkText(step, r, r.text.includes(a), `reply lacks ${JSON.stringify(a)}`);
      }
      case 'expect-open':
      case 'expect-final': {
        const r = await this.awaitReply(step);
        const final = step.cmd === 'expect-final';
        const want = final ? OP_PSSR_RESP : OP_USSR_REQ;
        if (r.op !== want) this.fail(step, `ussd_service_op ${r.op}, expected 0x${want.toString(16)}`);
        const sent = n().lastIts;
        if (n().key === 'its') {
          if (!r.its) this.fail(step, 'its_session_info not echoed');
          if (r.its[0] !== sent[0]) this.fail(step, `its_session_info session ${r.its[0]}, sent ${sent[0]}`);
          if ((r.its[1] & 0xfe) !== (sent[1] & 0xfe)) this.fail(step, 'its_session_info sequence not echoed');
          if ((r.its[1] & 1) !== (final ? 1 : 0)) this.fail(step, `end bit ${r.its[1] & 1} on a${final ? ' final' : 'n open'} screen`);
        } else if (r.its) {
          this.fail(step, `its_session_info ${r.its.toString('hex')} in a reply to a gateway that sent none`);
        }
        if (n().key === 'umr' && r.umr !== n().umr) this.fail(step, `user_message_reference ${r.umr}, sent ${n().umr}`);
        if (n().key !== 'umr' && r.umr !== null) this.fail(step, `user_message_reference ${r.umr} never sent`);
        if (r.parts[0].service_type !== 'USSD') this.fail(step, `service_type ${r.parts[0].service_type}`);
        if (r.parts[0].registered_delivery !== 0) this.fail(step, 'a delivery report requested for USSD');
        return;
      }
      case 'expect-dcs': {
        const r = await this.awaitReply(step);
        if (!r.dcs.every((x) => x === Number(a))) this.fail(step, `data_coding ${r.dcs}`);
        return;
      }
      case 'expect-parts': { // concatenated: N parts, one reference, sequence 1..N, UDH
        const r = await this.awaitReply(step);
        const want = Number(a);
        if (r.parts.length !== want) this.fail(step, `${r.parts.length} part(s)`);
        if (want > 1) {
          const refs = new Set(r.parts.map((p) => (p.udh || p.sar).ref));
          if (refs.size !== 1) this.fail(step, `references ${[...refs]}`);
          r.parts.forEach((p, i) => {
            const c = p.udh || p.sar;
            if (c.seq !== i + 1 || c.total !== want) this.fail(step, `part ${i}: ${JSON.stringify(c)}`);
            if (p.udh && !(p.esm_class & 0x40)) this.fail(step, `part ${i}: UDH without UDHI (esm_class ${p.esm_class})`);
          });
        }
        return;
      }
      case 'expect-none':
        return this.expectNone(step);
      case 'expect-db': { // expect-db SQL => VALUE (first column of the first row)
        const [q, v] = a.split(/\s*=>\s*/);
        await this.inboxDone(step);
        const rows = h.sql(this.w.db, q);
        const got = rows.length ? String(Object.values(rows[0])[0]) : '(no row)';
        if (got !== v.trim()) this.fail(step, `database says ${got}, expected ${v.trim()}`);
        return;
      }
      case 'wait-expired': { // the number's USSD session ended by the idle timeout
        const masked = `${this.cur.slice(0, 5)}****${this.cur.slice(-4)}`;
        const re = new RegExp(`session ussd/\\S*${masked.replace(/\*/g, '\\*')} ended \\(idle\\)`);
        await h.waitFor(`the idle expiry of ${masked}'s session in the log`, () => re.test(this.d.log()),
          Number(a) || 20000, 100).catch((e) => this.fail(step, e.message));
        return;
      }
      default:
        this.fail(step, 'unknown command');
    }
  }

  // Runs every step, then checks that no number got a reply nobody expected.
  async run(steps) {
    for (const s of steps) await this.step(s);
    const end = { file: steps.length ? steps[0].file : '-', line: 'end', cmd: '(end)', arg: '' };
    await this.inboxDone(end);
    for (const [msisdn, n] of this.numbers) {
      this.cur = msisdn;
      if (n.pending) await this.awaitReply(end);
      const queued = this.outboxCount(msisdn);
      if (queued !== n.seen) this.fail(end, `${queued} replies queued, ${n.seen} expected`);
    }
  }
}

// Runs the named script (dialogs/NAME.txt) in a fresh world: demo database, the script's
// @config lines, one daemon; opts.config adds configuration lines.
async function runScript(t, name, opts = {}) {
  const { config, steps } = load(name);
  const conf = [...config, ...(opts.config || [])];
  // Nagle off at the peer: node-smpp leaves it on, and delayed ACKs stall each step ~40 ms.
  const world = { demo: true, config: conf, bind: opts.bind, peer: { noDelay: true } };
  await h.scenario(t, world, async (w) => {
    const d = w.startDaemon();
    await w.waitBound(d);
    const dlg = new Dialog(w, d, opts);
    await dlg.run(steps);
    if (!d.alive()) throw new Error(`gongyoud exited: ${JSON.stringify(d.exit)}`);
    const e = await w.stopDaemon(d);
    if (e.code !== 0) throw new Error(`gongyoud stopped with ${JSON.stringify(e)}:\n${h.tail(d.log())}`);
    const bad = /runtime error:|ERROR: AddressSanitizer|ERROR: LeakSanitizer/.exec(d.log());
    if (bad) throw new Error(`sanitizer report in the daemon's log: ${bad[0]}\n${h.tail(d.log())}`);
  });
}

module.exports = { parse, load, collect, Dialog, runScript, gbkEncode, ucs2 };
