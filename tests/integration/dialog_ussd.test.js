// SPDX-License-Identifier: GPL-3.0-or-later
// Scenario: USSD dialogues over SMPP (issue 6, point 6) played from dialogs/ussd_*.txt
// against gongyoud with node-smpp as the USSD gateway: a session to each service and back
// home, the 0x11 close on a final screen, a user abort mid-session, several numbers at once.
'use strict';

const test = require('node:test');
const { runScript } = require('./dialog');

for (const name of ['ussd_services', 'ussd_close', 'ussd_abort', 'ussd_two_numbers',
  'ussd_keys']) {
  test(`dialogue ${name}`, { timeout: 60000 }, (t) => runScript(t, name));
}
