// SPDX-License-Identifier: GPL-3.0-or-later
// Scenario: SMS dialogues (issue 6, point 6) played from dialogs/sms_*.txt against
// gongyoud with node-smpp as the SMSC: keywords in GSM 7-bit, UCS-2, GBK and full width;
// long replies as concatenated SMS; an unregistered number; opt-out and back; a flood.
'use strict';

const test = require('node:test');
const { runScript } = require('./dialog');

for (const name of ['sms_codings', 'sms_long', 'sms_unregistered', 'sms_optout', 'sms_flood']) {
  test(`dialogue ${name}`, { timeout: 60000 }, (t) => runScript(t, name));
}
