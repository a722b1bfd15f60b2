#!/usr/bin/env node
// SPDX-License-Identifier: GPL-3.0-or-later
// bench_dialog.js: dialogs through build/bin/gongyoud on loopback with node-smpp (npm
// `smpp`, tests/peer) playing the SMSC in this process (issue 6, point 7): (1) keyword round
// trips (JF in by deliver_sm, the UCS-2 reply out by submit_sm, persisted in the outbox
// before it is submitted) from 1,000 registered numbers, closed loop at window 100 for the
// rate and open loop at 2,000/s offered for the latency; (2) USSD steps per second with
// 1,000 concurrent sessions; (3) VmRSS of gongyoud with 100,000 open USSD sessions. Prints
// figures; not run by ctest. See docs/benchmarks.md.
'use strict';

const fs = require('fs');
const os = require('os');
const path = require('path');
const { createRequire } = require('module');
const { spawn, spawnSync } = require('child_process');

const SRC = process.env.GONGYOU_SOURCE_DIR || path.resolve(__dirname, '..');
const BIN = path.resolve(process.env.GONGYOU_BIN_DIR || path.join(SRC, 'build', 'bin'));
const TODAY = process.env.GONGYOU_TODAY || '2026-11-28';
const ENV = Object.assign({}, process.env, { GONGYOU_TODAY: TODAY });
const smpp = createRequire(path.join(SRC, 'tests', 'peer', 'package.json'))('smpp');

const USAGE = `usage: node bench/bench_dialog.js [--parts sms,latency,ussd,memory] [--seconds S]
       [--numbers N] [--window W] [--rate R] [--sessions N] [--open N] [--runs K] [--keep]
       [--cork]
  --parts LIST   what to run (default all four)
  --seconds S    length of each measured run (default 10; after 2 s of warm-up)
  --numbers N    registered numbers for keywords (default 1000, from gongyou-gen)
  --window W     round trips in flight in the rate run, the bind's window (default 100)
  --rate R       offered messages per second in the latency run (default 2000)
  --sessions N   concurrent USSD sessions (default 1000)
  --open N       open USSD sessions for the memory figure (default 100000)
  --runs K       runs of each part; medians are printed (default 3)
  --keep         keep the temp directory (logs, database)
  --cork         the SMSC batches what it writes in one turn of its event loop (default:
                 one write() per PDU, node-smpp's way)
GONGYOU_BIN_DIR selects the binaries (default build/bin).`;

function parseArgs(argv) {
  const o = { parts: ['sms', 'latency', 'ussd', 'memory'], seconds: 10, numbers: 1000,
    window: 100, rate: 2000, sessions: 1000, open: 100000, runs: 3, keep: false, cork: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const v = () => {
      if (i + 1 >= argv.length) throw new Error(`${a} needs a value`);
      return argv[++i];
    };
    const num = (k) => {
      o[k] = Number(v());
      if (!(o[k] > 0) || !Number.isInteger(o[k])) throw new Error(`${a} takes a whole number > 0`);
    };
    if (a === '--parts') o.parts = v().split(',');
    else if (['--seconds', '--numbers', '--window', '--rate', '--sessions', '--open', '--runs']
      .includes(a)) num(a.slice(2));
    else if (a === '--keep') o.keep = true;
    else if (a === '--cork') o.cork = true;
    else if (a === '--help' || a === '-h') { console.log(USAGE); process.exit(0); }
    else throw new Error(`unknown option ${a}`);
  }
  for (const p of o.parts) {
    if (!['sms', 'latency', 'ussd', 'memory'].includes(p)) throw new Error(`unknown part ${p}`);
  }
  if (o.window > 1000) throw new Error('--window is at most 1000');
  return o;
}

// Children this process started, killed by PID on any way out.
const children = new Set();
function killChildren() {
  for (const c of children) {
    if (c.exitCode === null && c.signalCode === null) {
      try { process.kill(c.pid, 'SIGKILL'); } catch (e) { /* gone */ }
    }
  }
  children.clear();
}
process.on('exit', killChildren);

const nowMs = () => performance.now();
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
function pct(sorted, p) {
  return sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] : NaN;
}

