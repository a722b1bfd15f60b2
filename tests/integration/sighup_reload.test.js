// SPDX-License-Identifier: GPL-3.0-or-later
// Scenario: SIGHUP reloads the keyword aliases of the configuration file and the menus
// without a restart: an alias added to the file answers after SIGHUP, one removed no
// longer does, and a broken file keeps the aliases in use (the daemon lives on).
'use strict';

const fs = require('fs');
const test = require('node:test');
const assert = require('node:assert/strict');
const h = require('./harness');

const A = '8613800138000';

// Sends text as worker A and waits for the reply's text (every part joined).
async function ask(w, text) {
  const before = w.peer.submits.length;
  assert.equal(await w.peer.sendMo({ source_addr: A, destination_addr: '10658188',
    data_coding: 8, short_message: Buffer.from(text, 'utf16le').swap16() }), 0);
  await h.waitFor(`a reply to ${text}`, () => w.peer.submits.length > before, 10000);
  // Parts of one reply arrive together; give the last part a moment to land.
  await h.waitFor('the whole reply', () => {
    const mine = w.peer.submits.slice(before);
    const total = mine[0].udh ? mine[0].udh.total : 1;
    return mine.length >= total;
  }, 5000);
  return w.peer.submits.slice(before).map((s) => s.text).join('');
}

test('SIGHUP: keyword aliases from the file, reloaded live', { timeout: 60000 },
  (t) => h.scenario(t, { demo: true, config: ['keywords = { JF = ["积分", "分数"]; };'] },
    async (w) => {
      const d = w.startDaemon();
      await w.waitBound(d);
      assert.match(await ask(w, '分数'), /114/, 'the alias of the file answers');
      assert.match(await ask(w, '得分'), /未能识别/, 'a word that is no alias gets the hint');

      fs.writeFileSync(w.conf, fs.readFileSync(w.conf, 'utf8').replace('"分数"', '"得分"'));
      process.kill(d.pid, 'SIGHUP');
      await h.waitFor('the reload logged', () => /keyword aliases loaded/.test(d.log()), 10000);
      assert.match(await ask(w, '得分'), /114/, 'the new alias answers after SIGHUP');
      assert.match(await ask(w, '分数'), /未能识别/, 'the removed alias no longer does');

      fs.writeFileSync(w.conf, fs.readFileSync(w.conf, 'utf8') + '\nno_such_key = 1;\n');
      process.kill(d.pid, 'SIGHUP');
      await h.waitFor('the refusal logged', () => /keyword aliases not reloaded/.test(d.log()),
        10000);
      assert.match(await ask(w, '得分'), /114/, 'a broken file keeps the aliases in use');
      assert.ok(d.alive());
      assert.equal((await w.stopDaemon(d)).code, 0);
    }));
