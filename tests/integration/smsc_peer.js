#!/usr/bin/env node
// SPDX-License-Identifier: GPL-3.0-or-later
// smsc_peer.js: a scripted SMSC on node-smpp's server API (npm `smpp`, pinned by
// tests/peer/package-lock.json), an implementation gongyou did not write. Used in-process by
// the integration tests (require + startPeer) and as a process by bench/bench_submit.js
// (prints "port N", takes commands on stdin, writes one JSON line per event on stdout).
// Loopback only; it never decides pass or fail, it records what it saw.
'use strict';

const path = require('path');
const { createRequire } = require('module');
const { EventEmitter } = require('events');

const peerRequire = createRequire(path.join(__dirname, '..', 'peer', 'package.json'));
let smpp;
try {
  smpp = peerRequire('smpp');
} catch (e) {
  throw new Error('node-smpp is not installed: run `make peer` (npm ci in tests/peer)');
}

const ESME_ROK = 0x00;
const ESME_RINVPASWD = 0x0e;
const ESME_RINVSYSID = 0x0f;
const ESME_RTHROTTLED = 0x58;

// Milliseconds since the epoch with sub-millisecond precision.
function nowMs() {
  return performance.timeOrigin + performance.now();
}

// An SMSC message id for counter n in the given base ('dec', 'hex', 'HEX'), left-padded
// with zeros to pad characters (0: none).
function formatId(n, base, pad) {
  let s;
  if (base === 'hex') s = n.toString(16);
  else if (base === 'HEX') s = n.toString(16).toUpperCase();
  else s = n.toString(10);
  return pad > 0 ? s.padStart(pad, '0') : s;
}

// The concatenation information of a UDH (node-smpp gives the IEs as Buffers).
function concatOfUdh(udhList) {
  for (const ie of udhList || []) {
    if (ie[0] === 0x00 && ie.length >= 5) return { ref: ie[2], total: ie[3], seq: ie[4] };
    if (ie[0] === 0x08 && ie.length >= 6) {
      return { ref: ie.readUInt16BE(2), total: ie[4], seq: ie[5] };
    }
  }
  return null;
}

// Text of a decoded short_message or message_payload (node-smpp's filter gives
// {udh, message} with message a string when it knew the coding).
function textOf(v) {
  if (v === undefined || v === null) return { text: '', udh: null };
  if (typeof v === 'string') return { text: v, udh: null };
  if (Buffer.isBuffer(v)) return { text: v.toString('latin1'), udh: null };
  const m = v.message;
  const text = typeof m === 'string' ? m : Buffer.isBuffer(m) ? m.toString('hex') : '';
  return { text, udh: v.udh ? concatOfUdh(v.udh) : null };
}

// Raw malformed PDUs the peer can send (kind -> bytes).
function malformedPdu(kind, seq) {
  const b = Buffer.alloc(16);
  if (kind === 'length') {
    // command_length below the 16-octet header: no stream can be resynchronised after it.
    b.writeUInt32BE(8, 0);
    b.writeUInt32BE(0x00000005, 4); // deliver_sm
    b.writeUInt32BE(0, 8);
    b.writeUInt32BE(seq, 12);
    return b;
  }
  if (kind === 'huge') {
    b.writeUInt32BE(0x7fffffff, 0);
    b.writeUInt32BE(0x00000005, 4);
    b.writeUInt32BE(0, 8);
    b.writeUInt32BE(seq, 12);
    return b;
  }
  // 'body': a deliver_sm whose service_type C string runs to the end of the body without
  // its NUL, so that the body does not unpack.
  const body = Buffer.from('ABCDEFGH', 'latin1');
  const pdu = Buffer.alloc(16 + body.length);
  pdu.writeUInt32BE(pdu.length, 0);
  pdu.writeUInt32BE(0x00000005, 4);
  pdu.writeUInt32BE(0, 8);
  pdu.writeUInt32BE(seq, 12);
  body.copy(pdu, 16);
  return pdu;
}

