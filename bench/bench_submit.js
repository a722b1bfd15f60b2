#!/usr/bin/env node
// SPDX-License-Identifier: GPL-3.0-or-later
// bench_submit.js: durable submit throughput and latency of build/bin/gongyoud over one
// bind on loopback, at window 1, 10 and 100, against node-smpp (tests/integration/
// smsc_peer.js as a process) and against build/bin/smsc-sim. Every message is a row of the
// outbox before the daemon starts; the daemon marks each one submitted (in its grouped
// commits) when the SMSC accepts it. A small relay between the daemon and the SMSC stamps
// each submit_sm as it passes, so the latency is "submit_sm on the wire -> submitted_ms
// recorded by the daemon". Prints figures; not run by ctest. See docs/benchmarks.md.
'use strict';

const fs = require('fs');
const net = require('net');
const os = require('os');
const path = require('path');
const readline = require('readline');
const { spawn, spawnSync } = require('child_process');
const h = require('../tests/integration/harness');

const USAGE = `usage: node bench/bench_submit.js [--smsc node,sim] [--windows 1,10,100]
       [--messages N] [--no-relay] [--keep]
  --smsc LIST      SMSCs to run against: node (node-smpp) and/or sim (build/bin/smsc-sim)
  --windows LIST   windows of the bind (default 1,10,100)
  --messages N     messages per run (default 20000; at window 1, N/4)
  --no-relay       connect the daemon straight to the SMSC (throughput only, no latency)
  --keep           keep the temp directories (logs, databases)
GONGYOU_BIN_DIR selects the binaries (default build/bin).`;

function parseArgs(argv) {
  const o = { smsc: ['node', 'sim'], windows: [1, 10, 100], messages: 20000, relay: true, keep: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const v = () => {
      if (i + 1 >= argv.length) throw new Error(`${a} needs a value`);
      return argv[++i];
    };
    if (a === '--smsc') o.smsc = v().split(',');
    else if (a === '--windows') o.windows = v().split(',').map(Number);
    else if (a === '--messages') o.messages = Number(v());
    else if (a === '--no-relay') o.relay = false;
    else if (a === '--keep') o.keep = true;
    else if (a === '--help' || a === '-h') { console.log(USAGE); process.exit(0); }
    else throw new Error(`unknown option ${a}`);
  }
  if (!o.smsc.every((s) => s === 'node' || s === 'sim')) throw new Error('--smsc takes node,sim');
  if (!o.windows.every((w) => w >= 1 && w <= 1000)) throw new Error('windows are 1..1000');
  if (!(o.messages >= 100)) throw new Error('--messages must be at least 100');
  return o;
}

// Every child this process started (SMSC, gongyoud) until it exits: on any way out (end,
// error, uncaught exception; SIGINT/SIGTERM/SIGHUP when run as a program) the ones still
// running are killed by PID, so none outlives the bench holding the caller's pipes open.
const children = new Set();
function track(child) {
  children.add(child);
  child.on('exit', () => children.delete(child));
  return child;
}
function killChildren() {
  for (const child of children) {
    if (child.pid !== undefined && child.exitCode === null && child.signalCode === null) {
      try { process.kill(child.pid, 'SIGKILL'); } catch (e) { /* already gone */ }
    }
  }
  children.clear();
}
process.on('exit', killChildren);

function nowMs() {
  return performance.timeOrigin + performance.now();
}