function run(bin, args) {
  const r = spawnSync(path.join(BIN, bin), args, { env: ENV, encoding: 'utf8', maxBuffer: 1 << 26 });
  if (r.error) throw r.error;
  if (r.status !== 0) throw new Error(`${bin} ${args.join(' ')}: ${r.stderr}`);
  return r.stdout;
}

// A demo database plus `numbers` generated workers; returns their msisdns.
function setupDb(dir, db, numbers) {
  const gen = path.join(dir, 'gen');
  run('gongyou-gen', ['--out', gen, '--workers', String(numbers), '--seed', '1', '--today', TODAY]);
  run('gongyou', ['db', 'init', '--db', db, '--demo']);
  for (const kind of ['workers', 'certificates', 'children', 'services']) {
    run('gongyou', ['import', kind, path.join(gen, `${kind}.csv`), '--db', db]);
  }
  const lines = fs.readFileSync(path.join(gen, 'workers.csv'), 'utf8').trim().split('\n').slice(1);
  return lines.map((l) => l.split(',')[0]);
}

function configText(port, db, window) {
  return [
    '# Generated by bench/bench_dialog.js: one transceiver to the in-process node-smpp SMSC.',
    'smsc = ( {',
    '  name = "bench"; host = "127.0.0.1"; port = ' + port + ';',
    '  system_id = "bench"; password = "bench"; system_type = ""; bind_mode = "transceiver";',
    '  source_addr = "10658188"; window = ' + window + '; throughput = 0;',
    '  enquire_link_interval = 60; reconnect_min = 1; reconnect_max = 2; response_timeout = 60;',
    '} );',
    `database = { path = ${JSON.stringify(db)}; };`,
    `menus = { dir = ${JSON.stringify(path.join(SRC, 'menus', 'scripts'))}; };`,
    'keywords = { JF = ["积分"]; RX = ["入学"]; GZ = ["工资"]; BT = ["补贴"]; RH = ["入户"];',
    '  TD = ["T", "退订"]; DY = ["订阅"]; BZ = ["帮助", "HELP", "?"]; EN = []; ZW = ["中文"]; };',
    'ussd = { entry_code = "*188#"; };',
    '# Raised for the benchmark: sessions stay open through the runs, no number is limited.',
    'sessions = { ussd_idle_timeout = 600; ussd_total_timeout = 3600; max_sessions = 200000; };',
    'rate_limit = { incoming_per_minute = 10000; };',
    'admin = { listen = ""; };',
    'log = { level = "warn"; target = "stderr"; };',
    '',
  ].join('\n');
}

// The concatenation of a decoded short_message: {ref, total, seq} or null.
function concat(sm) {
  for (const ie of (sm && sm.udh) || []) {
    if (ie[0] === 0x00 && ie.length >= 5) return { ref: ie[2], total: ie[3], seq: ie[4] };
    if (ie[0] === 0x08 && ie.length >= 6) return { ref: ie.readUInt16BE(2), total: ie[4], seq: ie[5] };
  }
  return null;
}

// The SMSC: one bound transceiver; submit_sm answered at once; onSubmit(pdu) per submit.
// node-smpp makes one write() per PDU; with cork (--cork) what it writes in one turn of
// node's event loop leaves in one write, as a real SMSC batches its responses.
class Smsc {
  constructor(cork) {
    this.session = null;
    this.nextId = 1;
    this.submits = 0;
    this.corked = false;
    this.onSubmit = () => {};
    this.server = smpp.createServer((s) => {
      s.on('error', () => {});
      s.socket.setNoDelay(true); // node-smpp leaves Nagle on: 40 ms stalls with delayed ACKs
      if (cork) {
        const send = s.send.bind(s);
        s.send = (...args) => {
          this.cork(s.socket);
          return send(...args);
        };
      }
      s.on('bind_transceiver', (pdu) => {
        this.session = s;
        s.send(pdu.response({ system_id: 'nodesmpp' }));
      });
      s.on('enquire_link', (pdu) => s.send(pdu.response()));
      s.on('unbind', (pdu) => s.send(pdu.response(), () => s.close()));
      s.on('deliver_sm_resp', () => {});
      s.on('submit_sm', (pdu) => {
        this.submits++;
        s.send(pdu.response({ message_id: String(this.nextId++) }));
        this.onSubmit(pdu);
      });
      s.on('close', () => { if (this.session === s) this.session = null; });
    });
  }