// Default behaviour; every field can be changed at run time through peer.set().
function defaultBehaviour() {
  return {
    systemId: 'gytest',   // expected system_id; null accepts any
    password: 'secret',   // expected password; null accepts any
    idBase: 'dec',        // submit_sm_resp ids: 'dec', 'hex' or 'HEX'
    idPad: 0,             // left-pad ids with zeros to this many characters
    idStart: 1,           // first id number
    dlr: null,            // null, or {form: 'tlv'|'text'|'both', base, pad, delayMs, stat}
    delayMs: 0,           // delay of every submit_sm_resp
    throttleNext: 0,      // answer the next N submits with ESME_RTHROTTLED
    dropAfter: 0,         // close the connection after N more submits (unanswered)
    answerEnquireLink: true,
    record: true,         // keep every submit in peer.submits (off for long benchmarks)
    noDelay: false,       // TCP_NODELAY on accepted sockets (node-smpp leaves Nagle on)
  };
}

class SmscPeer extends EventEmitter {
  constructor(behaviour) {
    super();
    this.b = Object.assign(defaultBehaviour(), behaviour || {});
    this.server = null;
    this.port = 0;
    this.sessions = new Set();
    this.nextId = this.b.idStart;
    this.submits = [];      // every submit_sm received, in arrival order
    this.binds = [];        // every bind request: {t, command, system_id, password, status}
    this.enquireLinks = []; // times enquire_link arrived from the ESME
    this.unbinds = [];      // times unbind arrived
    this.dlrResponses = []; // {t, status, id} of deliver_sm_resp to our reports
    this.delivers = [];     // every deliver_sm we sent: {t, seq, kind}
    this.nacks = [];        // generic_nack from the ESME: {t, status, seq}
    this.outstanding = 0;   // submits received and not yet answered (current sessions)
    this.maxOutstanding = 0;
    this.connections = 0;
    this.closes = 0;
    this.errors = [];
    this.counts = { submits: 0, ok: 0, throttled: 0, dropped: 0 };
    this.idOfSubmit = new Map(); // id string -> index in submits (when recording)
  }

  // Changes behaviour fields (see defaultBehaviour()).
  set(fields) {
    Object.assign(this.b, fields);
  }

  // Starts listening on 127.0.0.1 (port 0: an ephemeral port). Resolves to the port.
  listen(port) {
    return new Promise((resolve, reject) => {
      this.server = smpp.createServer((session) => this._onSession(session));
      this.server.on('error', reject);
      this.server.listen(port || 0, '127.0.0.1', () => {
        this.port = this.server.address().port;
        resolve(this.port);
      });
    });
  }

  // Closes every connection and the listener.
  close() {
    for (const s of this.sessions) s.socket.destroy();
    this.sessions.clear();
    return new Promise((resolve) => {
      if (!this.server) return resolve();
      this.server.close(() => resolve());
    });
  }

  // Number of sessions currently bound.
  boundSessions() {
    let n = 0;
    for (const s of this.sessions) if (s.gyBound) n++;
    return n;
  }

  // Sends a mobile-originated deliver_sm (fields as node-smpp takes them) on the first bound
  // session; resolves to the command_status of the ESME's deliver_sm_resp.
  sendMo(fields) {
    const session = [...this.sessions].find((s) => s.gyBound && !s.gyClosed);
    if (!session) return Promise.reject(new Error('no bound session for a deliver_sm'));
    return new Promise((resolve) => {
      session.deliver_sm(Object.assign({ esm_class: 0, data_coding: 0 }, fields), (resp) => {
        this._event({ ev: 'mo_resp', status: resp.command_status });
        resolve(resp.command_status);
      });
      this.delivers.push({ t: nowMs(), kind: 'mo' });
    });
  }

  // Sends a malformed PDU ('length', 'huge' or 'body') on every bound session; returns
  // how many sessions it went to.
  sendMalformed(kind) {
    let n = 0;
    for (const s of this.sessions) {
      if (!s.gyBound) continue;
      s.socket.write(malformedPdu(kind, 0x7000 + n));
      n++;
    }
    this._event({ ev: 'malformed', kind, sessions: n });
    return n;
  }

