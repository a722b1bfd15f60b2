-- SPDX-License-Identifier: GPL-3.0-or-later
-- Migration 4: the inbox. Every incoming deliver_sm that is a message (not a delivery
-- report) is written here, as it came (raw short_message or message_payload and the fields
-- needed to reassemble and decode it), before the gateway answers ESME_ROK. Processing
-- (reassembly, decoding, the channels) reads from here; a row stays 'new' until processed,
-- so nothing acknowledged is lost across a crash. Times in ms since the epoch.

CREATE TABLE inbox (
    id              INTEGER PRIMARY KEY,       -- arrival order
    bind            TEXT NOT NULL,             -- bind the deliver_sm came in on
    source_addr     TEXT NOT NULL,             -- the worker's number as the SMSC sent it
    source_ton      INTEGER NOT NULL,
    source_npi      INTEGER NOT NULL,
    dest_addr       TEXT NOT NULL,             -- short code or service number dialled
    service_type    TEXT NOT NULL DEFAULT '',
    esm_class       INTEGER NOT NULL,
    data_coding     INTEGER NOT NULL,
    body            BLOB NOT NULL,             -- short_message, or message_payload when set
    sar_ref         INTEGER,                   -- SAR TLVs when present
    sar_total       INTEGER,
    sar_seq         INTEGER,
    ussd_op         INTEGER,                   -- ussd_service_op when present
    its_session     INTEGER,                   -- its_session_info when present
    user_msg_ref    INTEGER,                   -- user_message_reference when present
    received_ms     INTEGER NOT NULL,
    state           INTEGER NOT NULL DEFAULT 0 CHECK (state IN (0, 1)),  -- 0 new, 1 processed
    processed_ms    INTEGER
);
CREATE INDEX inbox_new ON inbox(id) WHERE state = 0;