function pct(sorted, p) {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

// Starts an SMSC process; resolves to {child, port} once it printed its port.
function startSmsc(kind) {
  const cmd = kind === 'node'
    ? [process.execPath, [path.join(h.SRC, 'tests', 'integration', 'smsc_peer.js'), '--quiet',
      '--system-id', 'any', '--password', 'any']]
    : [path.join(h.BIN, 'smsc-sim'), ['--listen', '127.0.0.1:0', '--quiet', '--no-console']];
  const child = track(spawn(cmd[0], cmd[1], { stdio: ['pipe', 'pipe', 'inherit'] }));
  return new Promise((resolve, reject) => {
    const rl = readline.createInterface({ input: child.stdout });
    const timer = setTimeout(() => reject(new Error(`${kind}: no port printed`)), 10000);
    child.on('error', (e) => {
      clearTimeout(timer);
      reject(new Error(`${kind}: ${e.message}`));
    });
    rl.on('line', (line) => {
      const m = /^port (\d+)$/.exec(line) || /listening on 127\.0\.0\.1:(\d+)/.exec(line);
      if (m) {
        clearTimeout(timer);
        resolve({ child, port: Number(m[1]) });
      }
    });
    child.on('exit', (code) => reject(new Error(`${kind} exited (${code}) before listening`)));
  });
}

// A relay 127.0.0.1:0 -> port that stamps submit_sm (by sequence number) on the way out and
// maps the message_id of each accepted submit_sm_resp to that stamp.
function startRelay(port) {
  const sent = new Map(); // sequence -> time
  const stamps = new Map(); // message_id -> {sent, resp}
  const frames = (onPdu) => {
    let pend = Buffer.alloc(0);
    return (chunk) => {
      pend = pend.length ? Buffer.concat([pend, chunk]) : chunk;
      let off = 0;
      while (pend.length - off >= 16) {
        const len = pend.readUInt32BE(off);
        if (len < 16 || pend.length - off < len) break;
        onPdu(pend, off, len);
        off += len;
      }
      pend = off === pend.length ? Buffer.alloc(0) : pend.subarray(off);
    };
  };
  const server = net.createServer((down) => {
    const up = net.connect(port, '127.0.0.1');
    down.setNoDelay(true);
    up.setNoDelay(true);
    const out = frames((b, off) => {
      if (b.readUInt32BE(off + 4) === 0x00000004) sent.set(b.readUInt32BE(off + 12), nowMs());
    });
    const back = frames((b, off, len) => {
      if (b.readUInt32BE(off + 4) !== 0x80000004 || b.readUInt32BE(off + 8) !== 0) return;
      const seq = b.readUInt32BE(off + 12);
      const end = b.indexOf(0, off + 16);
      const id = b.toString('latin1', off + 16, end < 0 || end > off + len ? off + len : end);
      const t = sent.get(seq);
      sent.delete(seq);
      if (t !== undefined) stamps.set(id, { sent: t, resp: nowMs() });
    });
    down.on('data', (c) => { up.write(c); out(c); });
    up.on('data', (c) => { down.write(c); back(c); });
    down.on('close', () => up.destroy());
    up.on('close', () => down.destroy());
    down.on('error', () => up.destroy());
    up.on('error', () => down.destroy());
  });
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => resolve({ server, port: server.address().port, stamps }));
  });
}

// N outbox messages of one 140-octet GSM 7-bit segment each, in one transaction: the rows
// outbox_store_enqueue() writes (preloaded through SQL: a process per `gongyou send` would
// measure process start-up, not the gateway).
function preload(db, n) {
  const now = Date.now();
  const until = now + 86400000;
  const cte = `WITH RECURSIVE c(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM c WHERE i < ${n})`;
  h.sql(db, ['BEGIN;',
    `${cte} INSERT INTO outbox_messages(id, priority, sender, msisdn, n_parts, created_ms, ` +
    `valid_until_ms) SELECT i, 1, 'bench', '86138' || printf('%08d', i), 1, ${now}, ${until} FROM c;`,
    `${cte} INSERT INTO outbox_segments(id, message_id, part, priority, valid_until_ms, body) ` +
    `SELECT i, i, 1, 1, ${until}, CAST(printf('%-140s', 'bench message ' || i) AS BLOB) FROM c;`,
    'COMMIT;'].join('\n'));
}