  // Holds the socket's writes until the end of this turn of the event loop.
  cork(socket) {
    if (this.corked) return;
    this.corked = true;
    socket.cork();
    process.nextTick(() => {
      this.corked = false;
      socket.uncork();
    });
  }

  listen() {
    return new Promise((r) => this.server.listen(0, '127.0.0.1', () => r(this.server.address().port)));
  }

  // Sends a deliver_sm; cb(status) on its response.
  deliver(fields, cb) {
    this.session.deliver_sm(fields, (resp) => cb && cb(resp.command_status));
  }
}

// Starts gongyoud; resolves once it is bound.
async function startDaemon(dir, conf, smsc) {
  const logFd = fs.openSync(path.join(dir, 'gongyoud.log'), 'a');
  const d = spawn(path.join(BIN, 'gongyoud'), ['-c', conf], { env: ENV, cwd: dir, stdio: ['ignore', logFd, logFd] });
  fs.closeSync(logFd);
  children.add(d);
  const deadline = Date.now() + 20000;
  while (!smsc.session) {
    if (d.exitCode !== null) throw new Error(`gongyoud exited ${d.exitCode}; see ${dir}/gongyoud.log`);
    if (Date.now() > deadline) throw new Error('gongyoud did not bind');
    await sleep(20);
  }
  return d;
}

async function stopDaemon(d) {
  if (d.exitCode !== null || d.signalCode !== null) return;
  const gone = new Promise((r) => d.once('exit', r));
  process.kill(d.pid, 'SIGTERM');
  const k = setTimeout(() => { try { process.kill(d.pid, 'SIGKILL'); } catch (e) { /* gone */ } }, 30000);
  await gone;
  clearTimeout(k);
  children.delete(d);
}

// VmRSS, RssAnon and RssFile of pid in kB.
function rssKb(pid) {
  const text = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  const r = {};
  for (const k of ['VmRSS', 'RssAnon', 'RssFile']) {
    const m = new RegExp(`${k}:\\s+(\\d+) kB`).exec(text);
    r[k] = m ? Number(m[1]) : NaN;
  }
  return r;
}

function cpuTicks(pid) {
  const f = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return Number(f[11]) + Number(f[12]); // utime + stime
}

// The keyword as GSM 7-bit octets (the same as ASCII for J and F), so node-smpp does not
// run its text encoder for every deliver_sm.
const JF = Buffer.from('JF', 'latin1');

