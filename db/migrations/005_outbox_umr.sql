-- SPDX-License-Identifier: GPL-3.0-or-later
-- Migration 5: a USSD reply echoes the user_message_reference (TLV 0x0204) of the worker's
-- request when the USSD gateway keyed the session with it; the outbox keeps it per segment.
ALTER TABLE outbox_segments ADD COLUMN user_msg_ref INTEGER;