  // Sends a PDU with an unknown command_id (0x00000099) on every bound session.
  sendUnknownCommand() {
    let n = 0;
    for (const s of this.sessions) {
      if (!s.gyBound) continue;
      const b = Buffer.alloc(16);
      b.writeUInt32BE(16, 0);
      b.writeUInt32BE(0x00000099, 4);
      b.writeUInt32BE(0, 8);
      b.writeUInt32BE(0x6000 + n, 12);
      s.socket.write(b);
      n++;
    }
    return n;
  }

  // Closes every connection at once (the link dropped by the SMSC).
  dropAll() {
    for (const s of this.sessions) s.socket.destroy();
  }

  _event(obj) {
    obj.t = nowMs();
    this.emit('event', obj);
  }

  _onSession(session) {
    this.connections++;
    if (this.b.noDelay) session.socket.setNoDelay(true);
    this.sessions.add(session);
    session.gyBound = false;
    session.gyOutstanding = 0;
    session.gyDropCount = 0;
    session.gyClosed = false;
    this._event({ ev: 'connect' });
    session.on('error', (e) => {
      this.errors.push(String(e && e.message));
      this._event({ ev: 'error', message: String(e && e.message) });
      session.socket.destroy();
    });
    session.socket.on('close', () => {
      session.gyClosed = true;
      this.sessions.delete(session);
      this.outstanding -= session.gyOutstanding;
      session.gyOutstanding = 0;
      this.closes++;
      this._event({ ev: 'close' });
    });
    for (const cmd of ['bind_transceiver', 'bind_transmitter', 'bind_receiver']) {
      session.on(cmd, (pdu) => this._onBind(session, pdu));
    }
    session.on('enquire_link', (pdu) => {
      this.enquireLinks.push(nowMs());
      this._event({ ev: 'enquire_link' });
      if (this.b.answerEnquireLink) session.send(pdu.response());
    });
    session.on('unbind', (pdu) => {
      this.unbinds.push(nowMs());
      this._event({ ev: 'unbind' });
      session.send(pdu.response(), () => session.close());
    });
    session.on('submit_sm', (pdu) => this._onSubmit(session, pdu));
    session.on('generic_nack', (pdu) => {
      this.nacks.push({ t: nowMs(), status: pdu.command_status, seq: pdu.sequence_number });
      this._event({ ev: 'generic_nack', status: pdu.command_status, seq: pdu.sequence_number });
    });
    session.on('unknown', (pdu) => {
      session.send(pdu.response());
    });
  }

  _onBind(session, pdu) {
    let status = ESME_ROK;
    if (this.b.systemId !== null && pdu.system_id !== this.b.systemId) status = ESME_RINVSYSID;
    else if (this.b.password !== null && pdu.password !== this.b.password) status = ESME_RINVPASWD;
    this.binds.push({
      t: nowMs(), command: pdu.command, system_id: pdu.system_id, password: pdu.password,
      system_type: pdu.system_type, interface_version: pdu.interface_version, status,
    });
    this._event({ ev: 'bind', command: pdu.command, system_id: pdu.system_id, status });
    if (status !== ESME_ROK) {
      session.send(pdu.response({ command_status: status }));
      return;
    }
    session.gyBound = true;
    session.send(pdu.response({ system_id: 'nodesmpp' }));
  }

  _onSubmit(session, pdu) {
    const t = nowMs();
    this.counts.submits++;
    if (this.b.dropAfter > 0) {
      this.b.dropAfter--;
      if (this.b.dropAfter === 0) {
        this.counts.dropped++;
        this._record(session, pdu, t, null, 'dropped');
        this._event({ ev: 'drop' });
        this.dropAll();
        return;
      }
    }
    session.gyOutstanding++;
    this.outstanding++;
    if (this.outstanding > this.maxOutstanding) this.maxOutstanding = this.outstanding;
    let status = ESME_ROK;
    let id = null;
    if (this.b.throttleNext > 0) {
      this.b.throttleNext--;
      status = ESME_RTHROTTLED;
    } else {
      id = formatId(this.nextId++, this.b.idBase, this.b.idPad);
    }
    // The outcome is what was answered: 'unanswered' until the response leaves (and for
    // ever when the connection closes first).
    const rec = this._record(session, pdu, t, id, 'unanswered');
    const answer = () => {
      if (session.gyClosed) return;
      session.gyOutstanding--;
      this.outstanding--;
      if (status !== ESME_ROK) {
        session.send(pdu.response({ command_status: status }));
        this.counts.throttled++;
      } else {
        session.send(pdu.response({ message_id: id }));
        this.counts.ok++;
      }
      if (rec) {
        rec.answered = nowMs();
        rec.outcome = status === ESME_ROK ? 'ok' : 'throttled';
      }
      if (status === ESME_ROK && this.b.dlr && pdu.registered_delivery & 0x01) {
        this._scheduleDlr(session, pdu, id);
      }
    };
    if (this.b.delayMs > 0) setTimeout(answer, this.b.delayMs);
    else answer();
  }