async function runOne(o, kind, W, n) {
  const dir = fs.mkdtempSync(path.join(process.env.TMPDIR || os.tmpdir(), 'gy-bench-'));
  const db = path.join(dir, 'bench.db');
  const conf = path.join(dir, 'gongyou.conf');
  let smsc = null;
  let relay = null;
  let daemon = null;
  try {
    smsc = await startSmsc(kind);
    relay = o.relay ? await startRelay(smsc.port) : null;
    fs.writeFileSync(conf, h.configText({
      port: relay ? relay.port : smsc.port, db, logLevel: 'warn',
      bind: { window: W, throughput: 0, response_timeout: 60, enquire_link_interval: 60 },
    }));
    const init = spawnSync(path.join(h.BIN, 'gongyou'), ['-c', conf, '--db', db, 'db', 'init'],
      { encoding: 'utf8' });
    if (init.status !== 0) throw new Error(`db init: ${init.stderr}`);
    preload(db, n);
    const logFd = fs.openSync(path.join(dir, 'gongyoud.log'), 'w');
    daemon = track(spawn(path.join(h.BIN, 'gongyoud'), ['-c', conf],
      { cwd: dir, stdio: ['ignore', logFd, logFd] }));
    fs.closeSync(logFd);
    let exited = null;
    daemon.on('exit', (code, sig) => { exited = { code, sig }; });
    daemon.on('error', (e) => { exited = { error: e.message }; });
    await h.waitFor(`${n} messages submitted`, () => {
      if (exited) {
        throw new Error(`gongyoud exited ${JSON.stringify(exited)}:\n` +
          h.tail(fs.readFileSync(path.join(dir, 'gongyoud.log'), 'utf8')));
      }
      return h.sql(db, 'SELECT count(*) AS n FROM outbox_segments WHERE state <> 0')[0].n >= n;
    }, 600000, 250);
    const rows = h.sql(db, 'SELECT smsc_id, submitted_ms FROM outbox_segments WHERE submitted_ms IS NOT NULL');
    let t0 = Infinity;
    let t1 = -Infinity;
    for (const r of rows) {
      t0 = Math.min(t0, r.submitted_ms);
      t1 = Math.max(t1, r.submitted_ms);
    }
    const res = { kind, W, n, submitted: rows.length, rate: ((rows.length - 1) * 1000) / (t1 - t0) };
    if (relay) {
      const lat = [];
      const rtt = [];
      for (const r of rows) {
        const s = relay.stamps.get(r.smsc_id);
        if (!s) continue;
        lat.push(r.submitted_ms - s.sent);
        rtt.push(s.resp - s.sent);
      }
      lat.sort((a, b) => a - b);
      rtt.sort((a, b) => a - b);
      Object.assign(res, { matched: lat.length, lat50: pct(lat, 50), lat99: pct(lat, 99),
        rtt50: pct(rtt, 50), rtt99: pct(rtt, 99) });
    }
    return res;
  } finally {
    if (daemon && daemon.pid !== undefined && daemon.exitCode === null &&
        daemon.signalCode === null) {
      const gone = new Promise((r) => daemon.once('exit', r));
      process.kill(daemon.pid, 'SIGTERM');
      const k = setTimeout(() => process.kill(daemon.pid, 'SIGKILL'), 20000);
      await gone;
      clearTimeout(k);
    }
    if (smsc && smsc.child.exitCode === null) {
      const gone = new Promise((r) => smsc.child.once('exit', r));
      process.kill(smsc.child.pid, 'SIGTERM');
      await gone;
    }
    if (relay) relay.server.close();
    if (!o.keep) fs.rmSync(dir, { recursive: true, force: true });
    else console.log(`  kept ${dir}`);
  }
}

function fmt(x, d = 1) {
  return Number.isFinite(x) ? x.toFixed(d) : '-';
}

async function main() {
  let o;
  try {
    o = parseArgs(process.argv.slice(2));
  } catch (e) {
    console.error(`bench_submit: ${e.message}\n${USAGE}`);
    process.exit(2);
  }
  console.log(`bench_submit: ${os.cpus().length} CPUs, load ${os.loadavg().map((x) => x.toFixed(2)).join(' ')}, ` +
    `binaries ${h.BIN}${o.relay ? '' : ', no relay'}`);
  console.log('smsc  window  messages  submits/s  submit->durable p50/p99 ms  smsc rtt p50/p99 ms');
  for (const kind of o.smsc) {
    for (const W of o.windows) {
      const n = W === 1 ? Math.max(100, Math.floor(o.messages / 4)) : o.messages;
      const r = await runOne(o, kind, W, n);
      console.log(`${kind.padEnd(5)} ${String(W).padStart(6)}  ${String(r.submitted).padStart(8)}  ` +
        `${fmt(r.rate, 0).padStart(9)}  ${(fmt(r.lat50) + ' / ' + fmt(r.lat99)).padStart(26)}  ` +
        `${(fmt(r.rtt50, 2) + ' / ' + fmt(r.rtt99, 2)).padStart(19)}` +
        (r.matched !== undefined && r.matched !== r.submitted ? `  (${r.matched} matched)` : ''));
    }
  }
}

module.exports = { startRelay, startSmsc };

if (require.main === module) {
  for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
    process.on(sig, () => {
      killChildren();
      process.exit(128 + os.constants.signals[sig]);
    });
  }
  main().catch((e) => {
    console.error(`bench_submit: ${e.message}`);
    killChildren();
    process.exit(1);
  });
}