// Keyword round trips. mode 'closed': keep `window` in flight; 'open': offer `rate` per
// second. A round trip ends when every part of the reply has come. Returns figures.
async function keywordRun(smsc, daemon, numbers, o, mode) {
  const state = new Map(); // msisdn -> {t0, parts: Set, total}
  // Numbers without a round trip in flight: a ring, oldest answered first.
  const free = { ring: [...numbers], head: 0, n: numbers.length,
    pop() {
      if (this.n === 0) return undefined;
      const v = this.ring[this.head];
      this.head = (this.head + 1) % this.ring.length;
      this.n--;
      return v;
    },
    push(v) {
      this.ring[(this.head + this.n) % this.ring.length] = v;
      this.n++;
    } };
  const lat = [];
  let done = 0, ucs2 = 0, parts = 0, other = 0, inflight = 0, measuring = false, offered = 0;
  let stopped = false;
  const sendOne = () => {
    const n = free.pop();
    if (n === undefined) return false;
    state.set(n, { t0: nowMs(), parts: new Set(), total: 0 });
    inflight++;
    offered++;
    smsc.deliver({ source_addr: n, destination_addr: '10658188', esm_class: 0, data_coding: 0,
      short_message: JF });
    return true;
  };
  smsc.onSubmit = (pdu) => {
    const st = state.get(pdu.destination_addr);
    if (!st) { other++; return; }
    if (measuring && pdu.data_coding === 8) ucs2++;
    if (measuring) parts++;
    const c = concat(pdu.short_message);
    st.total = c ? c.total : 1;
    st.parts.add(c ? c.seq : 1);
    if (st.parts.size < st.total) return;
    state.delete(pdu.destination_addr);
    free.push(pdu.destination_addr);
    inflight--;
    if (measuring) {
      done++;
      lat.push(nowMs() - st.t0);
    }
    if (mode === 'closed' && !stopped) sendOne();
  };
  const warm = 2000;
  const total = warm + o.seconds * 1000;
  const t0 = nowMs();
  let cpu0 = 0, tm = 0, self0 = null;
  if (mode === 'closed') {
    for (let i = 0; i < o.window; i++) sendOne();
    await sleep(warm);
  } else {
    // Open loop: every millisecond tick sends what the schedule owes.
    let sent = 0;
    await new Promise((resolve) => {
      const tick = setInterval(() => {
        const el = nowMs() - t0;
        if (el >= total) { clearInterval(tick); resolve(); return; }
        if (!measuring && el >= warm) {
          measuring = true;
          cpu0 = cpuTicks(daemon.pid);
          self0 = process.cpuUsage();
          tm = nowMs();
        }
        const owe = Math.floor((el * o.rate) / 1000) - sent;
        for (let i = 0; i < owe; i++) {
          sent++;
          if (!sendOne()) break; // every number busy: counts as offered late
        }
      }, 1);
    });
  }
  if (mode === 'closed') {
    measuring = true;
    cpu0 = cpuTicks(daemon.pid);
    self0 = process.cpuUsage();
    tm = nowMs();
    await sleep(o.seconds * 1000);
  }
  const el = nowMs() - tm;
  const cpuMs = (cpuTicks(daemon.pid) - cpu0) * 10; // USER_HZ 100
  const self = process.cpuUsage(self0);
  measuring = false;
  stopped = true;
  const deadline = Date.now() + 30000;
  while (inflight > 0 && Date.now() < deadline) await sleep(20);
  lat.sort((a, b) => a - b);
  return { rate: (done * 1000) / el, p50: pct(lat, 50), p99: pct(lat, 99), done,
    ucs2: parts ? ucs2 / parts : 0, partsPer: done ? parts / done : 0, other,
    daemonCpu: cpuMs / el, smscCpu: (self.user + self.system) / 1000 / el, lost: inflight };
}

// USSD: `sessions` numbers each keep one step in flight: dial, then 1 (points), 0 (back)...
async function ussdRun(smsc, daemon, numbers, o) {
  const st = new Map();
  const lat = [];
  let steps = 0, measuring = false, stopped = false, inflight = 0, ends = 0;
  const step = (n) => {
    const s = st.get(n);
    let op = 0x12, text;
    if (!s.open) {
      s.sess = (s.sess + 1) & 0xff;
      s.seq = 0;
      s.open = true;
      s.k = 0;
      op = 0x01;
      text = '*188#';
    } else {
      s.seq = (s.seq + 1) & 0x7f;
      text = s.k % 2 === 0 ? '1' : '0';
      s.k++;
    }
    s.t0 = nowMs();
    inflight++;
    smsc.deliver({ source_addr: n, destination_addr: '188', service_type: 'USSD', esm_class: 0,
      data_coding: 0x0f, short_message: Buffer.from(text, 'latin1'), ussd_service_op: op,
      its_session_info: Buffer.from([s.sess, s.seq << 1]) });
  };
  smsc.onSubmit = (pdu) => {
    const s = st.get(pdu.destination_addr);
    if (!s || pdu.ussd_service_op === undefined) return;
    const its = pdu.its_session_info;
    if (Buffer.isBuffer(its) && its.length === 2) s.seq = its[1] >> 1;
    if (pdu.ussd_service_op === 0x11 || (Buffer.isBuffer(its) && (its[1] & 1))) {
      s.open = false;
      ends++;
    }
    inflight--;
    if (measuring) {
      steps++;
      lat.push(nowMs() - s.t0);
    }
    if (!stopped) step(pdu.destination_addr);
  };
  const use = numbers.slice(0, o.sessions);
  for (const n of use) {
    st.set(n, { open: false, sess: 0, seq: 0, k: 0, t0: 0 });
    step(n);
  }
  await sleep(2000);
  measuring = true;
  const cpu0 = cpuTicks(daemon.pid);
  const self0 = process.cpuUsage();
  const tm = nowMs();
  await sleep(o.seconds * 1000);
  const el = nowMs() - tm;
  const cpuMs = (cpuTicks(daemon.pid) - cpu0) * 10;
  const self = process.cpuUsage(self0);
  measuring = false;
  stopped = true;
  const deadline = Date.now() + 30000;
  while (inflight > 0 && Date.now() < deadline) await sleep(20);
  // Hang up every session so that the next run starts clean.
  for (const n of use) {
    const s = st.get(n);
    if (s.open) {
      s.seq = (s.seq + 1) & 0x7f;
      smsc.deliver({ source_addr: n, destination_addr: '188', service_type: 'USSD', esm_class: 0,
        data_coding: 0x0f, short_message: Buffer.alloc(0), ussd_service_op: 0x12,
        its_session_info: Buffer.from([s.sess, (s.seq << 1) | 1]) });
    }
  }
  lat.sort((a, b) => a - b);
  return { rate: (steps * 1000) / el, p50: pct(lat, 50), p99: pct(lat, 99), steps, ends,
    daemonCpu: cpuMs / el, smscCpu: (self.user + self.system) / 1000 / el, lost: inflight };
}

