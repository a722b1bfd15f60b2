#!/usr/bin/env node
// SPDX-License-Identifier: GPL-3.0-or-later
// golden.js: writes the golden SMPP PDUs of tests/data/smpp/ with node-smpp's own encoder
// (new smpp.PDU(...).toBuffer()), an implementation independent of gongyou's codec.
// Usage: node golden.js OUTDIR   (npm run golden writes into ../data/smpp)
'use strict';

const fs = require('fs');
const path = require('path');
const smpp = require('smpp');
const smppVersion = require('smpp/package.json').version;

// UTF-16BE (UCS-2) bytes of a JavaScript string.
function ucs2(text) {
  return Buffer.from(text, 'utf16le').swap16();
}

const dlrText = 'id:5A1F00C3 sub:001 dlvrd:001 submit date:2611281200 ' +
  'done date:2611281201 stat:DELIVRD err:000 text:';
const longReply = '您的积分：总分96分。学历30分，技能证书20分，社保年限36分，' +
  '居住年限10分。距离入户还差4分，请尽快补充材料。' +
  '回复JF查看积分，回复RH查看入户进度，回复BZ获取帮助，回复TD退订。' +
  '江门市人力资源和社会保障局提醒您：积分申请截止日期为十二月三十一日。';

// Optional parameters are always given in ascending tag order, the order our encoder uses.
const cases = [
  ['bind_transceiver', 'bind_transceiver with credentials and interface_version 0x34',
    'bind_transceiver', {
      sequence_number: 1, system_id: 'gongyou', password: 'secret', system_type: 'GY',
      interface_version: 0x34, addr_ton: 1, addr_npi: 1, address_range: '',
    }],
  ['bind_transceiver_resp', 'bind_transceiver_resp with sc_interface_version',
    'bind_transceiver_resp', { sequence_number: 1, system_id: 'SMSC', sc_interface_version: 0x34 }],
  ['bind_transceiver_resp_fail', 'bind refused with ESME_RINVPASWD, header only',
    'bind_transceiver_resp', { sequence_number: 1, command_status: 0x0E }],
  ['bind_transmitter', 'bind_transmitter', 'bind_transmitter', {
    sequence_number: 2, system_id: 'gongyou-tx', password: 'pw', system_type: '',
    interface_version: 0x34, addr_ton: 0, addr_npi: 0, address_range: '',
  }],
  ['bind_receiver', 'bind_receiver with an address range', 'bind_receiver', {
    sequence_number: 3, system_id: 'gongyou-rx', password: 'pw', system_type: 'USSD',
    interface_version: 0x34, addr_ton: 1, addr_npi: 1, address_range: '^86',
  }],
  ['outbind', 'outbind from the SMSC', 'outbind',
    { sequence_number: 4, system_id: 'SMSC', password: 'pw' }],
  ['enquire_link', 'enquire_link', 'enquire_link', { sequence_number: 2 }],
  ['enquire_link_resp', 'enquire_link_resp', 'enquire_link_resp', { sequence_number: 2 }],
  ['unbind', 'unbind', 'unbind', { sequence_number: 3 }],
  ['unbind_resp', 'unbind_resp', 'unbind_resp', { sequence_number: 3 }],
  ['generic_nack', 'generic_nack ESME_RINVCMDID', 'generic_nack',
    { sequence_number: 9, command_status: 0x03 }],
  ['submit_sm_udh', 'submit_sm, part 1 of 2 with an 8-bit concatenation UDH, UCS-2',
    'submit_sm', {
      sequence_number: 10, service_type: '', source_addr_ton: 3, source_addr_npi: 0,
      source_addr: '10658888', dest_addr_ton: 1, dest_addr_npi: 1,
      destination_addr: '8613800138000', esm_class: 0x40, protocol_id: 0, priority_flag: 1,
      schedule_delivery_time: '', validity_period: '', registered_delivery: 1,
      replace_if_present_flag: 0, data_coding: 8, sm_default_msg_id: 0,
      short_message: Buffer.concat([Buffer.from([0x05, 0x00, 0x03, 0xA7, 0x02, 0x01]),
        ucs2('积分查询：您的总积分为96分，其中学历30分，技能证书20分，社保36分，居住10分。')]),
    }],
  ['submit_sm_payload', 'submit_sm with a long UCS-2 text in message_payload, validity',
    'submit_sm', {
      sequence_number: 11, service_type: '', source_addr_ton: 3, source_addr_npi: 0,
      source_addr: '10658888', dest_addr_ton: 1, dest_addr_npi: 1,
      destination_addr: '8613800138000', esm_class: 0, protocol_id: 0, priority_flag: 0,
      schedule_delivery_time: '', validity_period: '261129120000000+',
      registered_delivery: 1, replace_if_present_flag: 0, data_coding: 8,
      sm_default_msg_id: 0, short_message: Buffer.alloc(0),
      message_payload: ucs2(longReply),
    }],
  ['submit_sm_ussd', 'submit_sm answering a USSD menu: ussd_service_op USSR, its_session_info',
    'submit_sm', {
      sequence_number: 12, service_type: 'USSD', source_addr_ton: 0, source_addr_npi: 0,
      source_addr: '188', dest_addr_ton: 1, dest_addr_npi: 1,
      destination_addr: '8613800138000', esm_class: 0, protocol_id: 0, priority_flag: 0,
      schedule_delivery_time: '', validity_period: '', registered_delivery: 0,
      replace_if_present_flag: 0, data_coding: 0x0F, sm_default_msg_id: 0,
      short_message: Buffer.from('1 JF\n2 GZ\n3 RX\n0 EN', 'ascii'),
      ussd_service_op: 2, its_session_info: Buffer.from([0x05, 0x02]),
    }],
  ['submit_sm_sar', 'submit_sm, segment 2 of 3 with SAR TLVs and user_message_reference',
    'submit_sm', {
      sequence_number: 13, service_type: '', source_addr_ton: 5, source_addr_npi: 0,
      source_addr: 'GONGYOU', dest_addr_ton: 1, dest_addr_npi: 1,
      destination_addr: '8613900139000', esm_class: 0, protocol_id: 0, priority_flag: 0,
      schedule_delivery_time: '', validity_period: '', registered_delivery: 1,
      replace_if_present_flag: 0, data_coding: 0, sm_default_msg_id: 0,
      short_message: Buffer.from('second part of a three part message', 'ascii'),
      user_message_reference: 7, sar_msg_ref_num: 0x1234, sar_total_segments: 3,
      sar_segment_seqnum: 2,
    }],
  ['submit_sm_resp', 'submit_sm_resp with a hex message id', 'submit_sm_resp',
    { sequence_number: 10, message_id: '5A1F00C3' }],
  ['submit_sm_resp_throttled', 'submit_sm_resp ESME_RTHROTTLED, header only', 'submit_sm_resp',
    { sequence_number: 11, command_status: 0x58 }],
  ['deliver_sm_mo', 'deliver_sm, a worker texting the keyword 积分 in UCS-2', 'deliver_sm', {
    sequence_number: 20, service_type: '', source_addr_ton: 1, source_addr_npi: 1,
    source_addr: '8613800138000', dest_addr_ton: 0, dest_addr_npi: 0,
    destination_addr: '10658888', esm_class: 0, protocol_id: 0, priority_flag: 0,
    schedule_delivery_time: '', validity_period: '', registered_delivery: 0,
    replace_if_present_flag: 0, data_coding: 8, sm_default_msg_id: 0,
    short_message: ucs2('积分'),
  }],
  ['deliver_sm_ussd', 'deliver_sm opening a USSD session: *188#, PSSR, its_session_info',
    'deliver_sm', {
      sequence_number: 22, service_type: 'USSD', source_addr_ton: 1, source_addr_npi: 1,
      source_addr: '8613800138000', dest_addr_ton: 0, dest_addr_npi: 0,
      destination_addr: '188', esm_class: 0, protocol_id: 0, priority_flag: 0,
      schedule_delivery_time: '', validity_period: '', registered_delivery: 0,
      replace_if_present_flag: 0, data_coding: 0x0F, sm_default_msg_id: 0,
      short_message: Buffer.from('*188#', 'ascii'),
      ussd_service_op: 1, its_session_info: Buffer.from([0x05, 0x00]),
    }],
  ['deliver_sm_dlr', 'deliver_sm delivery report: receipted_message_id, message_state, text',
    'deliver_sm', {
      sequence_number: 21, service_type: '', source_addr_ton: 1, source_addr_npi: 1,
      source_addr: '8613800138000', dest_addr_ton: 3, dest_addr_npi: 0,
      destination_addr: '10658888', esm_class: 0x04, protocol_id: 0, priority_flag: 0,
      schedule_delivery_time: '', validity_period: '', registered_delivery: 0,
      replace_if_present_flag: 0, data_coding: 0, sm_default_msg_id: 0,
      short_message: Buffer.from(dlrText, 'ascii'),
      receipted_message_id: '5A1F00C3', network_error_code: Buffer.from([0x03, 0x00, 0x00]),
      message_state: 2,
    }],
  ['deliver_sm_resp', 'deliver_sm_resp accepting a message', 'deliver_sm_resp',
    { sequence_number: 20, message_id: '' }],
  ['deliver_sm_resp_tempfail', 'deliver_sm_resp ESME_RX_T_APPN, header only', 'deliver_sm_resp',
    { sequence_number: 21, command_status: 0x64 }],
];

function hexLines(buf) {
  const hex = buf.toString('hex');
  const lines = [];
  for (let i = 0; i < hex.length; i += 64) lines.push(hex.slice(i, i + 64));
  return lines.join('\n');
}

const outDir = process.argv[2];
if (!outDir) {
  process.stderr.write('usage: node golden.js OUTDIR\n');
  process.exit(2);
}
fs.mkdirSync(outDir, { recursive: true });
for (const [name, what, command, options] of cases) {
  const buf = new smpp.PDU(command, options).toBuffer();
  const text = `# ${name}: ${what}\n` +
    `# written by tests/peer/golden.js with node-smpp ${smppVersion}; do not edit\n` +
    `${hexLines(buf)}\n`;
  fs.writeFileSync(path.join(outDir, `${name}.hex`), text);
  process.stdout.write(`${name}.hex ${buf.length} octets\n`);
}