  _record(session, pdu, t, id, outcome) {
    const sm = textOf(pdu.short_message);
    const pl = pdu.message_payload !== undefined ? textOf(pdu.message_payload) : null;
    const sar = pdu.sar_msg_ref_num !== undefined
      ? { ref: pdu.sar_msg_ref_num, total: pdu.sar_total_segments, seq: pdu.sar_segment_seqnum }
      : null;
    const rec = {
      i: this.submits.length, t, seq: pdu.sequence_number, dest: pdu.destination_addr,
      source: pdu.source_addr, esm_class: pdu.esm_class, data_coding: pdu.data_coding,
      registered_delivery: pdu.registered_delivery,
      text: pl ? pl.text : sm.text, udh: sm.udh, sar, id, outcome,
      ussd_op: pdu.ussd_service_op, its_session: pdu.its_session_info,
      umr: pdu.user_message_reference, service_type: pdu.service_type,
    };
    this._event(Object.assign({ ev: 'submit' }, rec));
    if (!this.b.record) return null;
    this.submits.push(rec);
    if (id !== null) this.idOfSubmit.set(id, rec.i);
    return rec;
  }

  _scheduleDlr(session, pdu, id) {
    const d = this.b.dlr;
    const send = () => {
      if (session.gyClosed) return;
      const n = parseInt(id, this.b.idBase === 'dec' ? 10 : 16);
      const rid = formatId(n, d.base || 'dec', d.pad || 0);
      const stat = d.stat || 'DELIVRD';
      const state = { DELIVRD: 2, EXPIRED: 3, DELETED: 4, UNDELIV: 5, ACCEPTD: 6,
        UNKNOWN: 7, REJECTD: 8 }[stat] || 2;
      const text = `id:${rid} sub:001 dlvrd:${stat === 'DELIVRD' ? '001' : '000'} ` +
        `submit date:2611281200 done date:2611281201 stat:${stat} err:000 text:`;
      const form = d.form || 'both';
      const opts = {
        source_addr: pdu.destination_addr, source_addr_ton: pdu.dest_addr_ton,
        source_addr_npi: pdu.dest_addr_npi, destination_addr: pdu.source_addr,
        dest_addr_ton: pdu.source_addr_ton, dest_addr_npi: pdu.source_addr_npi,
        esm_class: 0x04, data_coding: 0,
        short_message: form === 'tlv' ? '' : text,
      };
      if (form !== 'text') {
        opts.receipted_message_id = rid;
        opts.message_state = state;
      }
      session.deliver_sm(opts, (resp) => {
        this.dlrResponses.push({ t: nowMs(), status: resp.command_status, id: rid });
        this._event({ ev: 'deliver_sm_resp', status: resp.command_status, id: rid });
      });
      this.delivers.push({ t: nowMs(), id: rid, kind: 'dlr' });
      this._event({ ev: 'dlr', id: rid, submit_id: id });
    };
    if (d.delayMs > 0) setTimeout(send, d.delayMs);
    else setImmediate(send);
  }

  // Summary for logs and the CLI's `stats` command.
  stats() {
    return {
      port: this.port, connections: this.connections, closes: this.closes,
      bound: this.boundSessions(), binds: this.binds.length, submits: this.counts.submits,
      ok: this.counts.ok, throttled: this.counts.throttled, dropped: this.counts.dropped,
      outstanding: this.outstanding, max_outstanding: this.maxOutstanding,
      enquire_links: this.enquireLinks.length, unbinds: this.unbinds.length,
      dlrs: this.delivers.length, dlr_responses: this.dlrResponses.length,
    };
  }
}

