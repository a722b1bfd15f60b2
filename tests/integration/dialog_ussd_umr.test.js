// SPDX-License-Identifier: GPL-3.0-or-later
// Scenario: a USSD gateway that keys sessions by user_message_reference: the reference is
// echoed in every reply (dialogs/ussd_key_umr.txt).
'use strict';

const test = require('node:test');
const { runScript } = require('./dialog');

test('dialogue ussd_key_umr', { timeout: 60000 }, (t) => runScript(t, 'ussd_key_umr'));