// Opens `open` USSD sessions (unregistered numbers see the main menu; it waits for input)
// with at most `window` dials in flight; returns VmRSS before and after.
async function memoryRun(smsc, daemon, o) {
  const before = rssKb(daemon.pid);
  let next = 0, answered = 0, inflight = 0, final = 0;
  const W = 200;
  const dial = () => {
    const i = next++;
    const n = String(8615000000000 + i);
    inflight++;
    smsc.deliver({ source_addr: n, destination_addr: '188', service_type: 'USSD', esm_class: 0,
      data_coding: 0x0f, short_message: Buffer.from('*188#', 'latin1'), ussd_service_op: 0x01,
      its_session_info: Buffer.from([i & 0xff, 0]) });
  };
  const t0 = nowMs();
  await new Promise((resolve) => {
    smsc.onSubmit = (pdu) => {
      if (pdu.ussd_service_op === undefined) return;
      inflight--;
      answered++;
      if (pdu.ussd_service_op === 0x11) final++;
      if (next < o.open) dial();
      else if (inflight === 0) resolve();
    };
    for (let i = 0; i < W && next < o.open; i++) dial();
  });
  const el = nowMs() - t0;
  await sleep(500);
  const after = rssKb(daemon.pid);
  return { before, after, answered, final, dialsPerSec: (answered * 1000) / el };
}

function fmt(x, d = 1) {
  return Number.isFinite(x) ? x.toFixed(d) : '-';
}