// Starts a peer; resolves to it once it listens.
async function startPeer(behaviour, port) {
  const p = new SmscPeer(behaviour);
  await p.listen(port || 0);
  return p;
}

// ---- command-line mode -------------------------------------------------------------------
const USAGE = `usage: node smsc_peer.js [--port N] [--system-id ID|any] [--password PW|any]
         [--id-base dec|hex|HEX] [--id-pad N] [--dlr tlv|text|both] [--dlr-base dec|hex|HEX]
         [--dlr-delay-ms MS] [--delay-ms MS] [--quiet]
Listens on 127.0.0.1 (port 0 = ephemeral), prints "port N", then one JSON line per event
(unless --quiet). Commands on stdin, one per line: throttle N | drop-after N | drop |
delay MS | malformed length|huge|body | unknown | stats | quit`;

function parseArgs(argv) {
  const b = {};
  let port = 0;
  let quiet = false;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const v = () => {
      if (i + 1 >= argv.length) throw new Error(`${a} needs a value`);
      return argv[++i];
    };
    if (a === '--port') port = Number(v());
    else if (a === '--system-id') { const s = v(); b.systemId = s === 'any' ? null : s; }
    else if (a === '--password') { const s = v(); b.password = s === 'any' ? null : s; }
    else if (a === '--id-base') b.idBase = v();
    else if (a === '--id-pad') b.idPad = Number(v());
    else if (a === '--dlr') b.dlr = Object.assign(b.dlr || {}, { form: v() });
    else if (a === '--dlr-base') b.dlr = Object.assign(b.dlr || {}, { base: v() });
    else if (a === '--dlr-delay-ms') b.dlr = Object.assign(b.dlr || {}, { delayMs: Number(v()) });
    else if (a === '--delay-ms') b.delayMs = Number(v());
    else if (a === '--quiet') { quiet = true; b.record = false; }
    else if (a === '--help' || a === '-h') { console.log(USAGE); process.exit(0); }
    else throw new Error(`unknown option ${a}`);
  }
  return { b, port, quiet };
}

function command(peer, line) {
  const [cmd, arg] = line.trim().split(/\s+/);
  switch (cmd) {
    case '': return null;
    case 'throttle': peer.set({ throttleNext: Number(arg) }); return { ok: 'throttle' };
    case 'drop-after': peer.set({ dropAfter: Number(arg) }); return { ok: 'drop-after' };
    case 'drop': peer.dropAll(); return { ok: 'drop' };
    case 'delay': peer.set({ delayMs: Number(arg) }); return { ok: 'delay' };
    case 'malformed': return { ok: 'malformed', sessions: peer.sendMalformed(arg || 'body') };
    case 'unknown': return { ok: 'unknown', sessions: peer.sendUnknownCommand() };
    case 'stats': return Object.assign({ ev: 'stats' }, peer.stats());
    case 'quit': peer.close().then(() => process.exit(0)); return { ok: 'quit' };
    default: return { error: `unknown command '${cmd}'` };
  }
}

async function main() {
  let opts;
  try {
    opts = parseArgs(process.argv.slice(2));
  } catch (e) {
    console.error(`smsc_peer: ${e.message}\n${USAGE}`);
    process.exit(2);
  }
  const peer = await startPeer(opts.b, opts.port);
  if (!opts.quiet) peer.on('event', (e) => process.stdout.write(JSON.stringify(e) + '\n'));
  process.stdout.write(`port ${peer.port}\n`);
  const rl = require('readline').createInterface({ input: process.stdin });
  rl.on('line', (line) => {
    const r = command(peer, line);
    if (r) process.stdout.write(JSON.stringify(r) + '\n');
  });
  rl.on('close', () => peer.close().then(() => process.exit(0)));
  process.on('SIGTERM', () => peer.close().then(() => process.exit(0)));
}

module.exports = { startPeer, SmscPeer, formatId, ESME_ROK, ESME_RTHROTTLED, ESME_RINVPASWD };

if (require.main === module) main();
