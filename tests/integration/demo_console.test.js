// SPDX-License-Identifier: GPL-3.0-or-later
// Scenario: the demo of `make demo` (tools/demo.sh) driven through a pipe instead of a
// terminal: the phone console dials *188#, answers 1 and 00, hangs up and texts JF; the
// screens hold the main menu and worker A's 114 points; quitting, the end of input and a
// SIGTERM to the script each leave no smsc-sim or gongyoud behind. No network peer needed.
'use strict';

const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('fs');
const os = require('os');
const path = require('path');
const { spawn } = require('child_process');

const SRC = process.env.GONGYOU_SOURCE_DIR || path.resolve(__dirname, '..', '..');
const BIN = path.resolve(process.env.GONGYOU_BIN_DIR || path.join(SRC, 'build', 'bin'));
const MENU = '江门工友服务';

// Starts tools/demo.sh with its own work directory; returns { child, out(), done }.
function startDemo(args, workdir) {
  const env = Object.assign({}, process.env, {
    GONGYOU_BIN_DIR: BIN, GONGYOU_DEMO_WORKDIR: workdir,
    GONGYOU_TODAY: process.env.GONGYOU_TODAY || '2026-11-28',
  });
  const child = spawn('sh', [path.join(SRC, 'tools', 'demo.sh'), ...args],
    { env, stdio: ['pipe', 'pipe', 'pipe'] });
  let stdout = '', stderr = '';
  child.stdout.on('data', (d) => { stdout += d; });
  child.stderr.on('data', (d) => { stderr += d; });
  const done = new Promise((resolve) => child.on('close', (code, signal) =>
    resolve({ code, signal, stdout, stderr })));
  return { child, out: () => stdout, done };
}

async function waitFor(what, pred, timeoutMs = 20000) {
  const deadline = Date.now() + timeoutMs;
  while (!pred()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

// The PIDs the banner announces.
function pids(stdout) {
  const sim = /smsc-sim \(pid (\d+)\)/.exec(stdout);
  const gw = /gongyoud \(pid (\d+)\)/.exec(stdout);
  assert.ok(sim && gw, `banner with both PIDs in:\n${stdout}`);
  return [Number(sim[1]), Number(gw[1])];
}

function alive(pid) {
  try { process.kill(pid, 0); return true; } catch (e) { return e.code !== 'ESRCH'; }
}

// Both processes are gone (they were children of the script, which waited for them).
function assertGone(stdout) {
  for (const pid of pids(stdout)) assert.equal(alive(pid), false, `process ${pid} still runs`);
}

function workdir(t) {
  const dir = fs.mkdtempSync(path.join(process.env.TMPDIR || os.tmpdir(), 'gy-demo-'));
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  return dir;
}

test('demo: USSD menu, points, back home, hang up, JF by SMS, quit stops both processes',
  { timeout: 60000 }, async (t) => {
    const dir = workdir(t);
    const d = startDemo([], dir);
    d.child.stdin.end('*188#\n1\n00\nabort\nJF\nquit\n');
    const r = await d.done;
    assert.equal(r.code, 0, `exit status; stderr:\n${r.stderr}`);
    const screens = r.stdout.split('\n');
    const menus = screens.filter((l) => l.startsWith('[USSD] ') && l.includes(MENU));
    assert.equal(menus.length, 2, `main menu after *188# and after 00:\n${r.stdout}`);
    assert.match(r.stdout, /\[USSD\] 您的积分：114分/);
    assert.match(r.stdout, /\(hung up\)/);
    assert.match(r.stdout, /\[SMS\] +您的积分114分/);
    assert.ok(r.stdout.indexOf('> JF') < r.stdout.indexOf('[SMS]'), 'answers follow their lines');
    assert.doesNotMatch(r.stdout, /8613800138000/, 'the number never shows unmasked');
    assertGone(r.stdout);
    const log = fs.readFileSync(path.join(dir, 'gongyoud-demo.log'), 'utf8');
    assert.match(log, /stopped: /, 'gongyoud stopped cleanly (SIGTERM)');
    assert.ok(fs.existsSync(path.join(dir, 'gongyou-demo.db')));
  });

test('demo: --msisdn worker B, end of input (Ctrl-D) without quit stops both processes',
  { timeout: 60000 }, async (t) => {
    const d = startDemo(['--msisdn', '8613800138001'], workdir(t));
    d.child.stdin.end('JF\n');
    const r = await d.done;
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /\[SMS\] +您的积分36分/, r.stdout);
    assertGone(r.stdout);
  });

test('demo: a SIGTERM to the script stops smsc-sim and gongyoud', { timeout: 60000 }, async (t) => {
  const d = startDemo([], workdir(t));
  d.child.stdin.write('*188#\n');
  await waitFor('the main menu', () => d.out().includes(MENU));
  d.child.kill('SIGTERM');
  const r = await d.done;
  assert.ok(r.code === 143 || r.signal === 'SIGTERM', `exit ${r.code} ${r.signal}`);
  assertGone(r.stdout);
});

test('demo: --show prints the workers; a bad --msisdn is refused', { timeout: 60000 }, async (t) => {
  const dir = workdir(t);
  let r = await startDemo(['--show'], dir).done;
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /114/);
  assert.match(r.stdout, /An unregistered number/);
  r = await startDemo(['--msisdn', '86x'], dir).done;
  assert.equal(r.code, 2);
  assert.match(r.stderr, /not a number/);
});