async function main() {
  const o = parseArgs(process.argv.slice(2));
  const dir = fs.mkdtempSync(path.join(process.env.TMPDIR || os.tmpdir(), 'gy-bench-dialog-'));
  const db = path.join(dir, 'bench.db');
  const conf = path.join(dir, 'gongyou.conf');
  let daemon = null;
  const smsc = new Smsc(o.cork);
  try {
    const cpu = os.cpus()[0] ? os.cpus()[0].model : '?';
    console.log(`bench_dialog: ${os.cpus().length} CPUs (${cpu}), SMSC writes ${o.cork ? "batched" : "one per PDU"}, load ` +
      `${os.loadavg().map((x) => x.toFixed(2)).join(' ')}, binaries ${BIN}, ${new Date().toISOString()}`);
    const t = nowMs();
    const numbers = setupDb(dir, db, o.numbers);
    console.log(`  ${numbers.length} generated workers imported in ${fmt((nowMs() - t) / 1000)} s`);
    const port = await smsc.listen();
    fs.writeFileSync(conf, configText(port, db, o.window));
    daemon = await startDaemon(dir, conf, smsc);
    const show = (name, rs, line) => {
      rs.forEach((r, i) => console.log(`  ${name} run ${i + 1}: ${line(r)}`));
      const m = {};
      for (const k of Object.keys(rs[0])) m[k] = median(rs.map((r) => r[k]));
      console.log(`  ${name} median: ${line(m)}`);
    };
    if (o.parts.includes('sms')) {
      const rs = [];
      for (let i = 0; i < o.runs; i++) rs.push(await keywordRun(smsc, daemon, numbers, o, 'closed'));
      show(`keywords (window ${o.window})`, rs, (r) => `${fmt(r.rate, 0)} round trips/s, p50 ` +
        `${fmt(r.p50, 2)} ms, p99 ${fmt(r.p99, 2)} ms, ${r.done} done, ${fmt(r.partsPer, 2)} ` +
        `parts/reply, ${fmt(r.ucs2 * 100, 0)} % UCS-2, ` +
        `CPU gongyoud ${fmt(r.daemonCpu * 100, 0)} % node ${fmt(r.smscCpu * 100, 0)} %${r.lost ? `, ${r.lost} unanswered` : ''}`);
    }
    if (o.parts.includes('latency')) {
      const rs = [];
      for (let i = 0; i < o.runs; i++) rs.push(await keywordRun(smsc, daemon, numbers, o, 'open'));
      show(`keywords (${o.rate}/s offered)`, rs, (r) => `${fmt(r.rate, 0)} round trips/s, p50 ` +
        `${fmt(r.p50, 2)} ms, p99 ${fmt(r.p99, 2)} ms, ${r.done} done, ` +
        `CPU gongyoud ${fmt(r.daemonCpu * 100, 0)} % node ${fmt(r.smscCpu * 100, 0)} %${r.lost ? `, ${r.lost} unanswered` : ''}`);
    }
    if (o.parts.includes('ussd')) {
      const rs = [];
      for (let i = 0; i < o.runs; i++) {
        rs.push(await ussdRun(smsc, daemon, numbers, o));
        await sleep(500);
      }
      show(`USSD (${o.sessions} sessions)`, rs, (r) => `${fmt(r.rate, 0)} steps/s, p50 ` +
        `${fmt(r.p50, 2)} ms, p99 ${fmt(r.p99, 2)} ms, ${r.steps} steps, ` +
        `CPU gongyoud ${fmt(r.daemonCpu * 100, 0)} % node ${fmt(r.smscCpu * 100, 0)} %${r.lost ? `, ${r.lost} unanswered` : ''}`);
    }
    if (o.parts.includes('memory')) {
      // A fresh daemon on a fresh demo database: the figure is the sessions', not the page
      // cache of the rows earlier parts wrote.
      await stopDaemon(daemon);
      daemon = null;
      smsc.session = null;
      const memDb = path.join(dir, 'memory.db');
      const memConf = path.join(dir, 'memory.conf');
      run('gongyou', ['db', 'init', '--db', memDb, '--demo']);
      fs.writeFileSync(memConf, configText(port, memDb, o.window));
      daemon = await startDaemon(dir, memConf, smsc);
      const r = await memoryRun(smsc, daemon, o);
      const open = r.answered - r.final;
      const mb = (kb) => fmt(kb / 1024);
      console.log(`  USSD memory: VmRSS ${mb(r.before.VmRSS)} MB bound and idle (RssAnon ` +
        `${mb(r.before.RssAnon)}, RssFile ${mb(r.before.RssFile)}), ${mb(r.after.VmRSS)} MB with ` +
        `${open} open sessions (RssAnon ${mb(r.after.RssAnon)}, RssFile ${mb(r.after.RssFile)}; ` +
        `${fmt(((r.after.VmRSS - r.before.VmRSS) * 1024) / Math.max(1, open), 0)} B each; ` +
        `${r.final} final screens; dialled at ${fmt(r.dialsPerSec, 0)}/s)`);
    }
  } finally {
    if (daemon) await stopDaemon(daemon);
    smsc.server.close();
    if (!o.keep) fs.rmSync(dir, { recursive: true, force: true });
    else console.log(`  kept ${dir}`);
  }
}

if (require.main === module) {
  for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
    process.on(sig, () => {
      killChildren();
      process.exit(128 + os.constants.signals[sig]);
    });
  }
  main().then(() => process.exit(0)).catch((e) => {
    console.error(`bench_dialog: ${e.stack || e.message}`);
    killChildren();
    process.exit(1);
  });
}
