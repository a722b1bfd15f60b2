-- SPDX-License-Identifier: GPL-3.0-or-later
-- Migration 3: the persistent outbox. Every outgoing message and all its encoded segments
-- are written here in one transaction before the first submit_sm; the scheduler reads ready
-- segments by (priority, enqueue order) and writes results back in grouped transactions.
-- States (segments and messages): 0 queued, 1 submitted, 2 delivered, 3 failed, 4 expired.
-- Priorities: 0 reply to a worker, 1 other/system, 2 broadcast. Times in ms since the epoch.

CREATE TABLE outbox_messages (
    id              INTEGER PRIMARY KEY,       -- enqueue order
    priority        INTEGER NOT NULL CHECK (priority BETWEEN 0 AND 2),
    sender          TEXT NOT NULL CHECK (length(sender) BETWEEN 1 AND 32), -- agency code or 'dialog'
    msisdn          TEXT NOT NULL,             -- destination, international form without '+'
    source_addr     TEXT NOT NULL DEFAULT '',  -- '' = the bind's source address
    source_ton      INTEGER NOT NULL DEFAULT 0,
    source_npi      INTEGER NOT NULL DEFAULT 0,
    dest_ton        INTEGER NOT NULL DEFAULT 1,
    dest_npi        INTEGER NOT NULL DEFAULT 1,
    service_type    TEXT NOT NULL DEFAULT '',
    origin_bind     TEXT,                      -- a reply leaves on this bind; NULL = routing rules
    n_parts         INTEGER NOT NULL CHECK (n_parts BETWEEN 1 AND 255),
    status          INTEGER NOT NULL DEFAULT 0 CHECK (status BETWEEN 0 AND 4),
    last_status     INTEGER,                   -- SMPP command_status or error of the deciding part
    created_ms      INTEGER NOT NULL,
    valid_until_ms  INTEGER NOT NULL,          -- queued parts expire after this
    done_ms         INTEGER                    -- when status became final
);
-- Accounting per sender (metrics, reports) without scanning the segments.
CREATE INDEX outbox_messages_account ON outbox_messages(sender, priority, status);

CREATE TABLE outbox_segments (
    id              INTEGER PRIMARY KEY,       -- enqueue order
    message_id      INTEGER NOT NULL REFERENCES outbox_messages(id) ON DELETE CASCADE,
    part            INTEGER NOT NULL CHECK (part BETWEEN 1 AND 255),
    priority        INTEGER NOT NULL CHECK (priority BETWEEN 0 AND 2), -- the message's
    state           INTEGER NOT NULL DEFAULT 0 CHECK (state BETWEEN 0 AND 4),
    valid_until_ms  INTEGER NOT NULL,
    esm_class       INTEGER NOT NULL DEFAULT 0,
    data_coding     INTEGER NOT NULL DEFAULT 0,
    registered_delivery INTEGER NOT NULL DEFAULT 1,
    body            BLOB NOT NULL,             -- short_message octets (UDH first), or payload
    in_payload      INTEGER NOT NULL DEFAULT 0, -- 1: body goes in message_payload
    sar_ref         INTEGER,                   -- SAR TLVs when not NULL
    sar_total       INTEGER,
    sar_seq         INTEGER,
    ussd_op         INTEGER,                   -- ussd_service_op TLV when not NULL
    its_session     INTEGER,                   -- its_session_info TLV when not NULL
    attempts        INTEGER NOT NULL DEFAULT 0,
    last_status     INTEGER,                   -- last SMPP command_status (or negative error)
    bind            TEXT,                      -- bind of the last submit
    smsc_id         TEXT,                      -- normalised message_id from submit_sm_resp
    submitted_ms    INTEGER,
    done_ms         INTEGER,
    UNIQUE (message_id, part)
);
-- The scheduler's fetch: ready segments by priority then enqueue order. Partial, so that a
-- backlog of 1,000,000 queued broadcast rows sits after every queued reply in this index
-- and finished rows are not in it at all.
CREATE INDEX outbox_ready ON outbox_segments(priority, id) WHERE state = 0;
-- Expiry sweep of queued segments.
CREATE INDEX outbox_expiry ON outbox_segments(valid_until_ms) WHERE state = 0;
-- Delivery-report correlation: (bind, normalised SMSC id) of segments awaiting a report.
CREATE INDEX outbox_dlr ON outbox_segments(bind, smsc_id) WHERE state = 1;
