// SPDX-License-Identifier: GPL-3.0-or-later
// Scenario: a USSD session left idle past sessions.ussd_idle_timeout (5 s) is expired by
// gongyoud; the late answer gets the timeout text on a final screen (dialogs/ussd_timeout.txt).
'use strict';

const test = require('node:test');
const { runScript } = require('./dialog');

test('dialogue ussd_timeout', { timeout: 60000 }, (t) => runScript(t, 'ussd_timeout'));
